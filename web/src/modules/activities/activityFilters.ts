import type { Query } from '../../shared/api';
import { readInt } from '../../shared/urlState';
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, FOLLOW_UP_FILTERS } from './activities.api';

/** The list's filters as the URL carries them (the same names as GET /api/activities). */
export function readActivityFilters(params: URLSearchParams): Query {
  const pick = (name: string, allowed?: readonly string[]) => {
    const v = params.get(name) ?? undefined;
    return v && (!allowed || allowed.includes(v)) ? v : undefined;
  };
  const date = (name: string) => {
    const v = params.get(name);
    return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
  };
  return {
    q: pick('q'),
    customerId: readInt(params, 'customerId'),
    leadId: readInt(params, 'leadId'),
    ownerId: readInt(params, 'ownerId'),
    departmentId: readInt(params, 'departmentId'),
    type: pick('type', ACTIVITY_TYPES),
    status: pick('status', ACTIVITY_STATUSES),
    from: date('from'),
    to: date('to'),
    followUp: pick('followUp', FOLLOW_UP_FILTERS),
    sort: pick('sort'),
  };
}
