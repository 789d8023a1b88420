import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export type EventKind = 'created' | 'transition' | 'approval' | 'comment' | 'edit' | 'attachment';

export interface TimelineEvent {
  id: number;
  at: string;
  kind: EventKind;
  actorName: string | null;
  onBehalfOfName: string | null;
  transition: string | null;
  fromState: string | null;
  toState: string | null;
  comment: string | null;
  data: unknown;
}

export interface TrailTask {
  id: number;
  stepSeq: number;
  stepName: string;
  mode: string;
  approverName: string;
  decidedByName: string | null;
  status: string;
  comment: string | null;
  decidedAt: string | null;
}

export interface ApprovalTrail {
  id: number;
  status: string;
  submittedAt: string;
  decidedAt: string | null;
  tasks: TrailTask[];
}

export interface Timeline {
  events: TimelineEvent[];
  states: Record<string, string>;
  approvals: ApprovalTrail[];
}

export const timelineKey = (docType: string, docId: number) => ['documents', docType, docId, 'timeline'] as const;

export function useTimeline(docType: string, docId: number) {
  return useQuery({
    queryKey: timelineKey(docType, docId),
    queryFn: ({ signal }) => api.get<Timeline>(`/documents/${docType}/${docId}/timeline`, undefined, signal),
  });
}

export const addComment = (docType: string, docId: number, text: string) => api.post<void>(`/documents/${docType}/${docId}/comments`, { text });
