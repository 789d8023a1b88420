import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Input, Modal, Result, Skeleton, Space, Table, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../app/auth';
import { isApiError } from '../../../shared/api';
import { formatDateTime, formatFen } from '../../../shared/format';
import { PageTitle } from '../../../shared/PageTitle';
import { uploadFile } from '../../../shared/upload';
import { AttachmentsPanel } from '../../documents/AttachmentsPanel';
import { DocumentTimeline } from '../../documents/DocumentTimeline';
import { ExpiryTag } from '../QualificationStateTag';
import {
  APPLICATIONS_KEY,
  DOC_TYPE,
  cancelApplication,
  getApplication,
  submitApplication,
  type ApplicationDocument,
} from './applications.api';
import { ApplicationStatusTag } from './ApplicationListPage';

/** One account opening: the proposed customer, its documents with their scans, what to do next, and its history. */
export default function ApplicationPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const [cancelling, setCancelling] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [busy, setBusy] = useState<'submit' | 'cancel' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const application = useQuery({ queryKey: [...APPLICATIONS_KEY, id], queryFn: ({ signal }) => getApplication(id, signal), enabled: Number.isInteger(id) && id > 0 });

  async function refresh() {
    await queryClient.invalidateQueries({ queryKey: APPLICATIONS_KEY });
    await queryClient.invalidateQueries({ queryKey: ['documents'] });
    await queryClient.invalidateQueries({ queryKey: ['attachments', DOC_TYPE, id] });
  }

  async function act(kind: 'submit' | 'cancel') {
    const doc = application.data;
    if (!doc) return;
    setBusy(kind);
    setError(null);
    try {
      if (kind === 'submit') {
        await submitApplication(doc.id, doc.version);
        message.success(t('customerApplication.submitted', { number: doc.number }));
      } else {
        await cancelApplication(doc.id, doc.version, cancelReason.trim() || null);
        message.success(t('customerApplication.cancelled', { number: doc.number }));
        setCancelling(false);
        setCancelReason('');
      }
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) setError(t('errors.conflictVersion'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
      await refresh();
    }
  }

  async function upload(document: ApplicationDocument, file: File) {
    try {
      await uploadFile(`/api/customer-applications/${id}/documents/${document.id}/files`, file, () => undefined);
      message.success(t('attachments.uploaded', { name: file.name }));
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    } finally {
      await refresh();
    }
  }

  if (application.isError) {
    return (
      <Result
        status={isApiError(application.error) && application.error.status === 404 ? '404' : 'error'}
        title={application.error.message}
        extra={<Link to="/customer-applications">{t('customerApplication.back')}</Link>}
      />
    );
  }
  const doc = application.data;
  if (!doc) return <Skeleton active />;
  const mine = doc.submittedBy === me.id;
  const editable = mine && doc.status === 'draft';
  const c = doc.customer;

  const actions = (
    <Space>
      {editable && (
        <>
          <Button onClick={() => navigate(`/customer-applications/${doc.id}/edit`)} data-testid="application-edit">
            {t('common.edit')}
          </Button>
          <Button type="primary" loading={busy === 'submit'} onClick={() => act('submit')} data-testid="application-submit">
            {t('customerApplication.submit')}
          </Button>
        </>
      )}
      {mine && (doc.status === 'draft' || doc.status === 'pending') && (
        <Button danger onClick={() => setCancelling(true)} data-testid="application-cancel">
          {t('customerApplication.cancel')}
        </Button>
      )}
    </Space>
  );

  return (
    <>
      <PageTitle title={`${t('customerApplication.title')} ${doc.number}`} extra={actions} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="application-error" />}
      {doc.status === 'draft' && doc.rejectionReason && (
        <Alert type="warning" showIcon title={t('customerApplication.rejectedBecause', { reason: doc.rejectionReason })} style={{ marginBottom: 16 }} data-testid="application-rejection" />
      )}
      {doc.status === 'approved' && doc.createdCustomerId && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <span>
              {t('customerApplication.customerCreated', { code: doc.createdCustomerCode })} <Link to={`/customers/${doc.createdCustomerId}`}>{t('customerApplication.openCustomer')}</Link>
            </span>
          }
        />
      )}
      <Card>
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} bordered size="small" data-testid="application-details">
          <Descriptions.Item label={t('customerApplication.number')}>{doc.number}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.status')}>
            <ApplicationStatusTag status={doc.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.submitter')}>{doc.submitterName}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.name')}>{c.name}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.type')}>{t(`customerApplication.types.${c.type}`)}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.creditCode')}>{doc.creditCode ?? '—'}</Descriptions.Item>
          {c.hospitalGrade && <Descriptions.Item label={t('customerApplication.fields.hospitalGrade')}>{t(`customerApplication.hospitalGrades.${c.hospitalGrade}`)}</Descriptions.Item>}
          <Descriptions.Item label={t('customerApplication.fields.address')}>{c.address ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.proposedOwner')}>{doc.proposedOwnerName ?? t('customerApplication.noOwner')}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.creditLimit')}>{formatFen(c.creditLimitFen ?? 0)}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.paymentTermsDays')}>{c.paymentTermsDays ?? 0}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.invoiceTitle')}>{c.invoiceTitle ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.taxNumber')}>{c.taxNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.createdAt')}>{formatDateTime(doc.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('customerApplication.fields.reason')} span={{ xs: 1, md: 2, xl: 3 }}>
            {doc.reason}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('customerApplication.sections.documents')} style={{ marginTop: 16 }} data-testid="application-documents">
        <Table<ApplicationDocument>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={doc.documents}
          columns={[
            { title: t('qualification.kind'), dataIndex: 'kind', key: 'kind', render: (k: string) => t(`qualification.kinds.${k}`) },
            { title: t('qualification.number'), dataIndex: 'number', key: 'number' },
            { title: t('qualification.issuedOn'), dataIndex: 'issuedOn', key: 'issuedOn', render: (v: string | null) => v ?? '—' },
            { title: t('qualification.expiresOn'), dataIndex: 'expiresOn', key: 'expiresOn', render: (v: string | null) => <ExpiryTag expiresOn={v} /> },
            { title: t('qualification.files'), key: 'files', render: (_, d) => t('qualification.fileCount', { count: d.attachmentIds.length }) },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, d, i) =>
                editable ? (
                  <span data-testid={`application-document-upload-${i}`}>
                  <Upload
                    showUploadList={false}
                    beforeUpload={(file) => {
                      void upload(d, file);
                      return false;
                    }}
                  >
                    <Button size="small" icon={<UploadOutlined />}>
                      {t('qualification.uploadScan')}
                    </Button>
                  </Upload>
                  </span>
                ) : null,
            },
          ]}
        />
      </Card>
      <AttachmentsPanel docType={DOC_TYPE} docId={doc.id} />
      <DocumentTimeline docType={DOC_TYPE} docId={doc.id} />
      <Modal
        open={cancelling}
        title={t('customerApplication.cancelTitle', { number: doc.number })}
        okText={t('customerApplication.cancel')}
        okButtonProps={{ danger: true, loading: busy === 'cancel' }}
        cancelText={t('common.close')}
        onOk={() => act('cancel')}
        onCancel={() => setCancelling(false)}
      >
        <Input.TextArea rows={3} maxLength={500} value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} data-testid="application-cancel-reason" />
      </Modal>
    </>
  );
}
