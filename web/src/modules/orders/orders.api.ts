import { api, type Page, type Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';

export const ORDER_STATUSES = ['draft', 'pending_approval', 'pending_review', 'released', 'partially_shipped', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_CHANNELS = ['phone', 'fax', 'email', 'rep', 'portal', 'other'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];
export const ORDER_URGENCIES = ['normal', 'urgent'] as const;
export type OrderUrgency = (typeof ORDER_URGENCIES)[number];

export const STATUS_COLORS: Record<OrderStatus, string> = {
  draft: 'default',
  pending_approval: 'orange',
  pending_review: 'processing',
  released: 'cyan',
  partially_shipped: 'geekblue',
  shipped: 'success',
  cancelled: 'warning',
};

export const DOC_TYPE = 'sales_order';
export const ORDERS_KEY = ['orders'] as const;

export interface OrderProblem {
  code: string;
  lineNo?: number;
  params?: Record<string, unknown>;
  message: string;
}

export interface Order {
  id: number;
  number: string;
  status: OrderStatus;
  customerId: number;
  customerName: string;
  customerCode: string;
  channel: OrderChannel;
  ownerId: number | null;
  ownerName: string | null;
  enteredBy: number;
  enteredByName: string;
  orderDate: string;
  requestedDeliveryOn: string | null;
  urgency: OrderUrgency;
  allowBatchSplit: boolean;
  packagingNote: string | null;
  deliveryNote: string | null;
  shipToAddress: string | null;
  shipToContact: string | null;
  shipToPhone: string | null;
  customerPoNumber: string | null;
  totalFen: string;
  problems: OrderProblem[];
  abnormal: boolean;
  shortage: boolean;
  submittedBy: number | null;
  submittedByName: string | null;
  submittedAt: string | null;
  reviewedBy: number | null;
  reviewedByName: string | null;
  reviewedAt: string | null;
  releasedAt: string | null;
  cancelReason: string | null;
  cancelledAt: string | null;
  notes: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrderLine {
  id: number;
  lineNo: number;
  productId: number;
  productCode: string;
  productName: string;
  specification: string;
  packageUnit: string;
  manufacturer: string;
  coldChain: boolean;
  quantity: number;
  listPriceFen: string | null;
  priceSource: string | null;
  unitPriceFen: string;
  priceOverrideReason: string | null;
  discountFen: string;
  amountFen: string;
  vatRateBp: number;
  reservedQty: number;
  shippedQty: number;
  returnedQty: number;
  closedQty: number;
  invoicedQty: number;
  backorderQty: number;
  notes: string | null;
}

export interface Reservation {
  orderLineId: number;
  lineNo: number;
  productName: string;
  warehouseId: number;
  warehouseName: string;
  batchId: number;
  batchNo: string;
  expiresOn: string;
  quantity: number;
}

export interface CreditInfo {
  limitFen: string;
  paymentTermsDays: number;
  receivableFen: string;
  uninvoicedFen: string;
  exposureFen: string;
  availableFen: string;
  overdueFen: string;
  oldestOverdueDays: number;
}

export type OrderDetail = Order & { lines: OrderLine[]; reservations: Reservation[]; credit: CreditInfo | null; mayReview: boolean };

export interface OrderLineInput {
  productId: number;
  quantity: number;
  unitPriceFen?: string | null;
  discountFen?: string | null;
  priceOverrideReason?: string | null;
  notes?: string | null;
}

export interface OrderInput {
  customerId: number;
  channel?: OrderChannel;
  orderDate?: string | null;
  requestedDeliveryOn?: string | null;
  urgency?: OrderUrgency;
  allowBatchSplit?: boolean;
  packagingNote?: string | null;
  deliveryNote?: string | null;
  shipToAddress?: string | null;
  shipToContact?: string | null;
  shipToPhone?: string | null;
  customerPoNumber?: string | null;
  notes?: string | null;
  lines: OrderLineInput[];
}

export type Progress = 'none' | 'partly' | 'fully';
export interface Indicator {
  state: Progress;
  amountFen: string;
  ofFen: string;
}
export interface OrderChain {
  orderId: number;
  indicators: { shipped: Indicator; invoiced: Indicator; paid: Indicator };
  shipments: { id: number; number: string; status: string; kind: string; warehouseName: string; dispatchedOn: string | null; carrier: string | null; trackingNo: string | null; deliveredAt: string | null; quantity: number; createdAt: string }[];
  invoices: { id: number; number: string; kind: string; invoiceType: string; status: string; taxInvoiceNo: string | null; issuedOn: string | null; dueOn: string | null; amountFen: string; taxFen: string; paidFen: string; creditedFen: string }[];
  receipts: { allocationId: number; receiptId: number; number: string; method: string; status: string; receivedOn: string; invoiceId: number; invoiceNumber: string; amountFen: string }[];
  returns: { id: number; number: string; status: string; reason: string; resolution: string; quantity: number; createdAt: string }[];
}

export interface LastPrice {
  productId: number;
  unitPriceFen: string;
  discountFen: string;
  quantity: number;
  orderDate: string;
  orderId: number;
  orderNumber: string;
}
export interface EntryContext {
  customer: { id: number; shipToAddress: string | null; shipToPhone: string | null; qualificationState: string; status: string };
  credit: CreditInfo | null;
  products: { productId: number; listPriceFen: string | null; priceSource: string | null; available: number; vatRateBp: number; active: boolean; last: LastPrice | null }[];
}

const SORT_FIELDS = ['number', 'orderDate', 'totalFen', 'status', 'createdAt', 'submittedAt', 'requestedDeliveryOn'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The list's filters as they stand in the URL; what is malformed is ignored. */
export function readOrderFilters(params: URLSearchParams) {
  const status = (params.get('status') ?? '').split(',').filter((s) => (ORDER_STATUSES as readonly string[]).includes(s)) as OrderStatus[];
  const urgency = params.get('urgency');
  const abnormal = params.get('abnormal');
  const sort = params.get('sort') ?? undefined;
  const from = params.get('from');
  const to = params.get('to');
  return {
    q: params.get('q')?.trim() || undefined,
    status: status.length ? status.join(',') : undefined,
    customerId: readInt(params, 'customerId'),
    ownerId: readInt(params, 'ownerId'),
    from: from && DAY.test(from) ? from : undefined,
    to: to && DAY.test(to) ? to : undefined,
    urgency: (ORDER_URGENCIES as readonly string[]).includes(urgency ?? '') ? (urgency as OrderUrgency) : undefined,
    abnormal: abnormal === 'true' ? true : abnormal === 'false' ? false : undefined,
    sort: sort && SORT_FIELDS.includes(sort.replace(/^-/, '')) ? sort : undefined,
  };
}

export function orderListQuery(params: URLSearchParams): Query {
  return { ...readOrderFilters(params), ...readPage(params) };
}

export const listOrders = (query: Query, signal?: AbortSignal) => api.get<Page<Order>>('/orders', query, signal);
export const getOrder = (id: number, signal?: AbortSignal) => api.get<OrderDetail>(`/orders/${id}`, undefined, signal);
export const getOrderChain = (id: number, signal?: AbortSignal) => api.get<OrderChain>(`/orders/${id}/chain`, undefined, signal);
export const createOrder = (input: OrderInput) => api.post<OrderDetail>('/orders', input);
export const updateOrder = (id: number, input: OrderInput & { version: number }) => api.put<OrderDetail>(`/orders/${id}`, input);
export const submitOrder = (id: number, version: number) => api.post<{ order: OrderDetail; approvalStarted: boolean }>(`/orders/${id}/submit`, { version });
export const reviewOrder = (id: number, version: number, comment?: string | null) => api.post<OrderDetail>(`/orders/${id}/review`, { version, comment: comment ?? null });
export const cancelOrder = (id: number, version: number, reason: string) => api.post<OrderDetail>(`/orders/${id}/cancel`, { version, reason });
export const closeBackorder = (id: number, version: number, reason: string) => api.post<OrderDetail>(`/orders/${id}/close-backorder`, { version, reason });
export const reserveAgain = (id: number, version: number) => api.post<OrderDetail & { reservedNow: number }>(`/orders/${id}/reserve`, { version });
export const entryContext = (query: { customerId: number; productIds: number[]; orderDate?: string }, signal?: AbortSignal) =>
  api.get<EntryContext>('/orders/entry-context', { customerId: query.customerId, productIds: query.productIds.join(','), orderDate: query.orderDate }, signal);
export const lastPrices = (customerId: number, productIds: number[], signal?: AbortSignal) =>
  api.get<LastPrice[]>('/orders/last-prices', { customerId, productIds: productIds.join(',') }, signal);
