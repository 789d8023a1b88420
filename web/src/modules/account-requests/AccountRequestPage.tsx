import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, Modal, Result, Skeleton, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/auth';
import { isApiError } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { localName, useRoleChoices } from '../roles/roles.api';
import { TerritoryTreeSelect } from '../territories/TerritoryTreeSelect';
import { InitialPasswordModal } from '../approvals/InitialPasswordModal';
import type { ApprovalResult } from '../approvals/approvals.api';
import { AttachmentsPanel } from '../documents/AttachmentsPanel';
import { RemindMeButton } from '../documents/RemindMeButton';
import { DocumentTimeline } from '../documents/DocumentTimeline';
import { ACCOUNT_REQUESTS_KEY, cancelAccountRequest, DOC_TYPE, getAccountRequest, submitAccountRequest } from './account-requests.api';
import { AccountRequestFormDrawer } from './AccountRequestFormDrawer';
import { StatusTag } from './AccountRequestListPage';

/** One account request: its fields, what its requester may do next, and its history. */
export default function AccountRequestPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [busy, setBusy] = useState<'submit' | 'cancel' | null>(null);
  const [result, setResult] = useState<ApprovalResult | null>(null);

  const request = useQuery({
    queryKey: [...ACCOUNT_REQUESTS_KEY, id],
    queryFn: ({ signal }) => getAccountRequest(id, signal),
    enabled: Number.isInteger(id) && id > 0,
  });
  const roles = useRoleChoices();

  async function refresh() {
    await queryClient.invalidateQueries({ queryKey: ACCOUNT_REQUESTS_KEY });
    await queryClient.invalidateQueries({ queryKey: ['documents'] });
  }

  async function act(kind: 'submit' | 'cancel') {
    const doc = request.data;
    if (!doc) return;
    setBusy(kind);
    try {
      if (kind === 'submit') {
        const reply = await submitAccountRequest(doc.id, doc.version);
        message.success(t(reply.approved ? 'accountRequest.approvedAtOnce' : 'accountRequest.submitted', { number: doc.number }));
        if (reply.result?.initialPassword) setResult(reply.result);
      } else {
        await cancelAccountRequest(doc.id, doc.version, cancelReason.trim() || null);
        message.success(t('accountRequest.cancelled', { number: doc.number }));
        setCancelling(false);
        setCancelReason('');
      }
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) message.warning(t('errors.conflictVersion'));
      else message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
      await refresh();
    }
  }

  if (request.isError) {
    return <Result status={isApiError(request.error) && request.error.status === 404 ? '404' : 'error'} title={request.error.message} extra={<Link to="/account-requests">{t('accountRequest.backToList')}</Link>} />;
  }
  const doc = request.data;
  if (!doc) return <Skeleton active />;

  const mine = doc.requestedBy === me.id;
  const actions = (
    <Space>
      <RemindMeButton docType={DOC_TYPE} docId={doc.id} />
      {mine && doc.status === 'draft' && (
        <>
          <Button onClick={() => setEditing(true)} data-testid="account-request-edit">
            {t('common.edit')}
          </Button>
          <Button type="primary" loading={busy === 'submit'} onClick={() => act('submit')} data-testid="account-request-submit">
            {t('accountRequest.submit')}
          </Button>
        </>
      )}
      {mine && (doc.status === 'draft' || doc.status === 'pending') && (
        <Button danger onClick={() => setCancelling(true)} data-testid="account-request-cancel">
          {t('accountRequest.cancel')}
        </Button>
      )}
    </Space>
  );

  return (
    <>
      <PageTitle title={`${t('accountRequest.title')} ${doc.number}`} extra={actions} />
      <Card>
        {doc.status === 'approved' && doc.createdUserId && <Alert type="success" showIcon title={t('accountRequest.accountCreated', { username: doc.username })} style={{ marginBottom: 16 }} />}
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} bordered size="small" data-testid="account-request-details">
          <Descriptions.Item label={t('accountRequest.number')}>{doc.number}</Descriptions.Item>
          <Descriptions.Item label={t('accountRequest.status')}>
            <StatusTag status={doc.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('accountRequest.requester')}>{doc.requesterName}</Descriptions.Item>
          <Descriptions.Item label={t('user.username')}>{doc.username}</Descriptions.Item>
          <Descriptions.Item label={t('user.displayName')}>{doc.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('user.department')}>{doc.departmentName}</Descriptions.Item>
          <Descriptions.Item label={t('user.phone')}>{doc.phone ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('user.email')}>{doc.email ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('accountRequest.createdAt')}>{formatDateTime(doc.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('user.roles')} span={{ xs: 1, md: 2, xl: 3 }}>
            <Space size={[4, 4]} wrap>
              {doc.roleIds.map((roleId) => {
                const role = roles.data?.find((r) => r.id === roleId);
                return (
                  <Tag key={roleId} color="cyan">
                    {role ? localName(role, i18n.language) : `#${roleId}`}
                  </Tag>
                );
              })}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('user.territories')} span={{ xs: 1, md: 2, xl: 3 }}>
            {doc.territoryIds.length === 0 ? '—' : <TerritoryTreeSelect value={doc.territoryIds} disabled variant="borderless" style={{ width: '100%' }} />}
          </Descriptions.Item>
          <Descriptions.Item label={t('accountRequest.reason')} span={{ xs: 1, md: 2, xl: 3 }}>
            {doc.reason}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <AttachmentsPanel docType={DOC_TYPE} docId={doc.id} />
      <DocumentTimeline docType={DOC_TYPE} docId={doc.id} />
      <AccountRequestFormDrawer open={editing} editing={doc} onClose={() => setEditing(false)} />
      <Modal
        open={cancelling}
        title={t('accountRequest.cancelTitle', { number: doc.number })}
        okText={t('accountRequest.cancel')}
        okButtonProps={{ danger: true, loading: busy === 'cancel' }}
        cancelText={t('common.close')}
        onOk={() => act('cancel')}
        onCancel={() => setCancelling(false)}
      >
        <Input.TextArea rows={3} maxLength={500} value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} placeholder={t('accountRequest.cancelReasonPlaceholder')} data-testid="account-request-cancel-reason" />
      </Modal>
      <InitialPasswordModal result={result} onClose={() => setResult(null)} />
    </>
  );
}
