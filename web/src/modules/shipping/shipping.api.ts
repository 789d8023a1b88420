import { api, type Page, type Query } from '../../shared/api';

export const SHIPMENTS_KEY = ['shipments'] as const;
export const SHIPMENT_STATUSES = ['picking', 'checked', 'dispatched', 'delivered', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** Cold chain: 2–8 °C, kept in tenths of a degree on the server. */
export const COLD_MIN_TENTHS = 20;
export const COLD_MAX_TENTHS = 80;

export type ShipmentRow = {
  id: number;
  number: string;
  status: ShipmentStatus;
  kind: 'order' | 'exchange';
  orderId: number;
  orderNumber: string;
  customerId: number;
  customerName: string;
  warehouseId: number;
  warehouseName: string;
  shipToAddress: string | null;
  shipToContact: string | null;
  shipToPhone: string | null;
  carrier: string | null;
  trackingNo: string | null;
  coldChain: boolean;
  temperatureLoggerId: string | null;
  startTempTenths: number | null;
  endTempTenths: number | null;
  createdBy: number;
  createdByName: string;
  checkedBy: number | null;
  checkedByName: string | null;
  checkedAt: string | null;
  dispatchedByName: string | null;
  dispatchedAt: string | null;
  dispatchedOn: string | null;
  deliveredAt: string | null;
  deliveredNote: string | null;
  cancelReason: string | null;
  notes: string | null;
  totalQuantity: number;
  version: number;
  createdAt: string;
};
export type ShipmentLine = {
  id: number;
  orderLineId: number;
  lineNo: number;
  productId: number;
  productCode: string;
  productName: string;
  specification: string;
  packageUnit: string;
  manufacturer: string;
  approvalNumber: string;
  storageCondition: string;
  batchId: number;
  batchNo: string;
  manufacturedOn: string | null;
  expiresOn: string;
  quantity: number;
  returnedOrRequested: number;
};
export type ShipmentDetail = ShipmentRow & { lines: ShipmentLine[]; returns: { id: number; number: string; status: string }[]; exchangeForReturnId: number | null };

export type ShippableLine = {
  orderLineId: number;
  lineNo: number;
  productId: number;
  productName: string;
  specification: string;
  packageUnit: string;
  coldChain: boolean;
  warehouseId: number;
  warehouseName: string;
  batchId: number;
  batchNo: string;
  expiresOn: string;
  reserved: number;
  onOpenShipments: number;
  available: number;
};
export type ShippableOrder = { id: number; number: string; status: string; customerId: number; customerName: string; orderDate: string; openQuantity: number };

export type DispatchInput = {
  version: number;
  carrier: string;
  trackingNo?: string | null;
  selfDelivery?: boolean;
  temperatureLoggerId?: string | null;
  startTempTenths?: number | null;
  endTempTenths?: number | null;
};

export const listShipments = (query: Query, signal?: AbortSignal) => api.get<Page<ShipmentRow>>('/shipments', query, signal);
export const getShipment = (id: number, signal?: AbortSignal) => api.get<ShipmentDetail>(`/shipments/${id}`, undefined, signal);
export const shippableOrders = (q: string, signal?: AbortSignal) => api.get<ShippableOrder[]>('/shipments/shippable-orders', { q }, signal);
export const shippable = (orderId: number, signal?: AbortSignal) =>
  api.get<{ orderId: number; orderNumber: string; status: string; customerId: number; customerName: string; lines: ShippableLine[] }>('/shipments/shippable', { orderId }, signal);
export const createShipments = (body: {
  orderId: number;
  lines?: { orderLineId: number; warehouseId: number; batchId: number; quantity: number }[] | null;
  shipToAddress?: string | null;
  shipToContact?: string | null;
  shipToPhone?: string | null;
  notes?: string | null;
}) => api.post<{ shipments: ShipmentDetail[] }>('/shipments', body);
export const checkShipment = (id: number, version: number, note?: string | null) => api.post<ShipmentDetail>(`/shipments/${id}/check`, { version, note });
export const dispatchShipment = (id: number, body: DispatchInput) => api.post<ShipmentDetail>(`/shipments/${id}/dispatch`, body);
export const deliverShipment = (id: number, body: { version: number; deliveredAt?: string | null; note?: string | null }) => api.post<ShipmentDetail>(`/shipments/${id}/deliver`, body);
export const cancelShipment = (id: number, version: number, reason: string) => api.post<ShipmentDetail>(`/shipments/${id}/cancel`, { version, reason });

/** Print views open in a new tab with the session cookie (kernel print routes). */
export const deliveryNoteUrl = (id: number, layout: 'a4' | 'continuous' | 'continuous-half' = 'a4') => `/api/shipments/${id}/delivery-note?layout=${layout}`;
export const pickingListUrl = (id: number) => `/api/shipments/${id}/picking-list?layout=a4`;

/** °C text ("5.2") ⇄ tenths (52); null when not a number with at most one decimal. */
export function celsiusToTenths(text: string): number | null {
  const s = text.trim();
  if (!/^-?\d{1,2}(\.\d)?$/.test(s)) return null;
  return Math.round(Number(s) * 10);
}
export const tenthsToCelsius = (tenths: number | null | undefined) => (tenths == null ? '' : (tenths / 10).toFixed(1));

/** The filters of the shipment list as they live in the URL. */
export function readShipmentFilters(params: URLSearchParams) {
  const get = (k: string) => params.get(k) ?? undefined;
  const status = get('status');
  return {
    status: status && (SHIPMENT_STATUSES as readonly string[]).includes(status) ? status : undefined,
    customerId: get('customerId'),
    orderId: get('orderId'),
    from: get('from'),
    to: get('to'),
    coldChain: get('coldChain') === 'true' ? 'true' : get('coldChain') === 'false' ? 'false' : undefined,
    q: get('q'),
    sort: get('sort'),
  };
}
