import { api, type Page, type Query } from '../../../shared/api';
import { readPage } from '../../../shared/urlState';
import type { QualificationKind } from '../qualifications.api';

export const APPLICATION_STATUSES = ['draft', 'pending', 'approved', 'cancelled'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const CUSTOMER_TYPES = ['distributor', 'agent', 'hospital', 'clinic', 'pharmacy', 'other'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const HOSPITAL_GRADES = ['3A', '3B', '3C', '2A', '2B', '2C', '1A', '1B', '1C', 'unrated'] as const;
export const CUSTOMER_SOURCES = ['phone', 'fax', 'email', 'sms', 'visit', 'media', 'website', 'event', 'referral', 'rep'] as const;
export const CUSTOMER_GRADES = ['C', 'B', 'A', 'H', 'O'] as const;

/** The proposed customer, as the server's customerFieldsBody (money in fen). */
export interface ApplicationCustomer {
  name: string;
  shortName?: string | null;
  aliases?: string[];
  creditCode?: string | null;
  type: CustomerType;
  territoryId: string;
  address?: string | null;
  hospitalGrade?: string | null;
  hospitalDepartments?: string[];
  source?: string | null;
  grade?: string | null;
  parentId?: number | null;
  creditLimitFen?: string;
  paymentTermsDays?: number;
  invoiceTitle?: string | null;
  taxNumber?: string | null;
  bankName?: string | null;
  bankAccount?: string | null;
  invoiceAddress?: string | null;
  invoicePhone?: string | null;
  phone?: string | null;
  notes?: string | null;
}

export interface ApplicationDocument {
  id: number;
  kind: QualificationKind;
  number: string;
  issuedOn: string | null;
  expiresOn: string | null;
  notes: string | null;
  attachmentIds: number[];
  qualificationId: number | null;
}

export interface Application {
  id: number;
  number: string;
  status: ApplicationStatus;
  submittedBy: number;
  submitterName: string;
  proposedOwnerId: number | null;
  proposedOwnerName: string | null;
  name: string;
  creditCode: string | null;
  type: CustomerType;
  territoryId: string;
  customer: ApplicationCustomer;
  reason: string;
  rejectionReason: string | null;
  createdCustomerId: number | null;
  createdCustomerCode: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export type ApplicationDetail = Application & { documents: ApplicationDocument[] };

export type ApplicationInput = ApplicationCustomer & {
  proposedOwnerId: number | null;
  reason: string;
  documents: { id?: number | null; kind: QualificationKind; number: string; issuedOn: string | null; expiresOn: string | null; notes: string | null }[];
};

export interface DuplicateCandidate {
  id: number;
  code: string;
  name: string;
  creditCode: string | null;
  ownerName: string | null;
  reason: 'credit_code' | 'name' | 'similar_name';
  similarity: number;
}

export const APPLICATIONS_KEY = ['customer-applications'] as const;
export const DOC_TYPE = 'customer_application';

export const STATUS_COLORS: Record<ApplicationStatus, string> = { draft: 'default', pending: 'processing', approved: 'success', cancelled: 'warning' };

const SORT_FIELDS = ['number', 'name', 'createdAt', 'status'];

/** The list's filters and paging as they stand in the URL; what is malformed is ignored. */
export function readApplicationFilters(params: URLSearchParams) {
  const status = params.get('status');
  const sort = params.get('sort') ?? undefined;
  return {
    q: params.get('q')?.trim() || undefined,
    status: (APPLICATION_STATUSES as readonly string[]).includes(status ?? '') ? (status as ApplicationStatus) : undefined,
    mine: params.get('mine') === 'true' ? true : undefined,
    sort: sort && SORT_FIELDS.includes(sort.replace(/^-/, '')) ? sort : undefined,
  };
}

export function applicationListQuery(params: URLSearchParams): Query {
  return { ...readApplicationFilters(params), ...readPage(params) };
}

export const listApplications = (query: Query, signal?: AbortSignal) => api.get<Page<Application>>('/customer-applications', query, signal);
export const getApplication = (id: number, signal?: AbortSignal) => api.get<ApplicationDetail>(`/customer-applications/${id}`, undefined, signal);
export const createApplication = (input: ApplicationInput) => api.post<ApplicationDetail>('/customer-applications', input);
export const updateApplication = (id: number, input: ApplicationInput & { version: number }) => api.patch<ApplicationDetail>(`/customer-applications/${id}`, input);
export const submitApplication = (id: number, version: number) =>
  api.post<{ application: ApplicationDetail; approved: boolean; result: Record<string, unknown> | null }>(`/customer-applications/${id}/submit`, { version });
export const cancelApplication = (id: number, version: number, reason: string | null) => api.post<ApplicationDetail>(`/customer-applications/${id}/cancel`, { version, reason });
export const findDuplicates = (input: { name?: string; creditCode?: string }, signal?: AbortSignal) =>
  api.get<DuplicateCandidate[]>('/customers/duplicates', { name: input.name || undefined, creditCode: input.creditCode || undefined }, signal);
