import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../kernel/db/client.js';
import type { PrintTemplate } from '../../kernel/print/document.js';
import { formatMoney } from '../../kernel/money.js';
import type { Statement } from './receivables.service.js';

/** 对账单 printed on A4 (or continuous paper) for the customer to confirm and sign. */
export type StatementPrint = Statement & { company: string; printedOn: string };

const TEXT = {
  'zh-CN': {
    title: '客户对账单', file: '对账单', customer: '客户', code: '客户编码', period: '对账期间', terms: '账期（天）',
    opening: '期初余额', invoiced: '本期开票', red: '本期红冲', received: '本期回款', closing: '期末余额',
    date: '日期', kind: '类型', number: '单号', ref: '发票号/票据号/流水号', debit: '应收增加', credit: '应收减少', balance: '余额',
    invoice: '开票', red_invoice: '红字发票', receipt: '回款',
    note: '请核对以上往来，如有不符请于收到后 15 日内告知，逾期视为无误。', signs: ['客户确认（盖章）', '本公司（盖章）'], signDate: '日期',
  },
  'en-US': {
    title: 'Customer statement', file: 'statement', customer: 'Customer', code: 'Code', period: 'Period', terms: 'Payment terms (days)',
    opening: 'Opening balance', invoiced: 'Invoiced', red: 'Credit notes', received: 'Received', closing: 'Closing balance',
    date: 'Date', kind: 'Type', number: 'Number', ref: 'Tax no. / bill / reference', debit: 'Debit', credit: 'Credit', balance: 'Balance',
    invoice: 'Invoice', red_invoice: 'Credit note', receipt: 'Receipt',
    note: 'Please check the entries above and tell us of any difference within 15 days of receipt.', signs: ['Customer (stamp)', 'Our company (stamp)'], signDate: 'Date',
  },
} as const;

export const statementTemplate: PrintTemplate<StatementPrint> = {
  fileName: (s, { locale }) => `${TEXT[locale].file}-${s.customer.code}-${s.from}-${s.to}`,
  build: (s, { locale }) => {
    const t = TEXT[locale];
    return {
      company: s.company,
      title: t.title,
      reference: s.printedOn,
      blocks: [
        {
          kind: 'fields',
          columns: 2,
          fields: [
            { label: t.customer, value: s.customer.invoiceTitle || s.customer.name },
            { label: t.code, value: s.customer.code },
            { label: t.period, value: `${s.from} ~ ${s.to}` },
            { label: t.terms, value: String(s.customer.paymentTermsDays) },
            { label: t.opening, value: formatMoney(s.openingFen) },
            { label: t.closing, value: formatMoney(s.closingFen) },
            { label: t.invoiced, value: formatMoney(s.invoicedFen) },
            { label: t.red, value: formatMoney(s.redFen) },
            { label: t.received, value: formatMoney(s.receivedFen), wide: true },
          ],
        },
        {
          kind: 'table',
          columns: [
            { label: t.date, widthPct: 12 },
            { label: t.kind, widthPct: 10 },
            { label: t.number, widthPct: 17 },
            { label: t.ref, widthPct: 19 },
            { label: t.debit, widthPct: 14, align: 'right' },
            { label: t.credit, widthPct: 14, align: 'right' },
            { label: t.balance, widthPct: 14, align: 'right' },
          ],
          rows: [
            [s.from, t.opening, '', '', '', '', formatMoney(s.openingFen)],
            ...s.entries.map((e) => [e.date, t[e.kind], e.number, e.reference ?? '', e.debitFen ? formatMoney(e.debitFen) : '', e.creditFen ? formatMoney(e.creditFen) : '', formatMoney(e.balanceFen)]),
            [s.to, t.closing, '', '', '', '', formatMoney(s.closingFen)],
          ],
        },
        { kind: 'paragraph', text: t.note },
        { kind: 'signatures', labels: [...t.signs], dateLabel: t.signDate },
      ],
    };
  },
};

/** The issuing company: the root department's name (as the account notice). */
export async function companyName(db: Queryable): Promise<string> {
  const [root] = rowsOf<{ name: string }>(await db.execute(sql`select name from departments where parent_id is null order by id limit 1`));
  return root?.name ?? '';
}
