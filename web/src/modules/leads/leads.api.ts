import { api, type Page, type Query } from '../../shared/api';

export const LEAD_STATUSES = ['open', 'converting', 'converted', 'closed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const GRADES = ['C', 'B', 'A', 'H', 'O'] as const;
export type Grade = (typeof GRADES)[number];
export const LEAD_STAGES = ['identified', 'lead', 'intent'] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];
export const LIFECYCLE_STAGES = ['identified', 'lead', 'intent', 'purchasing', 'complete'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export const SOURCES = ['phone', 'fax', 'email', 'sms', 'visit', 'media', 'website', 'event', 'referral', 'rep'] as const;
export type Source = (typeof SOURCES)[number];
export const CUSTOMER_TYPES = ['distributor', 'agent', 'hospital', 'clinic', 'pharmacy', 'other'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const LEADS_KEY = ['leads'] as const;

export interface LeadListRow {
  id: number;
  code: string;
  organisation: string;
  contactName: string | null;
  phone: string | null;
  territoryId: string | null;
  territoryName: string | null;
  source: Source;
  customerType: CustomerType | null;
  grade: Grade;
  gradeChangedAt: string;
  lifecycleStage: LifecycleStage;
  nextFollowUpOn: string | null;
  ownerId: number | null;
  ownerName: string | null;
  status: LeadStatus;
  assignedAt: string | null;
  lastActedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LeadEvent {
  id: number;
  kind: string;
  at: string;
  actorId: number | null;
  actorName: string | null;
  details: Record<string, unknown>;
  /** The owner the event gave the lead to (assigned, claimed) or took it from (released, reclaimed). */
  ownerName: string | null;
}

export interface LeadDetail extends LeadListRow {
  contactTitle: string | null;
  territoryPath: string | null;
  address: string | null;
  notes: string | null;
  closedReason: string | null;
  ownerDepartmentId: number | null;
  applicationId: number | null;
  applicationNumber: string | null;
  customerId: number | null;
  customerCode: string | null;
  inquiry: Record<string, unknown> | null;
  createdBy: number | null;
  version: number;
  products: { id: number; code: string; name: string }[];
  events: LeadEvent[];
  activityCount: number;
}

export interface LeadFields {
  organisation: string;
  contactName: string | null;
  contactTitle: string | null;
  phone: string | null;
  territoryId: string | null;
  address: string | null;
  source: Source;
  customerType: CustomerType | null;
  productIds: number[];
  nextFollowUpOn: string | null;
  notes: string | null;
}

export interface CrmSettings {
  leadAssignment: 'territory' | 'round_robin' | 'manual';
  roundRobinDepartmentId: number | null;
  leadReclaimDays: number;
  dormantDays: Record<Grade, number>;
  hotProbability: number;
  version: number;
  updatedAt: string;
}

export interface LifecycleRow {
  stage: LifecycleStage;
  customers: number;
  medianDays: number | null;
  averageDays: number | null;
  stalled: number;
}

export interface SourceLead {
  id: number;
  code: string;
  source: Source;
  createdAt: string;
  organisation: string;
  grade: Grade;
  events: LeadEvent[];
}

export const listLeads = (query: Query, signal?: AbortSignal) => api.get<Page<LeadListRow>>('/leads', query, signal);
export const getLead = (id: number, signal?: AbortSignal) => api.get<LeadDetail>(`/leads/${id}`, undefined, signal);
export const createLead = (body: LeadFields & { grade?: Grade; lifecycleStage?: LeadStage; ownerId?: number | null; confirmDuplicate?: boolean }) => api.post<LeadDetail>('/leads', body);
export const updateLead = (id: number, body: LeadFields & { version: number }) => api.patch<LeadDetail>(`/leads/${id}`, body);
export const gradeLead = (id: number, grade: Grade, version: number) => api.post<LeadDetail>(`/leads/${id}/grade`, { grade, version });
export const stageLead = (id: number, stage: LeadStage, version: number) => api.post<LeadDetail>(`/leads/${id}/stage`, { stage, version });
export const closeLead = (id: number, reason: string, version: number) => api.post<LeadDetail>(`/leads/${id}/close`, { reason, version });
export const reopenLead = (id: number, version: number) => api.post<LeadDetail>(`/leads/${id}/reopen`, { version });
export const claimLead = (id: number) => api.post<LeadDetail>(`/leads/${id}/claim`, {});
export const releaseLead = (id: number, reason?: string) => api.post<LeadDetail>(`/leads/${id}/release`, { reason: reason ?? null });
export const assignLeads = (leadIds: number[], ownerId: number) => api.post<{ assigned: number }>('/leads/assign', { leadIds, ownerId });
export const convertLead = (id: number) => api.post<{ applicationId: number }>(`/leads/${id}/convert`, {});
export const getCrmSettings = (signal?: AbortSignal) => api.get<CrmSettings>('/crm/settings', undefined, signal);
export const saveCrmSettings = (body: Omit<CrmSettings, 'updatedAt'>) => api.put<CrmSettings>('/crm/settings', body);
export const lifecycleReport = (query: Query, signal?: AbortSignal) => api.get<{ stalledAfterDays: number; stages: LifecycleRow[] }>('/crm/lifecycle', query, signal);
export const sourceLeadOf = (customerId: number, signal?: AbortSignal) => api.get<{ lead: SourceLead | null }>(`/customers/${customerId}/source-lead`, undefined, signal);
