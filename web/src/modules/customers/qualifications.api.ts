import { api } from '../../shared/api';

/** 客户资质 kinds, the same list as the server's (qualifications.tables.ts). */
export const QUALIFICATION_KINDS = [
  'business_licence',
  'drug_operation_licence',
  'gsp_certificate',
  'medical_institution_licence',
  'drug_manufacturing_licence',
  'power_of_attorney',
  'other',
] as const;
export type QualificationKind = (typeof QUALIFICATION_KINDS)[number];

export const QUALIFICATION_STATES = ['ok', 'expiring', 'missing', 'expired'] as const;
export type QualificationState = (typeof QUALIFICATION_STATES)[number];

export interface Qualification {
  id: number;
  customerId: number;
  kind: QualificationKind;
  number: string;
  issuedOn: string | null;
  expiresOn: string | null;
  notes: string | null;
  status: 'current' | 'replaced';
  replacedById: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  attachmentCount: number;
  createdByName: string | null;
}

export interface QualificationInput {
  number: string;
  issuedOn: string | null;
  expiresOn: string | null;
  notes: string | null;
}

export const QUALIFICATIONS_KEY = ['customer-qualifications'] as const;
export const QUALIFICATION_DOC_TYPE = 'customer_qualification';

/** How a document stands on a day: valid, expiring within 30 days, expired (expires_on is its last valid day). */
export function expiryOf(expiresOn: string | null, today: string): 'valid' | 'expiring' | 'expired' | 'longTerm' {
  if (!expiresOn) return 'longTerm';
  if (expiresOn < today) return 'expired';
  const horizon = new Date(`${today}T00:00:00Z`);
  horizon.setUTCDate(horizon.getUTCDate() + 30);
  return expiresOn <= horizon.toISOString().slice(0, 10) ? 'expiring' : 'valid';
}

export const listQualifications = (customerId: number, history: boolean, signal?: AbortSignal) =>
  api.get<{ items: Qualification[] }>(`/customers/${customerId}/qualifications`, { history: history || undefined }, signal).then((r) => r.items);
export const addQualification = (customerId: number, input: QualificationInput & { kind: QualificationKind }) =>
  api.post<Qualification>(`/customers/${customerId}/qualifications`, input);
export const renewQualification = (customerId: number, id: number, input: QualificationInput & { version: number }) =>
  api.post<Qualification>(`/customers/${customerId}/qualifications/${id}/renew`, input);
export const updateQualification = (customerId: number, id: number, input: QualificationInput & { version: number }) =>
  api.patch<Qualification>(`/customers/${customerId}/qualifications/${id}`, input);

export interface Eligibility {
  eligible: boolean;
  problems: { kind: QualificationKind; problem: 'missing' | 'expired'; expiresOn?: string }[];
}
/** May we sell to this customer today? (What the order module checks.) */
export const getEligibility = (customerId: number, signal?: AbortSignal) => api.get<Eligibility>(`/customers/${customerId}/eligibility`, undefined, signal);
