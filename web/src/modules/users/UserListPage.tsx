import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Checkbox, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { serverTableProps } from '../../shared/serverTable';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { DepartmentTreeSelect } from '../departments/DepartmentTreeSelect';
import { localName, useRoles } from '../roles/roles.api';
import { readUserFilters, userFiltersToQuery, userListQuery } from './userFilters';
import { accountNoticeUrl, disableUser, enableUser, listUsers, USERS_KEY, type UserRow } from './users.api';
import { UserFormDrawer } from './UserFormDrawer';
import { ResetPasswordModal } from './ResetPasswordModal';

type Editing = { mode: 'create' } | { mode: 'edit'; id: number } | null;

export default function UserListPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const { params, update, clear } = useUrlState();
  const filters = readUserFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = userListQuery(params);
  const canWrite = can(PERMISSIONS.usersWrite);
  const navigate = useNavigate();

  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]); // back/forward and "reset" move the URL
  const [editing, setEditing] = useState<Editing>(null);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [exporting, setExporting] = useState(false);

  const users = useQuery({
    queryKey: [...USERS_KEY, 'list', query],
    queryFn: ({ signal }) => listUsers(query, signal),
    placeholderData: keepPreviousData,
  });
  const roles = useRoles(can(PERMISSIONS.rolesRead));

  async function toggleStatus(user: UserRow) {
    try {
      await (user.status === 'active' ? disableUser(user.id) : enableUser(user.id));
      message.success(t(user.status === 'active' ? 'user.disabledDone' : 'user.enabledDone', { name: user.displayName }));
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  }

  async function exportUsers() {
    setExporting(true);
    try {
      await downloadFile('/users/export.xlsx', userFiltersToQuery(filters), `${t('user.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });

  const columns: TableColumnsType<UserRow> = [
    { title: t('user.username'), dataIndex: 'username', key: 'username', ...sortable('username'), width: 130 },
    { title: t('user.displayName'), dataIndex: 'displayName', key: 'displayName', ...sortable('displayName'), width: 100 },
    { title: t('user.department'), key: 'department', render: (_, user) => user.department?.name ?? '—', width: 130 },
    {
      title: t('user.roles'),
      key: 'roles',
      width: 150,
      render: (_, user) => (
        <Space size={[4, 4]} wrap>
          {user.roles.map((role) => (
            <Tag key={role.id} color="cyan" style={{ marginInlineEnd: 0 }}>
              {role.name}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('user.territories'),
      key: 'territories',
      width: 180,
      render: (_, user) => {
        if (user.territories.length === 0) return '—';
        const names = user.territories.map((x) => x.name);
        const shown = names.slice(0, 2).join('、');
        return names.length > 2 ? (
          <Tooltip title={names.join('、')}>
            {shown} <Tag style={{ marginInlineEnd: 0 }}>+{names.length - 2}</Tag>
          </Tooltip>
        ) : (
          shown
        );
      },
    },
    {
      title: t('user.status'),
      dataIndex: 'status',
      key: 'status',
      width: 90,
      render: (status: UserRow['status']) => <Badge status={status === 'active' ? 'success' : 'default'} text={t(`user.statuses.${status}`)} />,
    },
    { title: t('user.lastLoginAt'), dataIndex: 'lastLoginAt', key: 'lastLoginAt', ...sortable('lastLoginAt'), width: 150, render: (v: string | null) => formatDateTime(v) },
    { title: t('user.createdAt'), dataIndex: 'createdAt', key: 'createdAt', ...sortable('createdAt'), width: 150, render: (v: string) => formatDateTime(v) },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 300,
      render: (_, user) => (
        <Space size={0}>
          <Button type="link" size="small" data-testid={`user-edit-${user.id}`} onClick={() => setEditing({ mode: 'edit', id: user.id })}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t(user.status === 'active' ? 'user.confirmDisable' : 'user.confirmEnable', { name: user.displayName })}
            onConfirm={() => toggleStatus(user)}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
          >
            <Button type="link" size="small" danger={user.status === 'active'} data-testid={`user-toggle-${user.id}`}>
              {t(user.status === 'active' ? 'user.disable' : 'user.enable')}
            </Button>
          </Popconfirm>
          <Button type="link" size="small" data-testid={`user-reset-password-${user.id}`} onClick={() => setResetting(user)}>
            {t('user.resetPassword')}
          </Button>
          <Button
            type="link"
            size="small"
            href={accountNoticeUrl(user.id)}
            target="_blank"
            rel="noopener"
            data-testid={`user-print-notice-${user.id}`}
          >
            {t('user.printNotice')}
          </Button>
        </Space>
      ),
    });
  }

  return (
    <>
      <PageTitle
        title={t('menu.users')}
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportUsers} data-testid="users-export">
              {t('common.export')}
            </Button>
            {canWrite && (
              <Button icon={<UploadOutlined />} onClick={() => navigate('/admin/users/import')} data-testid="users-import">
                {t('common.import')}
              </Button>
            )}
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })} data-testid="users-create">
                {t('user.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 260 }}
            placeholder={t('user.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="users-filter-q"
          />
          <DepartmentTreeSelect
            style={{ width: 220 }}
            value={filters.departmentId ?? null}
            onChange={(value) => update({ departmentId: value ?? undefined })}
            placeholder={t('user.filterDepartment')}
            data-testid="users-filter-department"
          />
          <Checkbox
            checked={filters.includeSubDepartments}
            disabled={filters.departmentId === undefined}
            onChange={(e) => update({ includeSubDepartments: e.target.checked ? 'true' : undefined })}
            data-testid="users-filter-include-sub"
          >
            {t('user.includeSubDepartments')}
          </Checkbox>
          <Select<number>
            allowClear
            style={{ width: 160 }}
            placeholder={t('user.filterRole')}
            value={filters.roleId}
            onChange={(value) => update({ roleId: value })}
            loading={roles.isLoading}
            options={(roles.data ?? []).map((role) => ({ value: role.id, label: localName(role, i18n.language) }))}
            data-testid="users-filter-role"
          />
          <Select<'active' | 'disabled'>
            allowClear
            style={{ width: 120 }}
            placeholder={t('user.filterStatus')}
            value={filters.status}
            onChange={(value) => update({ status: value })}
            options={[
              { value: 'active', label: t('user.statuses.active') },
              { value: 'disabled', label: t('user.statuses.disabled') },
            ]}
            data-testid="users-filter-status"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<UserRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={users.data?.items}
          loading={users.isFetching}
          scroll={{ x: 1300 }}
          locale={users.isError ? { emptyText: users.error.message } : undefined}
          {...serverTableProps<UserRow>({ page, pageSize, total: users.data?.total ?? 0, update, t, pageSizeOptions: [10, 20, 50, 100, 200] })}
        />
      </Card>
      <UserFormDrawer
        open={editing !== null}
        userId={editing?.mode === 'edit' ? editing.id : null}
        onClose={() => setEditing(null)}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
