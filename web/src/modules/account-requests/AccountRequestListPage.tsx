import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { serverTableProps } from '../../shared/serverTable';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { localName, useRoleChoices } from '../roles/roles.api';
import {
  ACCOUNT_REQUEST_STATUSES,
  ACCOUNT_REQUESTS_KEY,
  accountRequestListQuery,
  listAccountRequests,
  readAccountRequestFilters,
  STATUS_COLORS,
  type AccountRequest,
  type AccountRequestStatus,
} from './account-requests.api';
import { AccountRequestFormDrawer } from './AccountRequestFormDrawer';

export function StatusTag({ status }: { status: AccountRequestStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="account-request-status">
      {t(`accountRequest.statuses.${status}`)}
    </Tag>
  );
}

/** 账号申请: requests I made, or may see by data scope, or was asked to approve. */
export default function AccountRequestListPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const filters = readAccountRequestFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = accountRequestListQuery(params);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [creating, setCreating] = useState(false);

  const requests = useQuery({
    queryKey: [...ACCOUNT_REQUESTS_KEY, 'list', query],
    queryFn: ({ signal }) => listAccountRequests(query, signal),
    placeholderData: keepPreviousData,
  });
  const roles = useRoleChoices();
  const roleName = (id: number) => {
    const role = roles.data?.find((r) => r.id === id);
    return role ? localName(role, i18n.language) : `#${id}`;
  };

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<AccountRequest> = [
    {
      title: t('accountRequest.number'),
      dataIndex: 'number',
      key: 'number',
      width: 150,
      ...sortable('number'),
      render: (number: string, row) => (
        <Link to={`/account-requests/${row.id}`} data-testid={`account-request-link-${row.id}`}>
          {number}
        </Link>
      ),
    },
    { title: t('user.displayName'), dataIndex: 'displayName', key: 'displayName', width: 100 },
    { title: t('user.username'), dataIndex: 'username', key: 'username', width: 120 },
    { title: t('user.department'), dataIndex: 'departmentName', key: 'departmentName', width: 120 },
    {
      title: t('user.roles'),
      key: 'roles',
      width: 160,
      render: (_, row) => (
        <Space size={[4, 4]} wrap>
          {row.roleIds.map((id) => (
            <Tag key={id} color="cyan" style={{ marginInlineEnd: 0 }}>
              {roleName(id)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('accountRequest.status'), dataIndex: 'status', key: 'status', width: 100, ...sortable('status'), render: (status: AccountRequestStatus) => <StatusTag status={status} /> },
    { title: t('accountRequest.requester'), dataIndex: 'requesterName', key: 'requesterName', width: 100 },
    { title: t('accountRequest.createdAt'), dataIndex: 'createdAt', key: 'createdAt', width: 150, ...sortable('createdAt'), render: (v: string) => formatDateTime(v) },
  ];

  return (
    <>
      <PageTitle
        title={t('menu.accountRequests')}
        extra={
          can(PERMISSIONS.accountRequestsCreate) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="account-requests-create">
              {t('accountRequest.create')}
            </Button>
          )
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 260 }}
            placeholder={t('accountRequest.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="account-requests-filter-q"
          />
          <Select<AccountRequestStatus>
            allowClear
            style={{ width: 140 }}
            placeholder={t('accountRequest.filterStatus')}
            value={filters.status}
            onChange={(value) => update({ status: value })}
            options={ACCOUNT_REQUEST_STATUSES.map((s) => ({ value: s, label: t(`accountRequest.statuses.${s}`) }))}
            data-testid="account-requests-filter-status"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<AccountRequest>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={requests.data?.items}
          loading={requests.isFetching}
          scroll={{ x: 1100 }}
          locale={requests.isError ? { emptyText: requests.error.message } : undefined}
          {...serverTableProps<AccountRequest>({ page, pageSize, total: requests.data?.total ?? 0, update, t, pageSizeOptions: [10, 20, 50, 100, 200] })}
        />
      </Card>
      <AccountRequestFormDrawer open={creating} editing={null} onClose={() => setCreating(false)} onSaved={(saved) => navigate(`/account-requests/${saved.id}`)} />
    </>
  );
}
