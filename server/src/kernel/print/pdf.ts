/**
 * The PDF of a printable document, drawn with pdfkit from the same blocks as the HTML view, on the
 * layout's page size and margins, with the Chinese font embedded (subset). Pure JavaScript: no
 * browser and no system font is needed, so a fresh `npm install` prints PDFs.
 */
import PDFDocument from 'pdfkit';
import type { PrintBlock, PrintContext, PrintDocument, PrintTemplate } from './document.js';
import { cjkFont } from './fonts.js';
import { mmToPt } from './layouts.js';

const REGULAR = 'cjk';
const BOLD = 'cjk-bold';
const RULE = 0.6;
const LABEL_FILL = '#f2f2f2';

/** Renders a template with its data as a PDF in the given layout. */
export function renderPdf<Data>(template: PrintTemplate<Data>, data: Data, ctx: PrintContext): Promise<Buffer> {
  return renderDocumentPdf(template.build(data, ctx), ctx);
}

export function renderDocumentPdf(doc: PrintDocument, ctx: PrintContext): Promise<Buffer> {
  const { layout } = ctx;
  const margins = {
    top: mmToPt(layout.marginMm.top),
    right: mmToPt(layout.marginMm.right),
    bottom: mmToPt(layout.marginMm.bottom),
    left: mmToPt(layout.marginMm.left),
  };
  const pdf = new PDFDocument({
    size: [mmToPt(layout.widthMm), mmToPt(layout.heightMm)],
    margins,
    info: { Title: doc.title, Creator: 'RxDesk', Producer: 'RxDesk' },
    lang: ctx.locale,
    autoFirstPage: true,
    bufferPages: false,
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  // pdfkit accepts a parsed fontkit font (anything with layout()); its typings know only files and buffers.
  pdf.registerFont(REGULAR, cjkFont('regular') as unknown as Buffer);
  pdf.registerFont(BOLD, cjkFont('bold') as unknown as Buffer);
  new PageWriter(pdf, ctx, margins).write(doc);
  pdf.end();
  return done;
}

type Margins = { top: number; right: number; bottom: number; left: number };

/** Walks down the page block by block, starting a new page when the next row would not fit. */
class PageWriter {
  private y: number;
  private readonly left: number;
  private readonly width: number;
  private readonly bottom: number;
  private readonly size: number;
  private readonly pad: number;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly ctx: PrintContext,
    private readonly margins: Margins,
  ) {
    this.y = margins.top;
    this.left = margins.left;
    this.width = pdf.page.width - margins.left - margins.right;
    this.bottom = pdf.page.height - margins.bottom;
    this.size = ctx.layout.fontPt;
    this.pad = Math.max(2, this.size * 0.3);
    pdf.lineWidth(RULE).strokeColor('#000').fillColor('#000');
  }

  write(doc: PrintDocument) {
    const { pdf, size } = this;
    pdf.font(REGULAR).fontSize(size + 1);
    pdf.text(doc.company, this.left, this.y, { width: this.width * 0.7, lineBreak: false });
    if (doc.reference) {
      pdf.fontSize(size).text(doc.reference, this.left, this.y + 1, { width: this.width, align: 'right', lineBreak: false });
    }
    this.y += pdf.fontSize(size + 1).currentLineHeight(true) + 2;
    pdf.font(BOLD).fontSize(this.ctx.layout.titlePt);
    // No letter spacing: it would make text extraction and copy-paste read '账 号 开 通'.
    pdf.text(doc.title, this.left, this.y, { width: this.width, align: 'center' });
    this.y = pdf.y + this.size * 0.4;
    for (const block of doc.blocks) this.block(block);
    if (doc.footer) {
      pdf.font(REGULAR).fontSize(size - 1.5);
      const h = pdf.heightOfString(doc.footer, { width: this.width });
      this.ensure(h);
      pdf.text(doc.footer, this.left, this.y, { width: this.width });
      this.y += h;
    }
  }

  private ensure(height: number) {
    if (this.y + height <= this.bottom + 0.5) return;
    this.pdf.addPage();
    this.y = this.margins.top;
  }

  private block(block: PrintBlock) {
    const gap = this.size * 0.5;
    switch (block.kind) {
      case 'fields':
        this.fields(block);
        break;
      case 'table':
        this.table(block);
        break;
      case 'paragraph': {
        this.pdf.font(REGULAR).fontSize(this.size);
        const h = this.pdf.heightOfString(block.text, { width: this.width });
        this.ensure(h);
        this.pdf.text(block.text, this.left, this.y, { width: this.width });
        this.y += h;
        break;
      }
      case 'blank': {
        const h = this.size * 2.6;
        this.ensure(h);
        this.pdf.rect(this.left, this.y, this.width, h).stroke();
        this.pdf.font(BOLD).fontSize(this.size).text(block.label, this.left + this.pad, this.y + this.pad, { lineBreak: false });
        if (block.hint) {
          this.pdf.font(REGULAR).fontSize(this.size - 1);
          const lh = this.pdf.currentLineHeight(true);
          this.pdf.fillColor('#555').text(block.hint, this.left, this.y + h - lh - this.pad / 2, { width: this.width - this.pad, align: 'right', lineBreak: false });
          this.pdf.fillColor('#000');
        }
        this.y += h;
        break;
      }
      case 'signatures':
        this.signatures(block);
        break;
    }
    this.y += gap;
  }

  /** One ruled row of cells; `cells` give x offset, width, text, and whether it is a label cell. */
  private row(cells: { x: number; w: number; text: string; label?: boolean; align?: 'left' | 'right' | 'center' }[]) {
    const { pdf, pad } = this;
    const heights = cells.map((c) => {
      pdf.font(c.label ? BOLD : REGULAR).fontSize(this.size);
      return pdf.heightOfString(c.text || ' ', { width: Math.max(1, c.w - 2 * pad) });
    });
    const h = Math.max(...heights) + 2 * pad * 0.6;
    this.ensure(h);
    for (const c of cells) {
      if (c.label) pdf.rect(this.left + c.x, this.y, c.w, h).fillAndStroke(LABEL_FILL, '#000');
      else pdf.rect(this.left + c.x, this.y, c.w, h).stroke();
      pdf.fillColor('#000').font(c.label ? BOLD : REGULAR).fontSize(this.size);
      if (c.text) pdf.text(c.text, this.left + c.x + pad, this.y + pad * 0.6, { width: Math.max(1, c.w - 2 * pad), align: c.align ?? 'left' });
    }
    this.y += h;
  }

  private fields(block: Extract<PrintBlock, { kind: 'fields' }>) {
    const { pdf, pad } = this;
    pdf.font(BOLD).fontSize(this.size);
    const labelW = Math.min(this.width / (block.columns * 2), Math.max(...block.fields.map((f) => pdf.widthOfString(f.label))) + 2 * pad + 1);
    const valueW = (this.width - block.columns * labelW) / block.columns;
    let cells: Parameters<PageWriter['row']>[0] = [];
    const flush = () => {
      if (!cells.length) return;
      const used = cells.length / 2;
      for (let i = used; i < block.columns; i++) {
        const x = i * (labelW + valueW);
        cells.push({ x, w: labelW, text: '', label: true }, { x: x + labelW, w: valueW, text: '' });
      }
      this.row(cells);
      cells = [];
    };
    for (const f of block.fields) {
      if (f.wide) {
        flush();
        this.row([
          { x: 0, w: labelW, text: f.label, label: true },
          { x: labelW, w: this.width - labelW, text: f.value },
        ]);
        continue;
      }
      const x = (cells.length / 2) * (labelW + valueW);
      cells.push({ x, w: labelW, text: f.label, label: true }, { x: x + labelW, w: valueW, text: f.value });
      if (cells.length / 2 === block.columns) flush();
    }
    flush();
  }

  private table(block: Extract<PrintBlock, { kind: 'table' }>) {
    const total = block.columns.reduce((s, c) => s + c.widthPct, 0) || 1;
    let x = 0;
    const geometry = block.columns.map((c) => {
      const w = (c.widthPct / total) * this.width;
      const g = { x, w, align: c.align };
      x += w;
      return g;
    });
    this.row(block.columns.map((c, i) => ({ ...geometry[i], text: c.label, label: true, align: 'center' as const })));
    for (const r of block.rows) this.row(geometry.map((g, i) => ({ ...g, text: r[i] ?? '' })));
  }

  private signatures(block: Extract<PrintBlock, { kind: 'signatures' }>) {
    const { pdf } = this;
    pdf.font(REGULAR).fontSize(this.size);
    const lh = pdf.currentLineHeight(true);
    const h = lh + this.size * 0.8;
    this.ensure(h);
    this.y += this.size * 0.8;
    const colW = this.width / block.labels.length;
    block.labels.forEach((label, i) => {
      let x = this.left + i * colW;
      const dateW = pdf.widthOfString(block.dateLabel);
      const lineW = Math.max(20, (colW - pdf.widthOfString(label) - dateW - 16) * 0.6);
      const dateLineW = Math.max(15, colW - pdf.widthOfString(label) - dateW - lineW - 16);
      pdf.text(label, x, this.y, { lineBreak: false });
      x += pdf.widthOfString(label) + 3;
      pdf.moveTo(x, this.y + lh).lineTo(x + lineW, this.y + lh).stroke();
      x += lineW + 5;
      pdf.text(block.dateLabel, x, this.y, { lineBreak: false });
      x += dateW + 3;
      pdf.moveTo(x, this.y + lh).lineTo(x + dateLineW, this.y + lh).stroke();
    });
    this.y += lh;
  }
}
