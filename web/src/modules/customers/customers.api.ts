import type { QualificationState } from './qualifications.api';
import { api, type Page, type Query } from '../../shared/api';

export const CUSTOMER_TYPES = ['distributor', 'agent', 'hospital', 'clinic', 'pharmacy', 'other'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const CUSTOMER_SOURCES = ['phone', 'fax', 'email', 'sms', 'visit', 'media', 'website', 'event', 'referral', 'rep'] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];
export const LIFECYCLE_STAGES = ['identified', 'lead', 'intent', 'purchasing', 'complete'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export const CUSTOMER_GRADES = ['C', 'B', 'A', 'H', 'O'] as const;
export type CustomerGrade = (typeof CUSTOMER_GRADES)[number];
export const HOSPITAL_GRADES = ['3A', '3B', '3C', '2A', '2B', '2C', '1A', '1B', '1C', 'unrated'] as const;
export type HospitalGrade = (typeof HOSPITAL_GRADES)[number];
export const CUSTOMER_STATUSES = ['active', 'inactive', 'merged'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

export const CUSTOMERS_KEY = ['customers'] as const;

export interface CustomerListRow {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  type: CustomerType;
  creditCode: string | null;
  territoryId: string;
  territoryName: string;
  grade: CustomerGrade | null;
  lifecycleStage: LifecycleStage;
  hospitalGrade: HospitalGrade | null;
  ownerId: number | null;
  ownerName: string | null;
  ownerDepartmentName: string | null;
  status: CustomerStatus;
  /** 资质状态 (qualifications): ok, expiring, missing, expired. */
  qualificationState: QualificationState;
  updatedAt: string;
}

/** The editable fields, as the server takes them (money in integer fen). */
export interface CustomerFields {
  name: string;
  shortName: string | null;
  aliases: string[];
  creditCode: string | null;
  type: CustomerType;
  territoryId: string;
  address: string | null;
  hospitalGrade: HospitalGrade | null;
  hospitalDepartments: string[];
  parentId: number | null;
  source: CustomerSource | null;
  lifecycleStage: LifecycleStage;
  grade: CustomerGrade | null;
  /** Whole fen as a string. */
  creditLimitFen: string;
  paymentTermsDays: number;
  invoiceTitle: string | null;
  taxNumber: string | null;
  bankName: string | null;
  bankAccount: string | null;
  invoiceAddress: string | null;
  invoicePhone: string | null;
  phone: string | null;
  notes: string | null;
}

export interface CustomerDetail extends CustomerListRow, CustomerFields {
  parentName: string | null;
  mergedIntoId: number | null;
  createdAt: string;
  version: number;
}

export interface CustomerOption {
  id: number;
  code: string;
  name: string;
  type: CustomerType;
  territoryName: string;
  status: CustomerStatus;
}

export interface DuplicateCandidate {
  id: number;
  code: string;
  name: string;
  creditCode: string | null;
  ownerName: string | null;
  reason: 'credit_code' | 'name' | 'similar_name';
  similarity: number;
}

export const listCustomers = (query: Query, signal?: AbortSignal) => api.get<Page<CustomerListRow>>('/customers', query, signal);
export const getCustomer = (id: number, signal?: AbortSignal) => api.get<CustomerDetail>(`/customers/${id}`, undefined, signal);
export const updateCustomer = (id: number, body: CustomerFields & { version: number }) => api.patch<CustomerDetail>(`/customers/${id}`, body);
export const customerOptions = (query: { q?: string; ids?: string; type?: CustomerType }, signal?: AbortSignal) =>
  api.get<CustomerOption[]>('/customers/options', query, signal);
export const findDuplicates = (query: { name?: string; creditCode?: string; excludeId?: number }, signal?: AbortSignal) =>
  api.get<DuplicateCandidate[]>('/customers/duplicates', query, signal);
