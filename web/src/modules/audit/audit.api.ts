import { api, type Page, type Query } from '../../shared/api';

export interface AuditEntry {
  seq: number;
  at: string;
  actor: { id: number; displayName: string } | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  problems: { seq: number; problem: string }[];
}

export const AUDIT_KEY = ['audit'] as const;

export const listAudit = (query: Query, signal?: AbortSignal) => api.get<Page<AuditEntry>>('/audit', query, signal);
export const verifyAuditChain = () => api.get<ChainVerification>('/audit/verify');
