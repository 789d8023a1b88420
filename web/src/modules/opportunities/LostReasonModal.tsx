import { useEffect } from 'react';
import { Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LOST_REASONS, type LostReason } from './opportunities.api';

type Props = { open: boolean; name?: string; confirming?: boolean; onCancel: () => void; onConfirm: (value: { lostReason: LostReason; lostNote: string | null }) => void };

/** 输单: the reason is required (战败分析 groups by it), the note is free text. */
export function LostReasonModal({ open, name, confirming, onCancel, onConfirm }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <Modal
      open={open}
      title={t('opportunities.lostTitle', { name: name ?? '' })}
      okText={t('opportunities.markLost')}
      okButtonProps={{ danger: true, loading: confirming, 'data-testid': 'lost-confirm' } as { danger: boolean; loading?: boolean }}
      onCancel={onCancel}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => onConfirm({ lostReason: v.lostReason, lostNote: v.lostNote?.trim() || null })}>
        <Form.Item name="lostReason" label={t('opportunities.lostReason')} rules={[{ required: true, message: t('opportunities.lostReasonRequired') }]}>
          <Select options={LOST_REASONS.map((r) => ({ value: r, label: t(`opportunities.lostReasons.${r}`) }))} data-testid="lost-reason" />
        </Form.Item>
        <Form.Item name="lostNote" label={t('opportunities.lostNote')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={3} data-testid="lost-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
