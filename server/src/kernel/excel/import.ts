import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { z } from 'zod';
import type { Actor } from '../access/actor.js';
import type { Permission } from '../access/permissions.js';
import type { Queryable, Tx } from '../db/client.js';
import { DomainError } from '../errors.js';
import { fieldMessage } from '../http/errors-handler.js';
import { type Locale, translate } from '../i18n.js';
import type { StoredCellError, StoredImportRow } from './import.tables.js';

/**
 * The import framework: a list declares its importer once (columns with a parser per cell, a bulk
 * row validator, a bulk commit) and gets a template, an upload that validates every row, a commit
 * (all-or-nothing or valid rows only) and a file of rejected rows for correction.
 */

export type Text2 = Record<Locale, string>;
export type CellResult = { ok: true; value: unknown } | { ok: false; code: string; params?: Record<string, unknown> };

/** Bulk lookup of a reference column: called once per upload with every distinct value in the column. */
export type ReferenceCandidates = { id: unknown; keys: string[]; label: string }[];

export type CellParser = {
  parse(raw: string, candidates?: ReferenceCandidates): CellResult;
  /** Reference columns: loads the candidates for the given values (or all candidates for the template). */
  /** Candidates for the values in the file; `actor` (the importer) lets a module offer only rows the user may see. */
  load?(db: Queryable, values: string[] | null, actor?: Actor): Promise<ReferenceCandidates>;
  /** Values offered as a drop-down in the template (enums and short references). */
  options?(db: Queryable, locale: Locale): Promise<string[]>;
  allowed?: Text2;
};

export type ImportColumn = {
  key: string;
  header: Text2;
  required?: boolean;
  parser: CellParser;
  note: Text2;
  example: string;
  width?: number;
};

export type ParsedRow = { row: number; values: Record<string, unknown> };
export type CommitResult = { committed: number; handOver?: { row: number; label: string; secret: string }[] };

export type Importer<Prepared = ParsedRow> = {
  kind: string;
  permission: Permission;
  title: Text2;
  columns: ImportColumn[];
  maxRows?: number;
  /** Rules across rows and against the database, in bulk; returns the problems by row number. */
  validate?(db: Queryable, rows: ParsedRow[]): Promise<Map<number, StoredCellError[]>>;
  /** Slow work outside the transaction (e.g. password hashing), with limited concurrency. */
  prepare?(rows: ParsedRow[]): Promise<Prepared[]>;
  /** Writes the rows in bulk (no query per row) and audits them inside the transaction. */
  commit(tx: Tx, actor: Actor, rows: Prepared[]): Promise<CommitResult>;
};

// ---- Cell parsers -------------------------------------------------------------------------------

const LIST_SEPARATORS = /[、,，;；\n]+/;

/** Free text, optionally checked by a zod schema (its message is shown localised). */
export function text(options: { max?: number; schema?: z.ZodType } = {}): CellParser {
  return {
    parse(raw) {
      if (options.max !== undefined && raw.length > options.max) return { ok: false, code: 'IMPORT_TOO_LONG', params: { max: options.max } };
      if (options.schema) {
        const r = options.schema.safeParse(raw);
        if (!r.success) return { ok: false, code: 'IMPORT_INVALID', params: { issue: { ...r.error.issues[0], input: raw } } };
        return { ok: true, value: r.data };
      }
      return { ok: true, value: raw };
    },
  };
}

export function integer(options: { min?: number; max?: number } = {}): CellParser {
  return {
    parse(raw) {
      const t = raw.replace(/[,，\s]/g, '');
      if (!/^-?\d+(\.0+)?$/.test(t)) return { ok: false, code: 'IMPORT_NOT_INTEGER', params: { value: raw } };
      const n = Number.parseInt(t, 10);
      if ((options.min !== undefined && n < options.min) || (options.max !== undefined && n > options.max) || !Number.isSafeInteger(n)) {
        return { ok: false, code: 'IMPORT_OUT_OF_RANGE', params: { value: raw, min: options.min ?? '', max: options.max ?? '' } };
      }
      return { ok: true, value: n };
    },
  };
}

/** A business date (no time zone), as 'YYYY-MM-DD'; accepts 2026-01-05, 2026/1/5, 2026.1.5, 20260105 and 2026年1月5日. */
export function date(): CellParser {
  return {
    parse(raw) {
      const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(raw) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
      if (m) {
        const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
        const dt = new Date(Date.UTC(y, mo - 1, d));
        if (dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d) {
          return { ok: true, value: `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
        }
      }
      return { ok: false, code: 'IMPORT_NOT_DATE', params: { value: raw } };
    },
  };
}

/** One of a fixed set, written by its Chinese or English label (or its code). */
export function enumOf<V extends string>(values: { value: V; label: Text2 }[]): CellParser {
  const byKey = new Map<string, V>();
  for (const v of values) for (const k of [v.value, v.label['zh-CN'], v.label['en-US']]) byKey.set(k.toLowerCase(), v.value);
  return {
    parse(raw) {
      const hit = byKey.get(raw.toLowerCase());
      return hit === undefined
        ? { ok: false, code: 'IMPORT_NOT_ALLOWED', params: { value: raw, allowed: values.map((v) => v.label['zh-CN']).join('、') } }
        : { ok: true, value: hit };
    },
    options: async (_db, locale) => values.map((v) => v.label[locale]),
    allowed: { 'zh-CN': values.map((v) => v.label['zh-CN']).join('、'), 'en-US': values.map((v) => v.label['en-US']).join(', ') },
  };
}

/**
 * A reference to another record by a name (or code, or path) → its id. `what` names the record in
 * messages; `hint` says how to disambiguate. With `many`, the cell holds several names separated by 、 or ,.
 */
export function reference(options: {
  what: string;
  load: (db: Queryable, values: string[] | null, actor?: Actor) => Promise<ReferenceCandidates>;
  hint?: Text2;
  many?: boolean;
  dropDown?: boolean;
  normalise?: (raw: string) => string;
}): CellParser {
  const norm = options.normalise ?? ((s: string) => s.trim().toLowerCase());
  const resolveOne = (token: string, candidates: ReferenceCandidates): CellResult => {
    const key = norm(token);
    const hits = candidates.filter((c) => c.keys.some((k) => norm(k) === key));
    if (hits.length === 0) return { ok: false, code: 'IMPORT_NOT_FOUND', params: { what: options.what, value: token } };
    if (hits.length > 1) {
      return { ok: false, code: 'IMPORT_AMBIGUOUS', params: { what: options.what, value: token, candidates: hits.map((h) => h.label).join('；'), hint: options.hint ?? null } };
    }
    return { ok: true, value: hits[0].id };
  };
  return {
    parse(raw, candidates = []) {
      if (!options.many) return resolveOne(raw, candidates);
      const ids: unknown[] = [];
      for (const token of raw.split(LIST_SEPARATORS).map((s) => s.trim()).filter(Boolean)) {
        const r = resolveOne(token, candidates);
        if (!r.ok) return r;
        if (!ids.includes(r.value)) ids.push(r.value);
      }
      return { ok: true, value: ids };
    },
    load: (db, values, actor) => {
      if (values === null || !options.many) return options.load(db, values, actor);
      return options.load(db, [...new Set(values.flatMap((v) => v.split(LIST_SEPARATORS).map((s) => s.trim()).filter(Boolean)))], actor);
    },
    options: options.dropDown ? async (db) => (await options.load(db, null)).map((c) => c.label) : undefined,
  };
}

// ---- Reading files ------------------------------------------------------------------------------

export type RawTable = { headers: string[]; rows: { row: number; cells: string[] }[] };

/** The text a user sees in a cell: rich text joined, hyperlinks by their text, formulas by their result, dates as YYYY-MM-DD. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((p) => p.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    if ('error' in v) return '';
  }
  return String(value).trim();
}

/** Stream-parses the first worksheet of an xlsx (exceljs's streaming reader: rows are not all held as cell objects). */
async function readXlsx(buffer: Buffer, maxRows: number): Promise<RawTable> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  let headers: string[] | null = null;
  const rows: RawTable['rows'] = [];
  for await (const worksheet of reader) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as unknown[]).slice(1).map(cellText);
      if (headers === null) {
        if (values.some(Boolean)) headers = values;
        continue;
      }
      if (!values.some(Boolean)) continue;
      if (rows.length >= maxRows) throw new DomainError('IMPORT_TOO_MANY_ROWS', { max: maxRows }, 422);
      rows.push({ row: row.number, cells: values });
    }
    break; // the first sheet holds the data; a template's notes sheets follow it
  }
  return { headers: headers ?? [], rows };
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GB18030 (a superset of GBK: what Chinese Excel writes). */
export function decodeCsv(buffer: Buffer): string {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return iconv.decode(buffer, 'gb18030');
  }
}

/** RFC 4180 csv: quoted fields with doubled quotes and line breaks, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    out.push(row);
  }
  return out;
}

function readCsv(buffer: Buffer, maxRows: number): RawTable {
  const lines = parseCsv(decodeCsv(buffer));
  let headers: string[] | null = null;
  const rows: RawTable['rows'] = [];
  lines.forEach((line, i) => {
    const cells = line.map((c) => c.trim());
    if (!cells.some(Boolean)) return;
    if (headers === null) {
      headers = cells;
      return;
    }
    if (rows.length >= maxRows) throw new DomainError('IMPORT_TOO_MANY_ROWS', { max: maxRows }, 422);
    rows.push({ row: i + 1, cells });
  });
  return { headers: headers ?? [], rows };
}

export async function readTable(buffer: Buffer, filename: string, maxRows: number): Promise<RawTable> {
  const isZip = buffer[0] === 0x50 && buffer[1] === 0x4b;
  if (isZip) {
    try {
      return await readXlsx(buffer, maxRows);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw new DomainError('IMPORT_FILE_UNREADABLE', { filename }, 422);
    }
  }
  if (/\.(csv|txt)$/i.test(filename)) return readCsv(buffer, maxRows);
  throw new DomainError('IMPORT_FILE_TYPE', { filename }, 422);
}

// ---- Validation ---------------------------------------------------------------------------------

const headerKey = (h: string) => h.replace(/[*＊\s]/g, '').toLowerCase();

/** Which file column holds which importer column; refuses a file missing a required column. */
export function matchHeaders(importer: Importer<unknown>, headers: string[]): Map<string, number> {
  const at = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = headerKey(h);
    const column = importer.columns.find((c) => headerKey(c.header['zh-CN']) === key || headerKey(c.header['en-US']) === key);
    if (column && !at.has(column.key)) at.set(column.key, i);
  });
  const missing = importer.columns.filter((c) => c.required && !at.has(c.key));
  if (missing.length) {
    throw new DomainError('IMPORT_HEADER_MISSING', { columns: missing.map((c) => c.header['zh-CN']).join('、') }, 422);
  }
  return at;
}

/** Parses every cell (reference columns looked up once, in bulk), then runs the importer's row rules. */
export async function parseRows(
  db: Queryable,
  importer: Importer<unknown>,
  rows: { row: number; cells: Record<string, string> }[],
  actor?: Actor,
): Promise<{ stored: StoredImportRow[]; parsed: ParsedRow[] }> {
  const candidates = new Map<string, ReferenceCandidates>();
  for (const column of importer.columns) {
    if (!column.parser.load) continue;
    const values = [...new Set(rows.map((r) => r.cells[column.key] ?? '').filter(Boolean))];
    candidates.set(column.key, values.length ? await column.parser.load(db, values, actor) : []);
  }
  const stored: StoredImportRow[] = [];
  const parsedOk: ParsedRow[] = [];
  for (const r of rows) {
    const errors: StoredCellError[] = [];
    const values: Record<string, unknown> = {};
    for (const column of importer.columns) {
      const raw = r.cells[column.key] ?? '';
      if (raw === '') {
        if (column.required) errors.push({ column: column.key, code: 'IMPORT_REQUIRED' });
        values[column.key] = null;
        continue;
      }
      const result = column.parser.parse(raw, candidates.get(column.key));
      if (result.ok) values[column.key] = result.value;
      else errors.push({ column: column.key, code: result.code, params: result.params });
    }
    stored.push({ row: r.row, cells: r.cells, errors });
    if (errors.length === 0) parsedOk.push({ row: r.row, values });
  }
  if (importer.validate && parsedOk.length) {
    const problems = await importer.validate(db, parsedOk);
    for (const s of stored) {
      const more = problems.get(s.row);
      if (more?.length) s.errors.push(...more);
    }
  }
  const bad = new Set(stored.filter((s) => s.errors.length).map((s) => s.row));
  return { stored, parsed: parsedOk.filter((p) => !bad.has(p.row)) };
}

/** A stored problem as the user reads it. */
export function errorMessage(e: StoredCellError, locale: Locale): string {
  if (e.code === 'IMPORT_INVALID' && e.params?.issue) return fieldMessage(locale, e.params.issue as Record<string, unknown>);
  const params = { ...e.params };
  if (params.hint && typeof params.hint === 'object') params.hint = (params.hint as Text2)[locale];
  else params.hint = '';
  return translate(e.code, locale, params);
}

export function columnHeader(importer: Importer<unknown>, key: string | null, locale: Locale): string {
  if (key === null) return '';
  return importer.columns.find((c) => c.key === key)?.header[locale] ?? key;
}

// ---- Files we hand out --------------------------------------------------------------------------

const REQUIRED_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E2' } } as const;

/** The template: headers, an example row, drop-downs for enum columns, and a notes sheet on every column. */
export async function buildTemplate(db: Queryable, importer: Importer<unknown>, locale: Locale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'RxDesk';
  const zh = locale === 'zh-CN';
  const sheet = wb.addWorksheet(importer.title[locale], { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = importer.columns.map((c) => ({ header: c.header[locale], key: c.key, width: c.width ?? 18 }));
  sheet.getRow(1).font = { bold: true };
  importer.columns.forEach((c, i) => {
    const cell = sheet.getRow(1).getCell(i + 1);
    if (c.required) cell.fill = REQUIRED_FILL;
    cell.note = c.note[locale];
  });
  sheet.addRow(importer.columns.map((c) => c.example));
  // Text cells, so Excel keeps leading zeros of codes and does not turn phone numbers into 1.38E+10.
  importer.columns.forEach((_, i) => (sheet.getColumn(i + 1).numFmt = '@'));

  const lists = wb.addWorksheet(zh ? '选项' : 'Lists');
  const notes = wb.addWorksheet(zh ? '填写说明' : 'Notes');
  notes.columns = [
    { header: zh ? '列' : 'Column', width: 16 },
    { header: zh ? '必填' : 'Required', width: 8 },
    { header: zh ? '说明' : 'Description', width: 60 },
    { header: zh ? '可选值' : 'Allowed values', width: 50 },
  ];
  notes.getRow(1).font = { bold: true };
  let listColumn = 0;
  for (const [i, c] of importer.columns.entries()) {
    const options = c.parser.options ? await c.parser.options(db, locale) : [];
    if (options.length) {
      listColumn++;
      const col = lists.getColumn(listColumn);
      col.width = 20;
      col.values = [c.header[locale], ...options];
      const letter = col.letter;
      const range = `'${lists.name}'!$${letter}$2:$${letter}$${options.length + 1}`;
      for (let r = 2; r <= 1001; r++) {
        // A suggestion, not a rule: multi-value cells (角色 "业务员、团队主管") stay allowed.
        sheet.getCell(r, i + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [range], showErrorMessage: false };
      }
    }
    notes.addRow([
      c.header[locale],
      c.required ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
      c.note[locale],
      c.parser.allowed?.[locale] ?? (options.length ? options.join(zh ? '、' : ', ') : ''),
    ]);
  }
  notes.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  notes.getColumn(4).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The rejected rows as the user wrote them, with one more column saying what is wrong. */
export async function buildErrorFile(importer: Importer<unknown>, rows: StoredImportRow[], locale: Locale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'RxDesk';
  const sheet = wb.addWorksheet(importer.title[locale], { views: [{ state: 'frozen', ySplit: 1 }] });
  const errorHeader = locale === 'zh-CN' ? '错误原因' : 'Errors';
  const rowHeader = locale === 'zh-CN' ? '原行号' : 'Original row';
  sheet.columns = [
    ...importer.columns.map((c) => ({ header: c.header[locale], key: c.key, width: c.width ?? 18 })),
    { header: errorHeader, key: '__errors', width: 60 },
    { header: rowHeader, key: '__row', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  importer.columns.forEach((_, i) => (sheet.getColumn(i + 1).numFmt = '@'));
  for (const r of rows) {
    if (r.errors.length === 0) continue;
    const text = r.errors
      .map((e) => (e.column ? `${columnHeader(importer, e.column, locale)}：${errorMessage(e, locale)}` : errorMessage(e, locale)))
      .join('；');
    const added = sheet.addRow([...importer.columns.map((c) => r.cells[c.key] ?? ''), text, r.row]);
    added.getCell(importer.columns.length + 1).font = { color: { argb: 'FFC00000' } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
