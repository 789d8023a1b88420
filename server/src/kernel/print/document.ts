/**
 * What a printable document is made of. A template turns business data into a `PrintDocument`: a
 * list of plain blocks holding plain strings. The HTML and the PDF renderer each draw those blocks,
 * so a template never writes markup, every value is escaped by the renderer, and a document looks
 * the same on screen, on paper and in the PDF.
 */
import type { Locale } from '../i18n.js';
import { LAYOUTS, type Layout, type LayoutName } from './layouts.js';

export type PrintField = { label: string; value: string };

export type PrintBlock =
  /** Label–value pairs in a ruled grid, `columns` pairs per row (a long value may span the row). */
  | { kind: 'fields'; columns: 1 | 2 | 3; fields: (PrintField & { wide?: boolean })[] }
  /** A ruled table: delivery-note lines, contract products. */
  | { kind: 'table'; columns: { label: string; widthPct: number; align?: 'left' | 'right' | 'center' }[]; rows: string[][] }
  /** Running text. */
  | { kind: 'paragraph'; text: string }
  /** A box left empty for handwriting (an initial password, a remark). */
  | { kind: 'blank'; label: string; hint?: string }
  /** Signature lines: a label, an empty line to sign on and a date line. */
  | { kind: 'signatures'; labels: string[]; dateLabel: string };

export type PrintDocument = {
  /** The issuing company, printed above the title. */
  company: string;
  title: string;
  /** Printed at the top right: a document number or the print date. */
  reference?: string;
  blocks: PrintBlock[];
  /** Small print at the bottom. */
  footer?: string;
};

export type PrintContext = { locale: Locale; layout: Layout; layoutName: LayoutName };

/** A printable document type: data in, blocks out. Later modules add delivery notes, contracts, letters. */
export type PrintTemplate<Data> = {
  /** File name stem for the PDF download, without extension. */
  fileName: (data: Data, ctx: PrintContext) => string;
  build: (data: Data, ctx: PrintContext) => PrintDocument;
};

export function printContext(layoutName: LayoutName, locale: Locale): PrintContext {
  return { layoutName, layout: LAYOUTS[layoutName], locale };
}
