import { z } from 'zod';
import { fenAmount } from '../../kernel/http/money.js';
import { queryBoolean } from '../../kernel/http/paging.js';
import { ORDER_CHANNELS, ORDER_STATUSES, ORDER_URGENCIES } from './orders.tables.js';

/** zod schemas of the orders API (money as fen strings, dates 'YYYY-MM-DD'). */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date' });
const text = (max: number) => z.string().trim().max(max).nullable().optional();

export const orderLineBody = z.object({
  productId: z.number().int().positive(),
  quantity: z.number().int().positive().max(10_000_000),
  /** Default: the list price resolved for the customer on the order date. */
  unitPriceFen: fenAmount.nullable().optional(),
  discountFen: fenAmount.nullable().optional(),
  priceOverrideReason: text(500),
  notes: text(500),
});

export const orderBody = z.object({
  customerId: z.number().int().positive(),
  channel: z.enum(ORDER_CHANNELS).optional(),
  orderDate: day.nullable().optional(),
  requestedDeliveryOn: day.nullable().optional(),
  urgency: z.enum(ORDER_URGENCIES).optional(),
  allowBatchSplit: z.boolean().optional(),
  packagingNote: text(500),
  deliveryNote: text(500),
  shipToAddress: text(300),
  shipToContact: text(60),
  shipToPhone: text(40),
  customerPoNumber: text(60),
  notes: text(1000),
  lines: z.array(orderLineBody).min(1).max(200),
});

export const idParams = z.object({ id: z.coerce.number().int().positive() });
export const versionBody = z.object({ version: z.number().int() });
export const reasonBody = versionBody.extend({ reason: z.string().trim().min(1).max(500) });

export const orderFilter = z.object({
  status: z
    .string()
    .max(200)
    .optional()
    .transform((v) => (v ? v.split(',').filter(Boolean) : undefined))
    .pipe(z.array(z.enum(ORDER_STATUSES)).optional()),
  customerId: z.coerce.number().int().positive().optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  from: day.optional(),
  to: day.optional(),
  urgency: z.enum(ORDER_URGENCIES).optional(),
  abnormal: queryBoolean.optional(),
  q: z.string().trim().max(60).optional(),
});

const problem = z.object({ code: z.string(), lineNo: z.number().int().optional(), params: z.record(z.string(), z.unknown()).optional(), message: z.string() });

export const orderRow = z.object({
  id: z.number().int(),
  number: z.string(),
  status: z.enum(ORDER_STATUSES),
  customerId: z.number().int(),
  customerName: z.string(),
  customerCode: z.string(),
  channel: z.enum(ORDER_CHANNELS),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  ownerDepartmentId: z.number().int().nullable(),
  enteredBy: z.number().int(),
  enteredByName: z.string(),
  orderDate: z.string(),
  requestedDeliveryOn: z.string().nullable(),
  urgency: z.enum(ORDER_URGENCIES),
  allowBatchSplit: z.boolean(),
  packagingNote: z.string().nullable(),
  deliveryNote: z.string().nullable(),
  shipToAddress: z.string().nullable(),
  shipToContact: z.string().nullable(),
  shipToPhone: z.string().nullable(),
  customerPoNumber: z.string().nullable(),
  totalFen: z.string(),
  problems: z.array(problem),
  abnormal: z.boolean(),
  shortage: z.boolean(),
  submittedBy: z.number().int().nullable(),
  submittedByName: z.string().nullable(),
  submittedAt: z.date().nullable(),
  reviewedBy: z.number().int().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.date().nullable(),
  releasedAt: z.date().nullable(),
  cancelReason: z.string().nullable(),
  cancelledAt: z.date().nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const creditOut = z.object({
  limitFen: z.string(),
  paymentTermsDays: z.number().int(),
  receivableFen: z.string(),
  uninvoicedFen: z.string(),
  exposureFen: z.string(),
  availableFen: z.string(),
  overdueFen: z.string(),
  oldestOverdueDays: z.number().int(),
});

export const orderDetail = orderRow.extend({
  lines: z.array(
    z.object({
      id: z.number().int(),
      lineNo: z.number().int(),
      productId: z.number().int(),
      productCode: z.string(),
      productName: z.string(),
      specification: z.string(),
      packageUnit: z.string(),
      manufacturer: z.string(),
      coldChain: z.boolean(),
      quantity: z.number().int(),
      listPriceFen: z.string().nullable(),
      priceSource: z.string().nullable(),
      unitPriceFen: z.string(),
      priceOverrideReason: z.string().nullable(),
      discountFen: z.string(),
      amountFen: z.string(),
      vatRateBp: z.number().int(),
      reservedQty: z.number().int(),
      shippedQty: z.number().int(),
      returnedQty: z.number().int(),
      closedQty: z.number().int(),
      invoicedQty: z.number().int(),
      backorderQty: z.number().int(),
      notes: z.string().nullable(),
    }),
  ),
  reservations: z.array(
    z.object({
      orderLineId: z.number().int(),
      lineNo: z.number().int(),
      productName: z.string(),
      warehouseId: z.number().int(),
      warehouseName: z.string(),
      batchId: z.number().int(),
      batchNo: z.string(),
      expiresOn: z.string(),
      quantity: z.number().int(),
    }),
  ),
  approvals: z.array(
    z.object({
      id: z.number().int(),
      status: z.string(),
      submittedAt: z.date(),
      decidedAt: z.date().nullable(),
      tasks: z.array(
        z.object({
          id: z.number().int(),
          stepSeq: z.number().int(),
          stepName: z.string(),
          approverName: z.string(),
          decidedByName: z.string().nullable(),
          status: z.string(),
          comment: z.string().nullable(),
          decidedAt: z.date().nullable(),
        }),
      ),
    }),
  ),
  credit: creditOut.nullable(),
  mayReview: z.boolean(),
});

export const submitResult = z.object({ order: orderDetail, approvalStarted: z.boolean() });

const indicator = z.object({ state: z.enum(['none', 'partly', 'fully']), amountFen: z.string(), ofFen: z.string() });
export const orderChainOut = z.object({
  orderId: z.number().int(),
  indicators: z.object({ shipped: indicator, invoiced: indicator, paid: indicator }),
  shipments: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      status: z.string(),
      kind: z.string(),
      warehouseName: z.string(),
      dispatchedOn: z.string().nullable(),
      carrier: z.string().nullable(),
      trackingNo: z.string().nullable(),
      deliveredAt: z.date().nullable(),
      quantity: z.number().int(),
      createdAt: z.date(),
    }),
  ),
  invoices: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      kind: z.string(),
      invoiceType: z.string(),
      status: z.string(),
      taxInvoiceNo: z.string().nullable(),
      issuedOn: z.string().nullable(),
      dueOn: z.string().nullable(),
      amountFen: z.string(),
      taxFen: z.string(),
      paidFen: z.string(),
      creditedFen: z.string(),
    }),
  ),
  receipts: z.array(
    z.object({
      allocationId: z.number().int(),
      receiptId: z.number().int(),
      number: z.string(),
      method: z.string(),
      status: z.string(),
      receivedOn: z.string(),
      invoiceId: z.number().int(),
      invoiceNumber: z.string(),
      amountFen: z.string(),
    }),
  ),
  returns: z.array(z.object({ id: z.number().int(), number: z.string(), status: z.string(), reason: z.string(), resolution: z.string(), quantity: z.number().int(), createdAt: z.date() })),
});

const idList = z
  .string()
  .max(2000)
  .optional()
  .transform((v) => (v ? v.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0) : []));

export const lastPricesQuery = z.object({ customerId: z.coerce.number().int().positive(), productIds: idList });
export const lastPricesOut = z.array(
  z.object({ productId: z.number().int(), unitPriceFen: z.string(), discountFen: z.string(), quantity: z.number().int(), orderDate: z.string(), orderId: z.number().int(), orderNumber: z.string() }),
);
export const entryContextQuery = lastPricesQuery.extend({ orderDate: day.optional() });
export const entryContextOut = z.object({
  customer: z.object({ id: z.number().int(), shipToAddress: z.string().nullable(), shipToPhone: z.string().nullable(), qualificationState: z.string(), status: z.string() }),
  credit: creditOut.nullable(),
  products: z.array(
    z.object({
      productId: z.number().int(),
      listPriceFen: z.string().nullable(),
      priceSource: z.string().nullable(),
      available: z.number().int(),
      vatRateBp: z.number().int(),
      active: z.boolean(),
      last: lastPricesOut.element.nullable(),
    }),
  ),
});
