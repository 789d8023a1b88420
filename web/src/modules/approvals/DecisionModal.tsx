import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { APPROVALS_KEY, decideTask, type ApprovalTask, type Decision, type DecisionReply } from './approvals.api';

export interface Deciding {
  task: ApprovalTask;
  decision: Decision;
}

/** Approve or reject one task with a comment (a rejection must say why). */
export function DecisionModal({ deciding, onClose, onDecided }: { deciding: Deciding | null; onClose: () => void; onDecided: (reply: DecisionReply) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ comment?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reject = deciding?.decision === 'reject';

  useEffect(() => {
    if (deciding) {
      form.resetFields();
      setError(null);
    }
  }, [deciding, form]);

  async function submit(values: { comment?: string }) {
    if (!deciding) return;
    setSaving(true);
    setError(null);
    try {
      const reply = await decideTask(deciding.task.id, deciding.decision, values.comment?.trim() || null);
      message.success(t(reject ? 'approval.rejectedDone' : 'approval.approvedDone', { number: deciding.task.docNumber }));
      await queryClient.invalidateQueries({ queryKey: APPROVALS_KEY });
      await queryClient.invalidateQueries({ queryKey: ['documents'] });
      await queryClient.invalidateQueries({ queryKey: ['account-requests'] });
      onDecided(reply);
    } catch (err) {
      if (showFieldErrors(form, err)) {
        // on the comment field
      } else if (isApiError(err, 'APPROVAL_ALREADY_DECIDED')) {
        message.warning(err.message);
        await queryClient.invalidateQueries({ queryKey: APPROVALS_KEY });
        onClose();
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={deciding !== null}
      title={reject ? t('approval.rejectTitle') : t('approval.approveTitle')}
      okText={reject ? t('approval.reject') : t('approval.approve')}
      okButtonProps={{ danger: reject, loading: saving, 'data-testid': 'decision-submit' } as ButtonProps}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {deciding && (
        <Typography.Paragraph type="secondary">
          {deciding.task.docTypeName} {deciding.task.docNumber} · {deciding.task.docTitle} · {deciding.task.stepName}
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="comment"
          label={reject ? t('approval.rejectReason') : t('approval.comment')}
          rules={reject ? [{ required: true, whitespace: true, message: t('approval.rejectReasonRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount placeholder={reject ? t('approval.rejectReasonPlaceholder') : t('approval.commentPlaceholder')} data-testid="decision-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
