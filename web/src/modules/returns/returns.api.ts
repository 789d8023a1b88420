import { api, type Page, type Query } from '../../shared/api';

export const RETURNS_KEY = ['returns'] as const;
export const RETURN_STATUSES = ['draft', 'pending_approval', 'approved', 'received', 'completed', 'cancelled'] as const;
export const RETURN_REASONS = ['quality', 'damage', 'near_expiry', 'wrong_goods', 'other'] as const;
export const RETURN_RESOLUTIONS = ['refund', 'exchange'] as const;
export const INSPECTION_RESULTS = ['restock', 'quarantine', 'destroy'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export type ReturnRow = {
  id: number;
  number: string;
  status: ReturnStatus;
  orderId: number;
  orderNumber: string;
  customerId: number;
  customerName: string;
  reason: (typeof RETURN_REASONS)[number];
  resolution: (typeof RETURN_RESOLUTIONS)[number];
  description: string;
  createdBy: number;
  createdByName: string;
  receivedWarehouseId: number | null;
  receivedAt: string | null;
  inspectedAt: string | null;
  exchangeShipmentId: number | null;
  exchangeShipmentNumber: string | null;
  cancelReason: string | null;
  totalQuantity: number;
  version: number;
  createdAt: string;
};
export type ReturnLine = {
  id: number;
  orderLineId: number;
  shipmentLineId: number;
  shipmentId: number;
  shipmentNumber: string;
  productName: string;
  specification: string;
  batchNo: string;
  expiresOn: string;
  quantity: number;
  inspectionResult: InspectionResult | null;
  restockWarehouseId: number | null;
  inspectionNote: string | null;
};
export type ApprovalTrail = {
  id: number;
  status: string;
  submittedAt: string;
  decidedAt: string | null;
  tasks: { id: number; stepSeq: number; stepName: string; approverName: string | null; decidedByName: string | null; status: string; comment: string | null; decidedAt: string | null }[];
}[];
export type ReturnDetail = ReturnRow & { lines: ReturnLine[]; receivedWarehouseName: string | null; approvals: ApprovalTrail };
export type ReturnableLine = {
  shipmentLineId: number;
  shipmentNumber: string;
  shipmentStatus: string;
  productName: string;
  specification: string;
  packageUnit: string;
  batchNo: string;
  expiresOn: string;
  shipped: number;
  returnable: number;
};
export type Warehouse = { id: number; code: string; name: string; kind: string; coldChain: boolean };

export const listReturns = (query: Query, signal?: AbortSignal) => api.get<Page<ReturnRow>>('/returns', query, signal);
export const getReturn = (id: number, signal?: AbortSignal) => api.get<ReturnDetail>(`/returns/${id}`, undefined, signal);
export const returnableLines = (shipmentId: number, signal?: AbortSignal) => api.get<ReturnableLine[]>('/returns/returnable', { shipmentId }, signal);
export const returnWarehouses = (signal?: AbortSignal) => api.get<Warehouse[]>('/returns/warehouses', undefined, signal);
export const requestReturn = (body: { reason: string; resolution: string; description: string; lines: { shipmentLineId: number; quantity: number }[] }) =>
  api.post<{ returnRequest: ReturnDetail; approved: boolean }>('/returns', body);
export const resubmitReturn = (id: number, version: number) => api.post<{ returnRequest: ReturnDetail; approved: boolean }>(`/returns/${id}/submit`, { version });
export const cancelReturn = (id: number, version: number, reason: string) => api.post<ReturnDetail>(`/returns/${id}/cancel`, { version, reason });
export const receiveReturn = (id: number, body: { version: number; warehouseId: number; note?: string | null }) => api.post<ReturnDetail>(`/returns/${id}/receive`, body);
export const inspectReturn = (id: number, body: { version: number; lines: { returnLineId: number; result: InspectionResult; restockWarehouseId?: number | null; note?: string | null }[] }) =>
  api.post<ReturnDetail>(`/returns/${id}/inspect`, body);
export const createExchangeShipment = (id: number, version: number) => api.post<{ returnRequest: ReturnDetail; shipmentId: number }>(`/returns/${id}/exchange-shipment`, { version });
