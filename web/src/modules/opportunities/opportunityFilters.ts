import type { Query } from '../../shared/api';
import { readInt, readPage } from '../../shared/urlState';
import { OPPORTUNITY_STATUSES, type OpportunityStatus } from './opportunities.api';

/** Columns the server can sort opportunities by. */
export const OPPORTUNITY_SORT_FIELDS = ['name', 'customer', 'stage', 'probability', 'amount', 'expectedCloseOn', 'createdAt', 'updatedAt'] as const;

export interface OpportunityFilters {
  q?: string;
  status?: OpportunityStatus;
  stageId?: number;
  ownerId?: number;
  customerId?: number;
  territoryId?: string;
  closeFrom?: string;
  closeTo?: string;
  amountMin?: string;
  amountMax?: string;
  sort?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FEN = /^\d{1,15}$/;

/** Reads the list's (and the board's) filters from the URL, ignoring what is malformed. */
export function readOpportunityFilters(params: URLSearchParams): OpportunityFilters {
  const sort = params.get('sort') ?? undefined;
  const sortField = sort?.replace(/^-/, '');
  const status = params.get('status');
  const matching = (name: string, re: RegExp) => {
    const v = params.get(name);
    return v !== null && re.test(v) ? v : undefined;
  };
  return {
    q: params.get('q')?.trim() || undefined,
    status: status !== null && (OPPORTUNITY_STATUSES as readonly string[]).includes(status) ? (status as OpportunityStatus) : undefined,
    stageId: readInt(params, 'stageId'),
    ownerId: readInt(params, 'ownerId'),
    customerId: readInt(params, 'customerId'),
    territoryId: matching('territoryId', /^\d{6}$/),
    closeFrom: matching('closeFrom', DATE),
    closeTo: matching('closeTo', DATE),
    amountMin: matching('amountMin', FEN),
    amountMax: matching('amountMax', FEN),
    sort: sortField && (OPPORTUNITY_SORT_FIELDS as readonly string[]).includes(sortField) ? sort : undefined,
  };
}

export function opportunityFiltersToQuery(f: OpportunityFilters): Query {
  return { ...f };
}

export function opportunityListQuery(params: URLSearchParams): Query {
  return { ...opportunityFiltersToQuery(readOpportunityFilters(params)), ...readPage(params) };
}

/** The board takes the same filters but no status, stage, paging or sort. */
export function opportunityBoardQuery(params: URLSearchParams): Query {
  const { status: _s, stageId: _st, sort: _so, ...rest } = readOpportunityFilters(params);
  return { ...rest };
}
