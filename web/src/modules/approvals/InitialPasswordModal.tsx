import { Alert, App, Button, Descriptions, Modal, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApprovalResult } from './approvals.api';

/** The initial password exists only in this reply: show it once, with a way to copy it. */
export function InitialPasswordModal({ result, onClose }: { result: ApprovalResult | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const open = !!result?.initialPassword;
  const text = result ? t('approval.accountOpenedCopy', { username: result.username ?? '', password: result.initialPassword ?? '' }) : '';

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      message.success(t('common.copied'));
    } catch {
      message.warning(t('common.copyFailed'));
    }
  }

  return (
    <Modal
      open={open}
      title={t('approval.accountOpenedTitle')}
      closable={false}
      mask={{ closable: false }}
      onCancel={onClose}
      footer={[
        <Button key="copy" icon={<CopyOutlined />} onClick={copy} data-testid="initial-password-copy">
          {t('common.copy')}
        </Button>,
        <Button key="ok" type="primary" onClick={onClose} data-testid="initial-password-close">
          {t('approval.passwordHandedOver')}
        </Button>,
      ]}
      data-testid="initial-password-modal"
    >
      <Alert type="warning" showIcon title={t('approval.accountOpenedHint')} style={{ marginBottom: 16 }} />
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('user.username')}>
          <Typography.Text strong data-testid="initial-username">
            {result?.username}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('user.initialPassword')}>
          <Typography.Text strong code style={{ fontSize: 16 }} data-testid="initial-password">
            {result?.initialPassword}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Modal>
  );
}
