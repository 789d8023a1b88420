import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { Locale } from '../i18n.js';

/** One column of an exported list: the header in both languages and how to read the cell from a row. */
export type ExportColumn<T> = {
  header: Record<Locale, string>;
  width?: number;
  value: (row: T) => string | number | Date | null;
};

/** Builds an xlsx of the rows with a bold, frozen header row and an autofilter, as users expect from Excel. */
export async function buildXlsx<T>(sheetName: string, columns: ExportColumn<T>[], rows: T[], locale: Locale): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'RxDesk';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header[locale], key: String(i), width: c.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function sendXlsx(reply: FastifyReply, filename: string, body: Buffer) {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .send(body);
}
