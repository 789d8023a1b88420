import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Drawer, Form, Input, Select, Space, Switch, Table, Tag, Upload } from 'antd';
import { EditOutlined, PlusOutlined, SyncOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { uploadFile } from '../../shared/upload';
import { AttachmentsPanel } from '../documents/AttachmentsPanel';
import { ExpiryTag } from './QualificationStateTag';
import {
  QUALIFICATION_DOC_TYPE,
  QUALIFICATION_KINDS,
  QUALIFICATIONS_KEY,
  addQualification,
  getEligibility,
  listQualifications,
  renewQualification,
  updateQualification,
  type Qualification,
  type QualificationKind,
} from './qualifications.api';

interface Values {
  kind: QualificationKind;
  number: string;
  issuedOn?: Dayjs | null;
  expiresOn?: Dayjs | null;
  notes?: string;
}
type Mode = { kind: 'add' } | { kind: 'renew'; doc: Qualification } | { kind: 'edit'; doc: Qualification };

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** 资质文件 tab of the customer 360° page: current documents with expiry tags, add / renew / correct with a scan, and history. */
export function CustomerQualificationsPanel({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [history, setHistory] = useState(false);
  const [mode, setMode] = useState<Mode | null>(null);
  const [files, setFiles] = useState<Qualification | null>(null);
  const [saving, setSaving] = useState(false);
  const [scan, setScan] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const writable = can(PERMISSIONS.customersWrite);

  const key = [...QUALIFICATIONS_KEY, customerId, history];
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => listQualifications(customerId, history, signal) });
  const eligibility = useQuery({ queryKey: [...QUALIFICATIONS_KEY, customerId, 'eligibility'], queryFn: ({ signal }) => getEligibility(customerId, signal) });

  function open(next: Mode) {
    setError(null);
    setScan(null);
    form.resetFields();
    if (next.kind !== 'add') {
      const d = next.doc;
      form.setFieldsValue({
        kind: d.kind,
        number: next.kind === 'edit' ? d.number : '',
        issuedOn: next.kind === 'edit' && d.issuedOn ? dayjs(d.issuedOn) : null,
        expiresOn: next.kind === 'edit' && d.expiresOn ? dayjs(d.expiresOn) : null,
        notes: next.kind === 'edit' ? (d.notes ?? undefined) : undefined,
      });
    }
    setMode(next);
  }

  async function save(values: Values) {
    if (!mode) return;
    setSaving(true);
    setError(null);
    try {
      const input = { number: values.number.trim(), issuedOn: day(values.issuedOn), expiresOn: day(values.expiresOn), notes: values.notes?.trim() || null };
      const saved =
        mode.kind === 'add'
          ? await addQualification(customerId, { ...input, kind: values.kind })
          : mode.kind === 'renew'
            ? await renewQualification(customerId, mode.doc.id, { ...input, version: mode.doc.version })
            : await updateQualification(customerId, mode.doc.id, { ...input, version: mode.doc.version });
      if (scan) await uploadFile(`/api/documents/${QUALIFICATION_DOC_TYPE}/${saved.id}/attachments`, scan, () => undefined);
      message.success(t('qualification.saved'));
      setMode(null);
      await queryClient.invalidateQueries({ queryKey: QUALIFICATIONS_KEY });
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) setError(t('errors.conflictVersion'));
      else {
        showFieldErrors(form, err);
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card
      title={t('qualification.title')}
      data-testid="customer-qualifications"
      extra={
        <Space>
          <Switch checked={history} onChange={setHistory} checkedChildren={t('qualification.withHistory')} unCheckedChildren={t('qualification.currentOnly')} data-testid="qualifications-history" />
          {writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ kind: 'add' })} data-testid="qualifications-add">
              {t('qualification.add')}
            </Button>
          )}
        </Space>
      }
    >
      {eligibility.data && !eligibility.data.eligible && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="qualification-problems"
          title={t('qualification.notEligible')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {eligibility.data.problems.map((p) => (
                <li key={p.kind}>
                  {t(`qualification.kinds.${p.kind}`)} — {p.problem === 'missing' ? t('qualification.problemMissing') : t('qualification.problemExpired', { date: p.expiresOn })}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Table<Qualification>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isFetching}
        dataSource={list.data}
        locale={list.isError ? { emptyText: list.error.message } : undefined}
        columns={[
          { title: t('qualification.kind'), dataIndex: 'kind', key: 'kind', render: (k: string) => t(`qualification.kinds.${k}`) },
          { title: t('qualification.number'), dataIndex: 'number', key: 'number' },
          { title: t('qualification.issuedOn'), dataIndex: 'issuedOn', key: 'issuedOn', render: (v: string | null) => v ?? '—' },
          {
            title: t('qualification.expiresOn'),
            dataIndex: 'expiresOn',
            key: 'expiresOn',
            render: (v: string | null, row) => (row.status === 'current' ? <ExpiryTag expiresOn={v} /> : <Tag>{t('qualification.replaced')}</Tag>),
          },
          {
            title: t('qualification.files'),
            key: 'files',
            render: (_, row) => (
              <Button type="link" size="small" onClick={() => setFiles(row)}>
                {t('qualification.fileCount', { count: row.attachmentCount })}
              </Button>
            ),
          },
          { title: t('qualification.createdBy'), dataIndex: 'createdByName', key: 'createdByName', render: (v: string | null) => v ?? '—' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, row) =>
              writable && row.status === 'current' ? (
                <Space>
                  <Button size="small" icon={<SyncOutlined />} onClick={() => open({ kind: 'renew', doc: row })} data-testid={`qualification-renew-${row.id}`}>
                    {t('qualification.renew')}
                  </Button>
                  <Button size="small" icon={<EditOutlined />} onClick={() => open({ kind: 'edit', doc: row })}>
                    {t('common.edit')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Drawer
        open={mode !== null}
        width={480}
        title={mode ? t(`qualification.modes.${mode.kind}`) : ''}
        onClose={() => setMode(null)}
        destroyOnHidden
        extra={
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="qualification-save">
            {t('common.save')}
          </Button>
        }
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form<Values> form={form} layout="vertical" onFinish={save}>
          <Form.Item name="kind" label={t('qualification.kind')} rules={[{ required: true }]}>
            <Select disabled={mode?.kind !== 'add'} options={QUALIFICATION_KINDS.map((k) => ({ value: k, label: t(`qualification.kinds.${k}`) }))} data-testid="qualification-kind" />
          </Form.Item>
          <Form.Item name="number" label={t('qualification.number')} rules={[{ required: true, max: 60 }]}>
            <Input maxLength={60} data-testid="qualification-number" />
          </Form.Item>
          <Form.Item name="issuedOn" label={t('qualification.issuedOn')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="expiresOn" label={t('qualification.expiresOn')} extra={t('qualification.longTermHint')}>
            <DatePicker style={{ width: '100%' }} data-testid="qualification-expires" />
          </Form.Item>
          <Form.Item name="notes" label={t('qualification.notes')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          {mode?.kind !== 'edit' && (
            <Form.Item label={t('qualification.scan')}>
              <Upload
                maxCount={1}
                beforeUpload={(f) => {
                  setScan(f);
                  return false;
                }}
                onRemove={() => setScan(null)}
              >
                <Button icon={<UploadOutlined />}>{t('qualification.uploadScan')}</Button>
              </Upload>
            </Form.Item>
          )}
        </Form>
      </Drawer>
      <Drawer open={files !== null} width={560} title={files ? `${t(`qualification.kinds.${files.kind}`)} ${files.number}` : ''} onClose={() => setFiles(null)} destroyOnHidden>
        {files && <AttachmentsPanel docType={QUALIFICATION_DOC_TYPE} docId={files.id} readOnly={!writable} />}
      </Drawer>
    </Card>
  );
}
