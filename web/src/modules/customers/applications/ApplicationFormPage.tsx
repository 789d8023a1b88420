import { fenToYuanText, yuanToFen } from '../../../shared/money';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, List, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../app/auth';
import { isApiError } from '../../../shared/api';
import { showFieldErrors } from '../../../shared/formErrors';
import { PageTitle } from '../../../shared/PageTitle';
import { CustomerSelect } from '../../../shared/CustomerSelect';
import { UserSelect } from '../../../shared/UserSelect';
import { QUALIFICATION_KINDS, type QualificationKind } from '../qualifications.api';
import {
  APPLICATIONS_KEY,
  CUSTOMER_GRADES,
  CUSTOMER_SOURCES,
  CUSTOMER_TYPES,
  HOSPITAL_GRADES,
  createApplication,
  findDuplicates,
  getApplication,
  updateApplication,
  type ApplicationDetail,
  type ApplicationInput,
  type CustomerType,
  type DuplicateCandidate,
} from './applications.api';
import { TerritoryCascader } from './TerritoryCascader';
import { useDebounced } from '../../../shared/useDebounced';

interface DocValues {
  id?: number;
  kind: QualificationKind;
  number: string;
  issuedOn?: Dayjs | null;
  expiresOn?: Dayjs | null;
  notes?: string;
}
interface Values {
  name: string;
  shortName?: string;
  aliases?: string[];
  creditCode?: string;
  type: CustomerType;
  territoryId?: string;
  address?: string;
  hospitalGrade?: string;
  hospitalDepartments?: string[];
  source?: string;
  grade?: string;
  parentId?: number | null;
  /** Typed in yuan as text; converted to fen through the text (shared/money.ts), never by float arithmetic. */
  creditLimitYuan?: string;
  paymentTermsDays?: number;
  invoiceTitle?: string;
  taxNumber?: string;
  bankName?: string;
  bankAccount?: string;
  invoiceAddress?: string;
  invoicePhone?: string;
  phone?: string;
  notes?: string;
  proposedOwnerId?: number | null;
  reason: string;
  documents: DocValues[];
}

/** Which documents a customer type must file (the server's REQUIRED_QUALIFICATIONS). */
export const REQUIRED_KINDS: Record<CustomerType, QualificationKind[]> = {
  distributor: ['business_licence', 'drug_operation_licence'],
  pharmacy: ['business_licence', 'drug_operation_licence'],
  agent: ['business_licence'],
  other: ['business_licence'],
  hospital: ['medical_institution_licence'],
  clinic: ['medical_institution_licence'],
};

const blank = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);
const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

function toInput(v: Values): ApplicationInput {
  return {
    name: v.name.trim(),
    shortName: blank(v.shortName),
    aliases: v.aliases ?? [],
    creditCode: blank(v.creditCode),
    type: v.type,
    territoryId: v.territoryId ?? '',
    address: blank(v.address),
    hospitalGrade: v.type === 'hospital' ? (v.hospitalGrade ?? null) : null,
    hospitalDepartments: v.hospitalDepartments ?? [],
    source: v.source ?? null,
    grade: v.grade ?? null,
    parentId: v.parentId ?? null,
    creditLimitFen: yuanToFen(v.creditLimitYuan?.trim() || '0') ?? '0',
    paymentTermsDays: v.paymentTermsDays ?? 0,
    invoiceTitle: blank(v.invoiceTitle),
    taxNumber: blank(v.taxNumber),
    bankName: blank(v.bankName),
    bankAccount: blank(v.bankAccount),
    invoiceAddress: blank(v.invoiceAddress),
    invoicePhone: blank(v.invoicePhone),
    phone: blank(v.phone),
    notes: blank(v.notes),
    proposedOwnerId: v.proposedOwnerId ?? null,
    reason: v.reason.trim(),
    documents: (v.documents ?? []).map((d) => ({ id: d.id ?? null, kind: d.kind, number: d.number.trim(), issuedOn: day(d.issuedOn), expiresOn: day(d.expiresOn), notes: blank(d.notes) })),
  };
}

function toValues(a: ApplicationDetail): Values {
  const c = a.customer;
  return {
    name: c.name,
    shortName: c.shortName ?? undefined,
    aliases: c.aliases ?? [],
    creditCode: c.creditCode ?? undefined,
    type: c.type,
    territoryId: c.territoryId,
    address: c.address ?? undefined,
    hospitalGrade: c.hospitalGrade ?? undefined,
    hospitalDepartments: c.hospitalDepartments ?? [],
    source: c.source ?? undefined,
    grade: c.grade ?? undefined,
    parentId: c.parentId ?? null,
    creditLimitYuan: fenToYuanText(c.creditLimitFen ?? 0),
    paymentTermsDays: c.paymentTermsDays ?? 0,
    invoiceTitle: c.invoiceTitle ?? undefined,
    taxNumber: c.taxNumber ?? undefined,
    bankName: c.bankName ?? undefined,
    bankAccount: c.bankAccount ?? undefined,
    invoiceAddress: c.invoiceAddress ?? undefined,
    invoicePhone: c.invoicePhone ?? undefined,
    phone: c.phone ?? undefined,
    notes: c.notes ?? undefined,
    proposedOwnerId: a.proposedOwnerId,
    reason: a.reason,
    documents: a.documents.map((d) => ({ id: d.id, kind: d.kind, number: d.number, issuedOn: d.issuedOn ? dayjs(d.issuedOn) : null, expiresOn: d.expiresOn ? dayjs(d.expiresOn) : null, notes: d.notes ?? undefined })),
  };
}

/** Likely duplicates of what is being typed (name / credit code), checked across all customers. */
function DuplicatePanel({ candidates }: { candidates: DuplicateCandidate[] }) {
  const { t } = useTranslation();
  if (candidates.length === 0) return null;
  const exact = candidates.filter((c) => c.reason !== 'similar_name');
  return (
    <Alert
      type={exact.length ? 'error' : 'warning'}
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="application-duplicates"
      title={exact.length ? t('customerApplication.exactDuplicate') : t('customerApplication.similarCustomers')}
      description={
        <List
          size="small"
          dataSource={candidates}
          renderItem={(c) => (
            <List.Item>
              <Space wrap>
                <Tag color={c.reason === 'similar_name' ? 'orange' : 'red'}>{t(`customerApplication.duplicateReasons.${c.reason}`)}</Tag>
                <span>{c.name}</span>
                <Typography.Text type="secondary">{c.code}</Typography.Text>
                {c.creditCode && <Typography.Text type="secondary">{c.creditCode}</Typography.Text>}
                <span>{t('customerApplication.ownerIs', { owner: c.ownerName ?? t('customerApplication.noOwner') })}</span>
              </Space>
            </List.Item>
          )}
        />
      }
    />
  );
}

/** 开户申请 form: new (/customer-applications/new) or my draft (/customer-applications/:id/edit). */
export default function ApplicationFormPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const idParam = useParams().id;
  const id = idParam ? Number(idParam) : null;
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const existing = useQuery({ queryKey: [...APPLICATIONS_KEY, id], queryFn: ({ signal }) => getApplication(id!, signal), enabled: id !== null });
  useEffect(() => {
    if (existing.data) form.setFieldsValue(toValues(existing.data));
  }, [existing.data, form]);

  const name = Form.useWatch('name', form) ?? '';
  const creditCode = Form.useWatch('creditCode', form) ?? '';
  const type = Form.useWatch('type', form) as CustomerType | undefined;
  const lookup = useDebounced({ name: name.trim(), creditCode: creditCode.trim() }, 400);
  const duplicates = useQuery({
    queryKey: ['customers', 'duplicates', lookup],
    queryFn: ({ signal }) => findDuplicates(lookup, signal),
    enabled: lookup.name.length >= 2 || lookup.creditCode.length >= 18,
  });
  const candidates = duplicates.data ?? [];
  const exactDuplicate = candidates.some((c) => c.reason !== 'similar_name');
  // A rep (data scope "own" only) opens accounts for themselves; the server applies the same rule.
  const isRep = !!me && me.dataScopes.length > 0 && me.dataScopes.every((s) => s === 'own');

  async function save(values: Values) {
    setSaving(true);
    setError(null);
    try {
      const input = toInput(values);
      const saved = id !== null && existing.data ? await updateApplication(id, { ...input, version: existing.data.version }) : await createApplication(input);
      await queryClient.invalidateQueries({ queryKey: APPLICATIONS_KEY });
      message.success(t('customerApplication.saved', { number: saved.number }));
      navigate(`/customer-applications/${saved.id}`);
    } catch (err) {
      // The form keeps what was typed; field errors go next to their fields.
      if (isApiError(err, 'CONFLICT_VERSION')) setError(t('errors.conflictVersion'));
      else if (!showFieldErrors(form, err, { creditLimitFen: 'creditLimitYuan' })) setError(err instanceof Error ? err.message : String(err));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  if (id !== null && existing.isLoading) return <Skeleton active />;
  if (id !== null && existing.isError) return <Alert type="error" title={existing.error.message} />;

  const section = (title: string, children: React.ReactNode, testId: string) => (
    <Card title={title} size="small" style={{ marginBottom: 16 }} data-testid={testId}>
      {children}
    </Card>
  );

  return (
    <>
      <PageTitle
        title={id === null ? t('customerApplication.create') : `${t('customerApplication.edit')} ${existing.data?.number ?? ''}`}
        extra={<Link to={id === null ? '/customer-applications' : `/customer-applications/${id}`}>{t('customerApplication.back')}</Link>}
      />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ type: 'hospital', documents: [], aliases: [], hospitalDepartments: [], paymentTermsDays: 0, creditLimitYuan: '0.00' }}
        data-testid="application-form"
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="application-form-error" />}
        <DuplicatePanel candidates={candidates} />
        {section(
          t('customerApplication.sections.basic'),
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="name" label={t('customerApplication.fields.name')} rules={[{ required: true, min: 2, max: 100 }]}>
                <Input maxLength={100} data-testid="application-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="shortName" label={t('customerApplication.fields.shortName')}>
                <Input maxLength={40} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="type" label={t('customerApplication.fields.type')} rules={[{ required: true }]}>
                <Select options={CUSTOMER_TYPES.map((v) => ({ value: v, label: t(`customerApplication.types.${v}`) }))} data-testid="application-type" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="creditCode" label={t('customerApplication.fields.creditCode')} rules={[{ len: 18, message: t('customerApplication.creditCodeLength') }]}>
                <Input maxLength={18} style={{ textTransform: 'uppercase' }} data-testid="application-credit-code" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="aliases" label={t('customerApplication.fields.aliases')}>
                <Select mode="tags" open={false} tokenSeparators={[',', '，']} />
              </Form.Item>
            </Col>
            {type === 'hospital' && (
              <Col xs={24} md={6}>
                <Form.Item name="hospitalGrade" label={t('customerApplication.fields.hospitalGrade')}>
                  <Select allowClear options={HOSPITAL_GRADES.map((v) => ({ value: v, label: t(`customerApplication.hospitalGrades.${v}`) }))} data-testid="application-hospital-grade" />
                </Form.Item>
              </Col>
            )}
            {(type === 'hospital' || type === 'clinic') && (
              <Col xs={24} md={type === 'hospital' ? 18 : 24}>
                <Form.Item name="hospitalDepartments" label={t('customerApplication.fields.hospitalDepartments')}>
                  <Select mode="tags" open={false} tokenSeparators={[',', '，']} />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={8}>
              <Form.Item name="source" label={t('customerApplication.fields.source')}>
                <Select allowClear options={CUSTOMER_SOURCES.map((v) => ({ value: v, label: t(`customerApplication.sources.${v}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="grade" label={t('customerApplication.fields.grade')}>
                <Select allowClear options={CUSTOMER_GRADES.map((v) => ({ value: v, label: v }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="phone" label={t('customerApplication.fields.phone')}>
                <Input maxLength={30} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="parentId" label={t('customerApplication.fields.parent')}>
                <CustomerSelect allowClear />
              </Form.Item>
            </Col>
          </Row>,
          'application-section-basic',
        )}
        {section(
          t('customerApplication.sections.region'),
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="territoryId" label={t('customerApplication.fields.territory')} rules={[{ required: true, message: t('customerApplication.territoryRequired') }]}>
                <TerritoryCascader />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="address" label={t('customerApplication.fields.address')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="proposedOwnerId" label={t('customerApplication.fields.proposedOwner')} extra={isRep ? t('customerApplication.ownerIsYou') : t('customerApplication.ownerHelp')}>
                <UserSelect allowClear disabled={isRep} knownUser={existing.data?.proposedOwnerId ? { id: existing.data.proposedOwnerId, displayName: existing.data.proposedOwnerName ?? '' } : null} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item
                name="creditLimitYuan"
                label={t('customerApplication.fields.creditLimit')}
                rules={[{ validator: async (_, v?: string) => (!v || yuanToFen(v) !== null ? undefined : Promise.reject(new Error(t('validation.money')))) }]}
              >
                <Input prefix="¥" data-testid="application-credit-limit" />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item name="paymentTermsDays" label={t('customerApplication.fields.paymentTermsDays')}>
                <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>,
          'application-section-region',
        )}
        {section(
          t('customerApplication.sections.invoicing'),
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="invoiceTitle" label={t('customerApplication.fields.invoiceTitle')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="taxNumber" label={t('customerApplication.fields.taxNumber')}>
                <Input maxLength={30} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="bankName" label={t('customerApplication.fields.bankName')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="bankAccount" label={t('customerApplication.fields.bankAccount')}>
                <Input maxLength={40} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="invoiceAddress" label={t('customerApplication.fields.invoiceAddress')}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="invoicePhone" label={t('customerApplication.fields.invoicePhone')}>
                <Input maxLength={30} />
              </Form.Item>
            </Col>
          </Row>,
          'application-section-invoicing',
        )}
        {section(
          t('customerApplication.sections.documents'),
          <>
            {type && (
              <Typography.Paragraph type="secondary">
                {t('customerApplication.requiredDocuments', { kinds: REQUIRED_KINDS[type].map((k) => t(`qualification.kinds.${k}`)).join('、') })}
              </Typography.Paragraph>
            )}
            <Form.List name="documents">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, i) => (
                    <Row gutter={8} key={field.key} align="top" data-testid={`application-document-${i}`}>
                      <Form.Item name={[field.name, 'id']} hidden>
                        <Input />
                      </Form.Item>
                      <Col xs={24} md={6}>
                        <Form.Item name={[field.name, 'kind']} rules={[{ required: true }]}>
                          <Select placeholder={t('qualification.kind')} options={QUALIFICATION_KINDS.map((k) => ({ value: k, label: t(`qualification.kinds.${k}`) }))} data-testid={`application-document-kind-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={6}>
                        <Form.Item name={[field.name, 'number']} rules={[{ required: true, max: 60 }]}>
                          <Input placeholder={t('qualification.number')} data-testid={`application-document-number-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={5}>
                        <Form.Item name={[field.name, 'issuedOn']}>
                          <DatePicker placeholder={t('qualification.issuedOn')} style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col xs={12} md={5}>
                        <Form.Item name={[field.name, 'expiresOn']} extra={t('qualification.longTermHint')}>
                          <DatePicker placeholder={t('qualification.expiresOn')} style={{ width: '100%' }} data-testid={`application-document-expires-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={2}>
                        <Button icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                      </Col>
                    </Row>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: undefined, number: '' })} data-testid="application-add-document">
                    {t('customerApplication.addDocument')}
                  </Button>
                  <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                    {t('customerApplication.filesAfterSave')}
                  </Typography.Paragraph>
                </>
              )}
            </Form.List>
          </>,
          'application-section-documents',
        )}
        <Card size="small" style={{ marginBottom: 16 }}>
          <Form.Item name="reason" label={t('customerApplication.fields.reason')} rules={[{ required: true, min: 2, max: 1000 }]}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="application-reason" />
          </Form.Item>
          <Form.Item name="notes" label={t('customerApplication.fields.notes')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Card>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} disabled={exactDuplicate} data-testid="application-save">
            {t('customerApplication.saveDraft')}
          </Button>
          {exactDuplicate && <Typography.Text type="danger">{t('customerApplication.exactDuplicateBlocks')}</Typography.Text>}
        </Space>
      </Form>
    </>
  );
}
