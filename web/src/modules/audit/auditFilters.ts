import type { Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface AuditFilters {
  actorId?: number;
  entity?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
}

export function readAuditFilters(params: URLSearchParams): AuditFilters {
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  return {
    actorId: readInt(params, 'actorId'),
    entity: params.get('entity')?.trim() || undefined,
    entityId: params.get('entityId')?.trim() || undefined,
    action: params.get('action')?.trim() || undefined,
    from: from && DATE.test(from) ? from : undefined,
    to: to && DATE.test(to) ? to : undefined,
  };
}

export function auditListQuery(params: URLSearchParams): Query {
  return { ...readAuditFilters(params), ...readPage(params) };
}
