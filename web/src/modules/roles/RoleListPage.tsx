import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { PageTitle } from '../../shared/PageTitle';
import { deleteRole, localName, ROLES_KEY, usePermissionCatalog, useRoles, type Role } from './roles.api';
import { RoleFormDrawer } from './RoleFormDrawer';

type Editing = { mode: 'create' } | { mode: 'edit'; id: number } | null;

export default function RoleListPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canWrite = can(PERMISSIONS.rolesWrite);
  const queryClient = useQueryClient();
  const roles = useRoles();
  const catalog = usePermissionCatalog();
  const [editing, setEditing] = useState<Editing>(null);

  const scopeName = (code: string) => {
    const info = catalog.data?.dataScopes.find((s) => s.code === code);
    return info ? localName(info, i18n.language) : t(`dataScope.${code}`, { defaultValue: code });
  };

  async function remove(role: Role) {
    try {
      await deleteRole(role.id);
      message.success(t('role.deleted', { name: localName(role, i18n.language) }));
      await queryClient.invalidateQueries({ queryKey: ROLES_KEY });
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  }

  const columns: TableColumnsType<Role> = [
    {
      title: t('role.name'),
      key: 'name',
      render: (_, role) => (
        <Space>
          <Typography.Text strong>{localName(role, i18n.language)}</Typography.Text>
          {role.builtin && (
            <Tag icon={<LockOutlined />} color="gold">
              {t('role.builtin')}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: t('role.code'), dataIndex: 'code', key: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
    { title: t('role.dataScope'), dataIndex: 'dataScope', key: 'dataScope', render: (code: string) => <Tag color="geekblue">{scopeName(code)}</Tag> },
    { title: t('role.permissionCount'), key: 'permissions', align: 'right', render: (_, role) => role.permissions.length },
    { title: t('role.userCount'), dataIndex: 'userCount', key: 'userCount', align: 'right' },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      render: (_, role) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing({ mode: 'edit', id: role.id })} data-testid={`role-edit-${role.code}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm
            title={t('role.confirmDelete', { name: localName(role, i18n.language) })}
            onConfirm={() => remove(role)}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
          >
            <Button type="link" size="small" danger data-testid={`role-delete-${role.code}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    });
  }

  return (
    <>
      <PageTitle
        title={t('menu.roles')}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: 'create' })} data-testid="roles-create">
              {t('role.create')}
            </Button>
          )
        }
      />
      <Card>
        <Table<Role>
          rowKey="id"
          columns={columns}
          dataSource={roles.data}
          loading={roles.isFetching}
          pagination={false}
          locale={roles.isError ? { emptyText: roles.error.message } : undefined}
        />
      </Card>
      <RoleFormDrawer
        open={editing !== null}
        roleId={editing?.mode === 'edit' ? editing.id : null}
        onClose={() => setEditing(null)}
      />
    </>
  );
}
