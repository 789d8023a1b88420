import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Input, Segmented, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../app/auth';
import { PERMISSIONS } from '../../../app/permissions';
import { downloadFile } from '../../../shared/api';
import { formatDateTime } from '../../../shared/format';
import { PageTitle } from '../../../shared/PageTitle';
import { serverTableProps } from '../../../shared/serverTable';
import { parseSort, readPage, useUrlState } from '../../../shared/urlState';
import {
  APPLICATION_STATUSES,
  APPLICATIONS_KEY,
  STATUS_COLORS,
  applicationListQuery,
  listApplications,
  readApplicationFilters,
  type Application,
  type ApplicationStatus,
} from './applications.api';

export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="application-status">
      {t(`customerApplication.statuses.${status}`)}
    </Tag>
  );
}

/** 开户申请: mine, or all I may see (by data scope or as an approver); filters and paging in the URL. */
export default function ApplicationListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const filters = readApplicationFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = applicationListQuery(params);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);

  const list = useQuery({ queryKey: [...APPLICATIONS_KEY, 'list', query], queryFn: ({ signal }) => listApplications(query, signal), placeholderData: keepPreviousData });
  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });

  const columns: TableColumnsType<Application> = [
    {
      title: t('customerApplication.number'),
      dataIndex: 'number',
      key: 'number',
      width: 170,
      ...sortable('number'),
      render: (number: string, row) => (
        <Link to={`/customer-applications/${row.id}`} data-testid={`application-link-${row.id}`}>
          {number}
        </Link>
      ),
    },
    { title: t('customerApplication.fields.name'), dataIndex: 'name', key: 'name', width: 220, ...sortable('name') },
    { title: t('customerApplication.fields.type'), dataIndex: 'type', key: 'type', width: 110, render: (v: string) => t(`customerApplication.types.${v}`) },
    { title: t('customerApplication.fields.creditCode'), dataIndex: 'creditCode', key: 'creditCode', width: 180, render: (v: string | null) => v ?? '—' },
    { title: t('customerApplication.fields.proposedOwner'), dataIndex: 'proposedOwnerName', key: 'proposedOwnerName', width: 110, render: (v: string | null) => v ?? '—' },
    { title: t('customerApplication.status'), dataIndex: 'status', key: 'status', width: 100, ...sortable('status'), render: (s: ApplicationStatus) => <ApplicationStatusTag status={s} /> },
    { title: t('customerApplication.submitter'), dataIndex: 'submitterName', key: 'submitterName', width: 100 },
    {
      title: t('customerApplication.customer'),
      key: 'customer',
      width: 110,
      render: (_, row) => (row.createdCustomerId ? <Link to={`/customers/${row.createdCustomerId}`}>{row.createdCustomerCode}</Link> : '—'),
    },
    { title: t('customerApplication.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 150, ...sortable('createdAt'), render: (v: string) => formatDateTime(v) },
  ];

  async function exportList() {
    try {
      const { page: _p, pageSize: _s, ...rest } = query;
      await downloadFile('/customer-applications/export', rest, 'customer-applications.xlsx');
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <>
      <PageTitle
        title={t('menu.customerApplications')}
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} onClick={exportList} data-testid="applications-export">
              {t('customerApplication.export')}
            </Button>
            {can(PERMISSIONS.customerApplicationsCreate) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/customer-applications/new')} data-testid="applications-create">
                {t('customerApplication.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Segmented
            value={filters.mine ? 'mine' : 'all'}
            onChange={(v) => update({ mine: v === 'mine' ? true : undefined })}
            options={[
              { value: 'all', label: t('customerApplication.allInScope') },
              { value: 'mine', label: t('customerApplication.mine') },
            ]}
            data-testid="applications-filter-mine"
          />
          <Input.Search
            allowClear
            style={{ width: 260 }}
            placeholder={t('customerApplication.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="applications-filter-q"
          />
          <Select<ApplicationStatus>
            allowClear
            style={{ width: 140 }}
            placeholder={t('customerApplication.filterStatus')}
            value={filters.status}
            onChange={(value) => update({ status: value })}
            options={APPLICATION_STATUSES.map((s) => ({ value: s, label: t(`customerApplication.statuses.${s}`) }))}
            data-testid="applications-filter-status"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<Application>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          scroll={{ x: 1250 }}
          locale={list.isError ? { emptyText: list.error.message } : undefined}
          {...serverTableProps<Application>({ page, pageSize, total: list.data?.total ?? 0, update, t })}
        />
      </Card>
    </>
  );
}
