import { api, type Page, type Query } from '../../shared/api';

export const LOST_REASONS = ['price', 'competitor', 'qualification', 'tender', 'relationship', 'product', 'timing', 'budget', 'other'] as const;
export type LostReason = (typeof LOST_REASONS)[number];
export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];
export type StageKind = 'open' | 'won' | 'lost';

export const OPPORTUNITIES_KEY = ['opportunities'] as const;
export const STAGES_KEY = ['opportunity-stages'] as const;

export interface Stage {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  kind: StageKind;
  position: number;
  probability: number;
  active: boolean;
  version: number;
  openCount: number;
}

export interface OpportunityListRow {
  id: number;
  name: string;
  customerId: number;
  customerCode: string;
  customerName: string;
  customerGrade: string | null;
  stageId: number;
  stageName: string;
  stageNameEn: string;
  status: OpportunityStatus;
  probability: number;
  /** fen as a string of digits */
  amountFen: string;
  weightedFen: string;
  expectedCloseOn: string | null;
  competitor: string | null;
  lostReason: LostReason | null;
  closedAt: string | null;
  ownerId: number;
  ownerName: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OpportunityDetail extends OpportunityListRow {
  description: string | null;
  lostNote: string | null;
  territoryPath: string | null;
  products: { productId: number; productCode: string; productName: string; specification: string; quantity: number; amountFen: string }[];
  history: {
    id: number;
    fromStageId: number | null;
    fromStageName: string | null;
    fromStageNameEn: string | null;
    toStageId: number;
    toStageName: string;
    toStageNameEn: string;
    at: string;
    actorName: string | null;
  }[];
}

export interface OpportunityFields {
  name: string;
  products: { productId: number; quantity: number; amountFen: string }[];
  amountFen: string | null;
  expectedCloseOn: string | null;
  competitor: string | null;
  description: string | null;
  probability: number | null;
}

export interface BoardColumn {
  stage: Omit<Stage, 'openCount'>;
  count: number;
  amountFen: string;
  weightedFen: string;
  cards: OpportunityListRow[];
}
export interface Board {
  month: string;
  columns: BoardColumn[];
  wonThisMonth: { count: number; amountFen: string };
  lostThisMonth: { count: number; amountFen: string };
}

export interface MoveInput {
  stageId: number;
  version: number;
  lostReason?: LostReason | null;
  lostNote?: string | null;
  probability?: number | null;
}

export interface HotRow {
  id: number;
  name: string;
  customerId: number;
  customerName: string;
  customerGrade: string | null;
  region: string | null;
  ownerId: number;
  ownerName: string;
  products: string | null;
  amountFen: string;
  probability: number;
  weightedFen: string;
  stageName: string;
  stageNameEn: string;
  expectedCloseOn: string | null;
  daysInStage: number;
  lastActivityOn: string | null;
}
export interface HotReport {
  month: string;
  hotProbability: number;
  groups: { key: string; label: string; count: number; amountFen: string; weightedFen: string }[];
  rows: HotRow[];
}

export const LOST_GROUPS = ['reason', 'rep', 'region', 'competitor', 'month'] as const;
export type LostGroupBy = (typeof LOST_GROUPS)[number];
export interface LostRow {
  id: number;
  name: string;
  customerId: number;
  customerName: string;
  region: string | null;
  ownerId: number;
  ownerName: string;
  amountFen: string;
  competitor: string | null;
  lostReason: LostReason;
  lostNote: string | null;
  stageBeforeName: string | null;
  stageBeforeNameEn: string | null;
  lostAt: string;
  lostMonth: string;
}
export interface LostReport {
  from: string;
  to: string;
  total: { count: number; amountFen: string };
  groups: { key: string; label: string; count: number; amountFen: string; sharePercent: number }[];
  rows: LostRow[];
}

export const listStages = (signal?: AbortSignal) => api.get<Stage[]>('/opportunity-stages', undefined, signal);
export const createStage = (body: { name: string; nameEn: string; probability: number }) => api.post<Stage>('/opportunity-stages', body);
export const updateStage = (id: number, body: Partial<Pick<Stage, 'name' | 'nameEn' | 'probability' | 'active'>> & { version: number }) =>
  api.patch<Stage>(`/opportunity-stages/${id}`, body);
export const reorderStages = (ids: number[]) => api.put<Stage[]>('/opportunity-stages/order', { ids });

export const listOpportunities = (query: Query, signal?: AbortSignal) => api.get<Page<OpportunityListRow>>('/opportunities', query, signal);
export const getBoard = (query: Query, signal?: AbortSignal) => api.get<Board>('/opportunities/board', query, signal);
export const getOpportunity = (id: number, signal?: AbortSignal) => api.get<OpportunityDetail>(`/opportunities/${id}`, undefined, signal);
export const createOpportunity = (body: OpportunityFields & { customerId: number; stageId: number | null }) => api.post<OpportunityDetail>('/opportunities', body);
export const updateOpportunity = (id: number, body: OpportunityFields & { version: number }) => api.patch<OpportunityDetail>(`/opportunities/${id}`, body);
export const moveOpportunity = (id: number, body: MoveInput) => api.post<OpportunityDetail>(`/opportunities/${id}/stage`, body);

export const getHotProspects = (query: { month: string; groupBy: 'rep' | 'region' }, signal?: AbortSignal) => api.get<HotReport>('/crm/hot-prospects', query, signal);
export const getLostDeals = (query: { from: string; to: string; groupBy: LostGroupBy }, signal?: AbortSignal) => api.get<LostReport>('/crm/lost-deals', query, signal);

/** The stage's name in the UI language. */
export const stageLabel = (language: string, s: { name: string; nameEn: string }) => (language.startsWith('zh') ? s.name : s.nameEn);
