import { api, type Page, type Query } from '../../shared/api';

export const CONTACT_INFLUENCES = ['decision_maker', 'influencer', 'user', 'other'] as const;
export type ContactInfluence = (typeof CONTACT_INFLUENCES)[number];
export const CONTACT_STATUSES = ['active', 'left'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
export const CONTACT_GENDERS = ['male', 'female'] as const;
export type ContactGender = (typeof CONTACT_GENDERS)[number];

export const CONTACTS_KEY = ['contacts'] as const;

export interface ContactListRow {
  id: number;
  customerId: number;
  customerCode: string;
  customerName: string;
  name: string;
  gender: ContactGender | null;
  department: string | null;
  title: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  influence: ContactInfluence;
  status: ContactStatus;
  updatedAt: string;
}

export interface ContactFields {
  name: string;
  gender: ContactGender | null;
  department: string | null;
  title: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  preferences: string | null;
  notes: string | null;
  influence: ContactInfluence;
}

export interface ContactDetail extends ContactListRow {
  preferences: string | null;
  notes: string | null;
  version: number;
  createdAt: string;
  history: { customerId: number; customerCode: string; customerName: string; fromAt: string; toAt: string | null; movedByName: string | null }[];
}

export const listContacts = (query: Query, signal?: AbortSignal) => api.get<Page<ContactListRow>>('/contacts', query, signal);
export const customerContacts = (customerId: number, signal?: AbortSignal) => api.get<ContactListRow[]>(`/customers/${customerId}/contacts`, undefined, signal);
export const getContact = (id: number, signal?: AbortSignal) => api.get<ContactDetail>(`/contacts/${id}`, undefined, signal);
export const createContact = (body: ContactFields & { customerId: number }) => api.post<ContactDetail>('/contacts', body);
export const updateContact = (id: number, body: ContactFields & { version: number }) => api.patch<ContactDetail>(`/contacts/${id}`, body);
export const moveContact = (id: number, body: { customerId: number; version: number }) => api.post<ContactDetail>(`/contacts/${id}/move`, body);
export const markContactLeft = (id: number, version: number) => api.post<ContactDetail>(`/contacts/${id}/left`, { version });
