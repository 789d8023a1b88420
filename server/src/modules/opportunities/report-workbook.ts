import ExcelJS from 'exceljs';
import type { ExportColumn } from '../../kernel/excel/export.js';
import type { Locale } from '../../kernel/i18n.js';

/**
 * A report as managers print and forward it: a bold title row (e.g. 热点客户管理表 2026-11), then the
 * group summary, then the detail rows — each table with its own bold header row.
 */
export async function buildReportXlsx<S, D>(input: {
  sheetName: string;
  title: string;
  locale: Locale;
  summary: { columns: ExportColumn<S>[]; rows: S[] };
  detail: { columns: ExportColumn<D>[]; rows: D[] };
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'RxDesk';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(input.sheetName);
  const width = Math.max(input.summary.columns.length, input.detail.columns.length);
  sheet.addRow([input.title]);
  sheet.mergeCells(1, 1, 1, width);
  sheet.getRow(1).font = { bold: true, size: 14 };
  const table = <T>(columns: ExportColumn<T>[], rows: T[]) => {
    const header = sheet.addRow(columns.map((c) => c.header[input.locale]));
    header.font = { bold: true };
    for (const row of rows) sheet.addRow(columns.map((c) => c.value(row)));
  };
  table(input.summary.columns, input.summary.rows);
  sheet.addRow([]);
  table(input.detail.columns, input.detail.rows);
  input.detail.columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = c.width ?? 16;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
