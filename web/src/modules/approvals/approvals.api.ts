import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export type TaskStatus = 'pending' | 'approved' | 'rejected' | 'skipped';

export interface ApprovalTask {
  id: number;
  docType: string;
  docTypeName: string;
  docId: number;
  docNumber: string;
  docTitle: string;
  stepName: string;
  approver: { id: number; displayName: string };
  onBehalf: boolean;
  submitter: { id: number; displayName: string };
  submittedAt: string;
  status: TaskStatus;
  comment: string | null;
  decidedAt: string | null;
}

/** What a final approval produced, e.g. the account opened by an account request. */
export interface ApprovalResult {
  initialPassword?: string;
  username?: string;
  createdUserId?: number;
  [key: string]: unknown;
}

export interface DecisionReply {
  requestStatus: 'pending' | 'approved' | 'rejected';
  result: ApprovalResult | null;
}

export type Decision = 'approve' | 'reject';

export const APPROVALS_KEY = ['approvals'] as const;
export const TASKS_KEY = [...APPROVALS_KEY, 'tasks'] as const;

export function useApprovalTasks(status: 'pending' | 'done', refetchInterval?: number) {
  return useQuery({
    queryKey: [...TASKS_KEY, status],
    queryFn: ({ signal }) => api.get<{ items: ApprovalTask[] }>('/approvals/tasks', { status }, signal).then((r) => r.items),
    refetchInterval,
  });
}

export const decideTask = (id: number, decision: Decision, comment: string | null) =>
  api.post<DecisionReply>(`/approvals/tasks/${id}/${decision}`, { comment });

/** The page of a document, by type; types without a page of their own yet have none. */
export function documentPath(docType: string, docId: number): string | null {
  if (docType === 'account_request') return `/account-requests/${docId}`;
  return null;
}

// Delegations (工作代理)
export interface Delegation {
  id: number;
  userId: number;
  userName: string;
  delegateId: number;
  delegateName: string;
  startsOn: string;
  endsOn: string;
}

export const DELEGATIONS_KEY = [...APPROVALS_KEY, 'delegations'] as const;

export function useDelegations() {
  return useQuery({
    queryKey: DELEGATIONS_KEY,
    queryFn: ({ signal }) => api.get<{ items: Delegation[] }>('/approvals/delegations', undefined, signal).then((r) => r.items),
  });
}

export const createDelegation = (input: { delegateId: number; startsOn: string; endsOn: string }) =>
  api.post<Delegation>('/approvals/delegations', input);
export const deleteDelegation = (id: number) => api.delete(`/approvals/delegations/${id}`);

// Approval flows (审批流)
export type ApproverKind = 'role' | 'department_head' | 'user';
export type StepMode = 'any' | 'all';
export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains';
export const CONDITION_OPS: ConditionOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains'];

export type ConditionValue = string | number | boolean | (string | number)[];

export interface FlowCondition {
  fact: string;
  op: ConditionOp;
  value: ConditionValue;
}

export interface FlowStep {
  id: number;
  seq: number;
  name: string;
  approverKind: ApproverKind;
  roleId: number | null;
  roleName: string | null;
  userId: number | null;
  userName: string | null;
  mode: StepMode;
}

export interface ApprovalFlow {
  id: number;
  docType: string;
  name: string;
  priority: number;
  conditions: FlowCondition[];
  active: boolean;
  version: number;
  steps: FlowStep[];
}

export interface FlowInput {
  docType: string;
  name: string;
  priority: number;
  conditions: FlowCondition[];
  active: boolean;
  steps: { name: string; approverKind: ApproverKind; roleId?: number | null; userId?: number | null; mode: StepMode }[];
}

export const FLOWS_KEY = [...APPROVALS_KEY, 'flows'] as const;

export function useApprovalFlows() {
  return useQuery({
    queryKey: FLOWS_KEY,
    queryFn: ({ signal }) => api.get<{ items: ApprovalFlow[] }>('/approvals/flows', undefined, signal).then((r) => r.items),
  });
}

export const createFlow = (input: FlowInput) => api.post<ApprovalFlow>('/approvals/flows', input);
export const updateFlow = (id: number, input: FlowInput & { version: number }) => api.put<ApprovalFlow>(`/approvals/flows/${id}`, input);

// Document types (单据类型与编号规则)
export interface DocumentTypeInfo {
  type: string;
  name: string;
  numberPattern: string;
  defaultPattern: string;
  states: Record<string, string>;
  transitions: { name: string; label: string; from: string[]; to: string; system: boolean }[];
}

export const DOCUMENT_TYPES_KEY = ['document-types'] as const;

export function useDocumentTypes(enabled = true) {
  return useQuery({
    queryKey: DOCUMENT_TYPES_KEY,
    queryFn: ({ signal }) => api.get<{ items: DocumentTypeInfo[] }>('/document-types', undefined, signal).then((r) => r.items),
    enabled,
  });
}

export const setNumberPattern = (type: string, pattern: string) => api.put<void>(`/document-types/${type}/number-pattern`, { pattern });
