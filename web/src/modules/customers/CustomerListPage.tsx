import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Input, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined, UploadOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { UserSelect } from '../../shared/UserSelect';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { TerritorySelect } from '../territories/TerritorySelect';
import { AssignOwnerModal } from './AssignOwnerModal';
import { customerFiltersToQuery, customerListQuery, readCustomerFilters } from './customerFilters';
import { CustomerStatusTag, CustomerTypeTag, GradeTag } from './customerLabels';
import { QUALIFICATION_STATES } from './qualifications.api';
import { QualificationStateTag } from './QualificationStateTag';
import { CUSTOMER_GRADES, CUSTOMER_STATUSES, CUSTOMER_TYPES, CUSTOMERS_KEY, LIFECYCLE_STAGES, listCustomers, type CustomerListRow } from './customers.api';

/** 客户列表: the customers the user's data scope covers, searchable by name, pinyin or initials (bjxh). */
export default function CustomerListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const filters = readCustomerFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = customerListQuery(params);

  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [exporting, setExporting] = useState(false);
  const canAssign = can(PERMISSIONS.customersAssign);
  const [selected, setSelected] = useState<number[]>([]);
  const [assigning, setAssigning] = useState(false);

  const customers = useQuery({
    queryKey: [...CUSTOMERS_KEY, 'list', query],
    queryFn: ({ signal }) => listCustomers(query, signal),
    placeholderData: keepPreviousData,
  });

  async function exportCustomers() {
    setExporting(true);
    try {
      await downloadFile('/customers/export', customerFiltersToQuery(filters), `${t('customer.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });

  const columns: TableColumnsType<CustomerListRow> = [
    { title: t('customer.code'), dataIndex: 'code', key: 'code', ...sortable('code'), width: 110 },
    {
      title: t('customer.name'),
      dataIndex: 'name',
      key: 'name',
      ...sortable('name'),
      width: 260,
      render: (_, c) => (
        <Space direction="vertical" size={0}>
          <Space size={6}>
            <Link to={`/customers/${c.id}`} data-testid={`customer-link-${c.id}`}>
              {c.name}
            </Link>
            <CustomerStatusTag status={c.status} t={t} />
          </Space>
          {c.shortName && <Typography.Text type="secondary">{c.shortName}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('customer.type'), dataIndex: 'type', key: 'type', ...sortable('type'), width: 130, render: (_, c) => <CustomerTypeTag type={c.type} t={t} /> },
    { title: t('customer.territory'), dataIndex: 'territoryName', key: 'territory', ...sortable('territory'), width: 200 },
    { title: t('customer.grade'), dataIndex: 'grade', key: 'grade', ...sortable('grade'), width: 80, render: (_, c) => <GradeTag grade={c.grade} t={t} /> },
    {
      title: t('customer.lifecycleStage'),
      dataIndex: 'lifecycleStage',
      key: 'lifecycleStage',
      ...sortable('lifecycleStage'),
      width: 110,
      render: (_, c) => t(`customer.lifecycleStages.${c.lifecycleStage}`),
    },
    {
      title: t('customer.owner'),
      key: 'owner',
      width: 150,
      render: (_, c) =>
        c.ownerName ? (
          <Space direction="vertical" size={0}>
            {c.ownerName}
            <Typography.Text type="secondary">{c.ownerDepartmentName}</Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="warning">{t('customer.unassigned')}</Typography.Text>
        ),
    },
    { title: t('qualification.title'), dataIndex: 'qualificationState', key: 'qualificationState', width: 110, render: (_, c) => <QualificationStateTag state={c.qualificationState} /> },
    { title: t('customer.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', ...sortable('updatedAt'), width: 150, render: (v: string) => formatDateTime(v) },
  ];

  return (
    <>
      <PageTitle
        title={t('menu.customerList')}
        extra={
          <Space>
            {canAssign && (
              <Button icon={<UserSwitchOutlined />} disabled={selected.length === 0} onClick={() => setAssigning(true)} data-testid="customers-assign">
                {t('ownership.assignSelected', { count: selected.length })}
              </Button>
            )}
            {can(PERMISSIONS.customersImport) && (
              <Button icon={<UploadOutlined />} onClick={() => navigate('/customers/import')} data-testid="customers-import">
                {t('common.import')}
              </Button>
            )}
            {can(PERMISSIONS.customersExport) && (
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportCustomers} data-testid="customers-export">
                {t('common.export')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 280 }}
            placeholder={t('customer.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="customers-filter-q"
          />
          <Select
            allowClear
            style={{ width: 150 }}
            placeholder={t('customer.type')}
            value={filters.type}
            onChange={(value) => update({ type: value })}
            options={CUSTOMER_TYPES.map((x) => ({ value: x, label: t(`customer.types.${x}`) }))}
            data-testid="customers-filter-type"
          />
          <TerritorySelect
            style={{ width: 200 }}
            value={filters.territoryId}
            onChange={(value) => update({ territoryId: value })}
            placeholder={t('customer.territory')}
            data-testid="customers-filter-territory"
          />
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('customer.grade')}
            value={filters.grade}
            onChange={(value) => update({ grade: value })}
            options={CUSTOMER_GRADES.map((x) => ({ value: x, label: t(`customer.grades.${x}`) }))}
            data-testid="customers-filter-grade"
          />
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('customer.lifecycleStage')}
            value={filters.lifecycleStage}
            onChange={(value) => update({ lifecycleStage: value })}
            options={LIFECYCLE_STAGES.map((x) => ({ value: x, label: t(`customer.lifecycleStages.${x}`) }))}
          />
          <UserSelect
            source="directory"
            style={{ width: 160 }}
            placeholder={t('customer.owner')}
            value={filters.ownerId}
            onChange={(value) => update({ ownerId: value ?? undefined })}
            data-testid="customers-filter-owner"
          />
          <Checkbox checked={filters.unassigned} disabled={filters.ownerId !== undefined} onChange={(e) => update({ unassigned: e.target.checked ? 'true' : undefined })}>
            {t('customer.onlyUnassigned')}
          </Checkbox>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('customer.status')}
            value={filters.status}
            onChange={(value) => update({ status: value })}
            options={CUSTOMER_STATUSES.map((x) => ({ value: x, label: t(`customer.statuses.${x}`) }))}
          />
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('qualification.title')}
            value={filters.qualificationState}
            onChange={(value) => update({ qualificationState: value })}
            options={QUALIFICATION_STATES.map((x) => ({ value: x, label: t(`qualification.states.${x}`) }))}
            data-testid="customers-filter-qualification-state"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<CustomerListRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={customers.data?.items}
          loading={customers.isFetching}
          scroll={{ x: 1200 }}
          locale={customers.isError ? { emptyText: customers.error.message } : undefined}
          data-testid="customers-table"
          rowSelection={
            canAssign
              ? { selectedRowKeys: selected, preserveSelectedRowKeys: true, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (c) => ({ disabled: c.status === 'merged' }) }
              : undefined
          }
          {...serverTableProps<CustomerListRow>({ page, pageSize, total: customers.data?.total ?? 0, update, t })}
        />
      </Card>
      {canAssign && <AssignOwnerModal customerIds={selected} open={assigning} onClose={() => setAssigning(false)} onDone={() => setSelected([])} />}
    </>
  );
}
