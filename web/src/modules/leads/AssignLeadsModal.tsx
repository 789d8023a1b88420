import { useState } from 'react';
import { App, Form, Modal } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { UserSelect } from '../../shared/UserSelect';
import { LEADS_KEY, assignLeads } from './leads.api';

/** 分配: give the chosen leads to a rep within the assigner's reach. */
export function AssignLeadsModal({ leadIds, open, onClose }: { leadIds: number[]; open: boolean; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [ownerId, setOwnerId] = useState<number | undefined>();
  const assign = useMutation({
    mutationFn: () => assignLeads(leadIds, ownerId!),
    onSuccess: async (r) => {
      message.success(t('leads.assigned', { count: r.assigned }));
      await queryClient.invalidateQueries({ queryKey: LEADS_KEY });
      setOwnerId(undefined);
      onClose(true);
    },
    onError: (e) => message.error(e.message),
  });
  return (
    <Modal
      open={open}
      title={t('leads.assignTitle', { count: leadIds.length })}
      onCancel={() => onClose(false)}
      onOk={() => assign.mutate()}
      okButtonProps={{ disabled: ownerId === undefined, loading: assign.isPending }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('leads.owner')} required>
          <UserSelect value={ownerId} onChange={(v) => setOwnerId(v ?? undefined)} style={{ width: '100%' }} data-testid="lead-assign-owner" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
