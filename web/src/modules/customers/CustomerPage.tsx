import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Result, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { formatDateTime, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { CustomerActivitiesPanel } from '../activities/CustomerActivitiesPanel';
import { CustomerContactsPanel } from './CustomerContactsPanel';
import { CustomerEditDrawer } from './CustomerEditDrawer';
import { CustomerQualificationsPanel } from './CustomerQualificationsPanel';
import { QualificationStateTag } from './QualificationStateTag';
import { CustomerMergeModal } from './CustomerMergeModal';
import { CustomerOwnershipPanel } from './CustomerOwnershipPanel';
import { CustomerOpportunitiesPanel } from '../opportunities/CustomerOpportunitiesPanel';
import { CustomerStatusTag, CustomerTypeTag, GradeTag } from './customerLabels';
import { CUSTOMERS_KEY, getCustomer, type CustomerDetail } from './customers.api';
import { SourceLeadCard } from '../leads/SourceLeadCard';
import { CustomerOrdersPanel } from '../orders/CustomerOrdersPanel';
import { CustomerInvoicesPanel } from '../finance/CustomerInvoicesPanel';
import { CustomerReceiptsPanel } from '../finance/CustomerReceiptsPanel';

/**
 * The customer 360° page (客户360视图): the file, and one tab per thing that hangs off the customer.
 * Modules add their tab to `tabs` below (contacts, documents, ownership now; activities, orders,
 * contracts, invoices, payments and flow data when those modules arrive).
 */
export default function CustomerPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const customerId = Number(id);
  const [params, setParams] = useSearchParams();
  const { can } = useAuth();
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);

  const customer = useQuery({
    queryKey: [...CUSTOMERS_KEY, 'detail', customerId],
    queryFn: ({ signal }) => getCustomer(customerId, signal),
    enabled: Number.isInteger(customerId) && customerId > 0,
    retry: (count, error) => !isApiError(error) && count < 2,
  });

  if (customer.isLoading) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  if (customer.isError || !customer.data) {
    return <Result status="404" title={t('customer.notFound')} extra={<Link to="/customers">{t('customer.backToList')}</Link>} />;
  }
  const c = customer.data;
  const canWrite = can(PERMISSIONS.customersWrite) && c.status !== 'merged';

  const later = (key: string): { key: string; label: string; children: ReactNode } => ({
    key,
    label: t(`customer.tabs.${key}`),
    children: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.laterModule')} />,
  });

  const tabs = [
    { key: 'profile', label: t('customer.tabs.profile'), children: <CustomerProfile customer={c} /> },
    { key: 'qualifications', label: t('qualification.title'), children: <CustomerQualificationsPanel customerId={c.id} /> },
    ...(can(PERMISSIONS.contactsRead) ? [{ key: 'contacts', label: t('customer.tabs.contacts'), children: <CustomerContactsPanel customerId={c.id} editable={c.status !== 'merged'} /> }] : []),
    { key: 'ownership', label: t('customer.tabs.ownership'), children: <CustomerOwnershipPanel customer={c} /> },
    ...(can(PERMISSIONS.activitiesRead)
      ? [{ key: 'activities', label: t('customer.tabs.activities'), children: <CustomerActivitiesPanel customerId={c.id} customerName={c.name} editable={c.status !== 'merged'} /> }]
      : []),
    ...(can(PERMISSIONS.opportunitiesRead) ? [{ key: 'opportunities', label: t('opportunities.tab'), children: <CustomerOpportunitiesPanel customerId={c.id} editable={c.status !== 'merged'} /> }] : []),
    ...(can(PERMISSIONS.ordersRead) ? [{ key: 'orders', label: t('customer.tabs.orders'), children: <CustomerOrdersPanel customerId={c.id} /> }] : []),
    later('contracts'),
    ...(can(PERMISSIONS.invoicesRead) ? [{ key: 'invoices', label: t('customer.tabs.invoices'), children: <CustomerInvoicesPanel customerId={c.id} /> }] : []),
    ...(can(PERMISSIONS.receiptsRead) ? [{ key: 'payments', label: t('customer.tabs.payments'), children: <CustomerReceiptsPanel customerId={c.id} /> }] : []),
    later('flow'),
  ];
  const active = tabs.some((x) => x.key === params.get('tab')) ? params.get('tab')! : 'profile';

  return (
    <>
      <PageTitle
        title={c.name}
        extra={
          <Space>
            {can(PERMISSIONS.customersMerge) && c.status !== 'merged' && (
              <Button icon={<MergeCellsOutlined />} onClick={() => setMerging(true)} data-testid="customer-merge">
                {t('ownership.merge')}
              </Button>
            )}
            {canWrite && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="customer-edit">
                {t('common.edit')}
              </Button>
            )}
          </Space>
        }
      />
      {c.status === 'merged' && c.mergedIntoId !== null && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('customer.mergedInto')}
          action={<Link to={`/customers/${c.mergedIntoId}`}>{t('customer.openMergedInto')}</Link>}
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <Space size={[8, 8]} wrap data-testid="customer-header">
          <Typography.Text type="secondary">{c.code}</Typography.Text>
          <CustomerTypeTag type={c.type} t={t} />
          <GradeTag grade={c.grade} t={t} />
          <Tag>{t(`customer.lifecycleStages.${c.lifecycleStage}`)}</Tag>
          <CustomerStatusTag status={c.status} t={t} />
          <QualificationStateTag state={c.qualificationState} />
          <Typography.Text>{c.territoryName}</Typography.Text>
          <Typography.Text type="secondary">
            {t('customer.owner')}：{c.ownerName ? `${c.ownerName}（${c.ownerDepartmentName ?? '—'}）` : t('customer.unassigned')}
          </Typography.Text>
        </Space>
      </Card>
      <Card>
        <Tabs activeKey={active} onChange={(key) => setParams((p) => (key === 'profile' ? (p.delete('tab'), p) : (p.set('tab', key), p)), { replace: true })} items={tabs} />
      </Card>
      {canWrite && <CustomerEditDrawer customer={c} open={editing} onClose={() => setEditing(false)} />}
      {can(PERMISSIONS.customersMerge) && <CustomerMergeModal customer={c} open={merging} onClose={() => setMerging(false)} />}
    </>
  );
}

function CustomerProfile({ customer: c }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const or = (v: string | null | undefined) => (v ? v : '—');
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions title={t('customer.sections.basic')} bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="customer-profile">
        <Descriptions.Item label={t('customer.name')}>{c.name}</Descriptions.Item>
        <Descriptions.Item label={t('customer.shortName')}>{or(c.shortName)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.aliases')}>{c.aliases.length ? c.aliases.join('；') : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('customer.creditCode')}>{or(c.creditCode)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.type')}>{t(`customer.types.${c.type}`)}</Descriptions.Item>
        {c.type === 'hospital' && (
          <Descriptions.Item label={t('customer.hospitalGrade')}>{c.hospitalGrade ? t(`customer.hospitalGrades.${c.hospitalGrade}`) : '—'}</Descriptions.Item>
        )}
        {c.type === 'hospital' && <Descriptions.Item label={t('customer.hospitalDepartments')}>{c.hospitalDepartments.join('、') || '—'}</Descriptions.Item>}
        <Descriptions.Item label={t('customer.parent')}>{c.parentId ? <Link to={`/customers/${c.parentId}`}>{c.parentName}</Link> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('customer.phone')}>{or(c.phone)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.territory')}>{c.territoryName}</Descriptions.Item>
        <Descriptions.Item label={t('customer.address')} span={2}>
          {or(c.address)}
        </Descriptions.Item>
      </Descriptions>
      <Descriptions title={t('customer.sections.sales')} bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
        <Descriptions.Item label={t('customer.source')}>{c.source ? t(`customer.sources.${c.source}`) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('customer.lifecycleStage')}>{t(`customer.lifecycleStages.${c.lifecycleStage}`)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.grade')}>{c.grade ? t(`customer.grades.${c.grade}`) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('customer.creditLimit')}>{formatFen(c.creditLimitFen)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.paymentTermsDays')}>{t('customer.days', { count: c.paymentTermsDays })}</Descriptions.Item>
        <Descriptions.Item label={t('customer.createdAt')}>{formatDateTime(c.createdAt)}</Descriptions.Item>
      </Descriptions>
      <Descriptions title={t('customer.sections.invoicing')} bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('customer.invoiceTitle')}>{or(c.invoiceTitle)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.taxNumber')}>{or(c.taxNumber)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.bankName')}>{or(c.bankName)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.bankAccount')}>{or(c.bankAccount)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.invoiceAddress')}>{or(c.invoiceAddress)}</Descriptions.Item>
        <Descriptions.Item label={t('customer.invoicePhone')}>{or(c.invoicePhone)}</Descriptions.Item>
      </Descriptions>
      {c.notes && (
        <Card size="small" title={t('customer.notes')}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{c.notes}</Typography.Paragraph>
        </Card>
      )}
      <SourceLeadCard customerId={c.id} />
    </Space>
  );
}
