import { api, type Page, type Query } from '../../shared/api';

/** 开票 / 回款 / 应收 API (server/src/modules/finance). Money is a string of fen. */
export const INVOICES_KEY = ['invoices'] as const;
export const RECEIPTS_KEY = ['receipts'] as const;
export const RECEIVABLES_KEY = ['receivables'] as const;

export type InvoiceStatus = 'draft' | 'issued' | 'cancelled';
export type InvoiceKind = 'blue' | 'red';
export type InvoiceType = 'special' | 'normal';
export const INVOICE_STATUSES: InvoiceStatus[] = ['draft', 'issued', 'cancelled'];
export const INVOICE_KINDS: InvoiceKind[] = ['blue', 'red'];
export const INVOICE_TYPES: InvoiceType[] = ['special', 'normal'];

export type InvoiceRow = {
  id: number;
  number: string;
  kind: InvoiceKind;
  invoiceType: InvoiceType;
  status: InvoiceStatus;
  customerId: number;
  customerName: string;
  orderId: number | null;
  orderNumber: string | null;
  originalInvoiceId: number | null;
  originalNumber: string | null;
  returnId: number | null;
  taxInvoiceCode: string | null;
  taxInvoiceNo: string | null;
  issuedOn: string | null;
  dueOn: string | null;
  amountFen: string;
  taxFen: string;
  paidFen: string;
  creditedFen: string;
  openFen: string;
  reason: string | null;
  notes: string | null;
  version: number;
  createdAt: string;
};
export type AllocationRow = { id: number; receiptId: number; receiptNumber: string; invoiceId: number; invoiceNumber: string; amountFen: string; receivedOn: string; allocatedAt: string; allocatedByName: string };
export type InvoiceDetail = InvoiceRow & {
  lines: { id: number; orderLineId: number; orderNumber: string; lineNo: number; productId: number; productName: string; spec: string | null; quantity: number; unitPriceFen: string; amountFen: string; vatRateBp: number; taxFen: string; redQty: number }[];
  allocations: AllocationRow[];
  reds: { id: number; number: string; status: InvoiceStatus; amountFen: string; issuedOn: string | null }[];
  customerInvoiceInfo: Record<'invoiceTitle' | 'taxNumber' | 'bankName' | 'bankAccount' | 'invoiceAddress' | 'invoicePhone', string | null>;
};
export type WorklistLine = {
  orderLineId: number;
  orderId: number;
  orderNumber: string;
  orderDate: string;
  customerId: number;
  customerName: string;
  lineNo: number;
  productName: string;
  spec: string | null;
  quantity: number;
  shippedQty: number;
  returnedQty: number;
  invoicedQty: number;
  draftQty: number;
  invoiceableQty: number;
  unitPriceFen: string;
  amountFen: string;
  vatRateBp: number;
  excessQty?: number;
  returnNumber?: string | null;
};

export const listInvoices = (query: Query, signal?: AbortSignal) => api.get<Page<InvoiceRow>>('/invoices', query, signal);
export const getInvoice = (id: number, signal?: AbortSignal) => api.get<InvoiceDetail>(`/invoices/${id}`, undefined, signal);
export const invoiceable = (customerId: number | undefined, signal?: AbortSignal) => api.get<{ items: WorklistLine[] }>('/invoices/invoiceable', { customerId }, signal);
export const redPending = (customerId: number | undefined, signal?: AbortSignal) => api.get<{ items: WorklistLine[] }>('/invoices/red-pending', { customerId }, signal);
export const draftInvoice = (body: { customerId: number; invoiceType: InvoiceType; lines: { orderLineId: number; quantity: number }[]; notes?: string | null }) => api.post<InvoiceDetail>('/invoices', body);
export const issueInvoice = (id: number, body: { version: number; taxInvoiceCode?: string | null; taxInvoiceNo: string; issuedOn: string }) => api.post<InvoiceDetail>(`/invoices/${id}/issue`, body);
export const cancelInvoice = (id: number, body: { version: number; reason?: string | null }) => api.post<InvoiceDetail>(`/invoices/${id}/cancel`, body);
export const redInvoice = (id: number, body: { reason: string; returnId?: number | null; lines: { orderLineId: number; quantity: number }[] }) => api.post<InvoiceDetail>(`/invoices/${id}/red`, body);

export type ReceiptMethod = 'bank_transfer' | 'acceptance_bill' | 'cash' | 'other';
export const RECEIPT_METHODS: ReceiptMethod[] = ['bank_transfer', 'acceptance_bill', 'cash', 'other'];
export type ReceiptRow = {
  id: number;
  number: string;
  status: 'posted' | 'voided';
  customerId: number;
  customerName: string;
  method: ReceiptMethod;
  amountFen: string;
  allocatedFen: string;
  unappliedFen: string;
  receivedOn: string;
  reference: string | null;
  payerName: string | null;
  billNo: string | null;
  billDueOn: string | null;
  voidReason: string | null;
  notes: string | null;
  createdByName: string;
  version: number;
};
export type ReceiptDetail = ReceiptRow & { allocations: AllocationRow[] };
export type ReceiptInput = { customerId: number; method: ReceiptMethod; amountFen: string; receivedOn: string; reference?: string | null; payerName?: string | null; billNo?: string | null; billDueOn?: string | null; notes?: string | null; autoAllocate?: boolean };

export const listReceipts = (query: Query, signal?: AbortSignal) => api.get<Page<ReceiptRow>>('/receipts', query, signal);
export const getReceipt = (id: number, signal?: AbortSignal) => api.get<ReceiptDetail>(`/receipts/${id}`, undefined, signal);
export const recordReceipt = (body: ReceiptInput) => api.post<ReceiptDetail>('/receipts', body);
export const autoAllocate = (id: number) => api.post<ReceiptDetail>(`/receipts/${id}/auto-allocate`);
export const allocateByHand = (id: number, body: { version: number; allocations: { invoiceId: number; amountFen: string }[] }) => api.post<ReceiptDetail>(`/receipts/${id}/allocations`, body);
export const unallocate = (id: number, allocationId: number, reason?: string | null) => api.post<ReceiptDetail>(`/receipts/${id}/allocations/${allocationId}/remove`, { reason });
export const voidReceipt = (id: number, body: { version: number; reason: string }) => api.post<ReceiptDetail>(`/receipts/${id}/void`, body);

export type AgingRow = {
  customerId: number;
  customerCode: string;
  customerName: string;
  ownerId: number | null;
  ownerName: string | null;
  paymentTermsDays: number;
  notDueFen: string;
  d1to30Fen: string;
  d31to60Fen: string;
  d61to90Fen: string;
  over90Fen: string;
  openBlueFen: string;
  creditFen: string;
  balanceFen: string;
  overdueFen: string;
};
export type AgingReport = { asOf: string; rows: AgingRow[]; totals: Omit<AgingRow, 'customerId' | 'customerCode' | 'customerName' | 'ownerId' | 'ownerName' | 'paymentTermsDays'> };
export type OverdueInvoice = { invoiceId: number; number: string; taxInvoiceNo: string | null; customerId: number; customerName: string; ownerId: number | null; ownerName: string | null; issuedOn: string; dueOn: string; daysOverdue: number; openFen: string };
export type Statement = {
  customer: { id: number; code: string; name: string; invoiceTitle: string | null; paymentTermsDays: number };
  from: string;
  to: string;
  openingFen: string;
  entries: { date: string; kind: 'invoice' | 'red_invoice' | 'receipt'; id: number; number: string; reference: string | null; debitFen: string; creditFen: string; balanceFen: string }[];
  invoicedFen: string;
  redFen: string;
  receivedFen: string;
  closingFen: string;
};
export type CreditStatus = { customerId: number; limitFen: string; paymentTermsDays: number; receivableFen: string; uninvoicedFen: string; exposureFen: string; availableFen: string; overdueFen: string; oldestOverdueDays: number };

export const agingReport = (query: Query, signal?: AbortSignal) => api.get<AgingReport>('/receivables/aging', query, signal);
export const overdueList = (query: Query, signal?: AbortSignal) => api.get<{ asOf: string; items: OverdueInvoice[] }>('/receivables/overdue', query, signal);
export const customerStatement = (customerId: number, from: string, to: string, signal?: AbortSignal) => api.get<Statement>(`/customers/${customerId}/statement`, { from, to }, signal);
export const customerCredit = (customerId: number, signal?: AbortSignal) => api.get<CreditStatus>(`/customers/${customerId}/credit`, undefined, signal);
