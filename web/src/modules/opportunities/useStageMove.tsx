import { useState, type ReactNode } from 'react';
import { App } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LostReasonModal } from './LostReasonModal';
import { OPPORTUNITIES_KEY, STAGES_KEY, moveOpportunity, type LostReason, type OpportunityDetail, type StageKind } from './opportunities.api';

type Target = { id: number; kind: StageKind };
type Movable = { id: number; name: string; version: number; stageId: number };

/**
 * Moving an opportunity to a stage from the board (drop or 移到… menu) or the detail page: a move to
 * 输单 first asks the lost reason; everything else goes straight to the server. Returns `move` and the
 * modal to render.
 */
export function useStageMove(onMoved?: (o: OpportunityDetail) => void): { move: (o: Movable, target: Target) => void; modal: ReactNode; pending: boolean } {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [losing, setLosing] = useState<{ o: Movable; target: Target } | null>(null);
  const mutation = useMutation({
    mutationFn: (v: { o: Movable; target: Target; lostReason?: LostReason; lostNote?: string | null }) =>
      moveOpportunity(v.o.id, { stageId: v.target.id, version: v.o.version, lostReason: v.lostReason ?? null, lostNote: v.lostNote ?? null }),
    onSuccess: async (saved) => {
      setLosing(null);
      message.success(t('opportunities.moved', { name: saved.name, stage: saved.stageName }));
      await Promise.all([queryClient.invalidateQueries({ queryKey: OPPORTUNITIES_KEY }), queryClient.invalidateQueries({ queryKey: STAGES_KEY })]);
      onMoved?.(saved);
    },
    onError: async (error) => {
      message.error(error.message);
      await queryClient.invalidateQueries({ queryKey: OPPORTUNITIES_KEY });
    },
  });
  const move = (o: Movable, target: Target) => {
    if (o.stageId === target.id) return;
    if (target.kind === 'lost') setLosing({ o, target });
    else mutation.mutate({ o, target });
  };
  const modal = (
    <LostReasonModal
      open={losing !== null}
      name={losing?.o.name}
      confirming={mutation.isPending}
      onCancel={() => setLosing(null)}
      onConfirm={(v) => losing && mutation.mutate({ o: losing.o, target: losing.target, ...v })}
    />
  );
  return { move, modal, pending: mutation.isPending };
}
