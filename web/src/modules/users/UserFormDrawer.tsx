import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Drawer, Form, Input, Row, Select, Skeleton, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { isStrongPassword, showFieldErrors } from '../../shared/formErrors';
import { DepartmentTreeSelect } from '../departments/DepartmentTreeSelect';
import { TerritoryTreeSelect } from '../territories/TerritoryTreeSelect';
import { localName, useRoles } from '../roles/roles.api';
import { createUser, getUser, updateUser, USERS_KEY, type UserRow } from './users.api';

interface Values {
  username: string;
  displayName: string;
  password?: string;
  email?: string;
  phone?: string;
  departmentId?: number;
  roleIds: number[];
  territoryIds: string[];
}

function valuesOf(user: UserRow): Values {
  return {
    username: user.username,
    displayName: user.displayName,
    email: user.email ?? undefined,
    phone: user.phone ?? undefined,
    departmentId: user.department?.id,
    roleIds: user.roles.map((r) => r.id),
    territoryIds: user.territories.map((x) => x.id),
  };
}

const blankToNull = (value: string | undefined) => (value && value.trim() ? value.trim() : null);

/** Create a user, or edit one (the edit carries `version`, so two people editing cannot overwrite each other). */
export function UserFormDrawer({ open, userId, onClose }: { open: boolean; userId: number | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isEdit = userId !== null;
  const loaded = useRef<string | null>(null);

  const user = useQuery({
    queryKey: [...USERS_KEY, userId],
    queryFn: ({ signal }) => getUser(userId!, signal),
    enabled: open && isEdit,
    staleTime: 0,
  });
  const roles = useRoles(open);

  // Fill the form once per opened record and version; a refetch of the same version keeps what was typed.
  useEffect(() => {
    if (!open) {
      loaded.current = null;
      return;
    }
    if (!isEdit) {
      if (loaded.current !== 'new') {
        form.resetFields();
        loaded.current = 'new';
      }
      return;
    }
    if (user.data && user.data.id === userId) {
      const stamp = `${user.data.id}@${user.data.version}`;
      if (loaded.current !== stamp) {
        form.resetFields();
        form.setFieldsValue(valuesOf(user.data));
        loaded.current = stamp;
      }
    }
  }, [open, isEdit, userId, user.data, form]);

  async function submit(values: Values) {
    setSaving(true);
    setError(null);
    try {
      if (isEdit) {
        const current = user.data!;
        await updateUser(current.id, {
          displayName: values.displayName.trim(),
          email: blankToNull(values.email),
          phone: blankToNull(values.phone),
          departmentId: values.departmentId,
          roleIds: values.roleIds ?? [],
          territoryIds: values.territoryIds ?? [],
          version: current.version,
        });
        message.success(t('user.saved', { name: values.displayName }));
      } else {
        await createUser({
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          password: values.password ?? '',
          email: blankToNull(values.email) ?? undefined,
          phone: blankToNull(values.phone) ?? undefined,
          departmentId: values.departmentId!,
          roleIds: values.roleIds ?? [],
          territoryIds: values.territoryIds ?? [],
        });
        message.success(t('user.created', { name: values.displayName }));
      }
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      onClose();
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) {
        message.warning(t('errors.conflictVersion'));
        await user.refetch(); // a newer version arrives and replaces the form's values
      } else if (showFieldErrors(form, err)) {
        // shown on the fields
      } else if (isApiError(err, 'USERNAME_TAKEN')) {
        form.setFields([{ name: 'username', errors: [err.message] }]);
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  }

  const required = { required: true, message: t('validation.required') };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={isEdit ? t('user.edit') : t('user.create')}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} disabled={isEdit && !user.data} onClick={() => form.submit()} data-testid="user-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {isEdit && user.isError && <Alert type="error" showIcon title={user.error.message} />}
      {isEdit && user.isPending && !user.isError ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} autoComplete="off" data-testid="user-form">
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable={{ onClose: () => setError(null) }} />}
          <Form.Item
            name="username"
            label={t('user.username')}
            extra={isEdit ? undefined : t('user.usernameRule')}
            rules={isEdit ? [] : [required, { pattern: /^[A-Za-z0-9_.@-]{2,40}$/, message: t('user.usernameRule') }]}
          >
            <Input disabled={isEdit} data-testid="user-form-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t('user.displayName')} rules={[required, { whitespace: true, message: t('validation.required') }, { max: 64 }]}>
            <Input data-testid="user-form-displayName" />
          </Form.Item>
          {!isEdit && (
            <Form.Item
              name="password"
              label={t('user.initialPassword')}
              extra={t('user.initialPasswordHint')}
              rules={[
                required,
                { validator: (_, value: string) => (!value || isStrongPassword(value) ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordRule')))) },
              ]}
            >
              <Input.Password autoComplete="new-password" data-testid="user-form-password" />
            </Form.Item>
          )}
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="email" label={t('user.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
                <Input data-testid="user-form-email" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="phone" label={t('user.phone')} rules={[{ pattern: /^[0-9+\-\s()]{5,20}$/, message: t('validation.phone') }]}>
                <Input data-testid="user-form-phone" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="departmentId" label={t('user.department')} rules={[required]}>
            <DepartmentTreeSelect data-testid="user-form-department" />
          </Form.Item>
          <Form.Item name="roleIds" label={t('user.roles')} initialValue={[]}>
            <Select<number[]>
              mode="multiple"
              allowClear
              loading={roles.isLoading}
              placeholder={t('user.pickRoles')}
              showSearch={{ optionFilterProp: 'label' }}
              options={(roles.data ?? []).map((role) => ({ value: role.id, label: localName(role, i18n.language) }))}
              data-testid="user-form-roles"
            />
          </Form.Item>
          <Form.Item name="territoryIds" label={t('user.territories')} extra={t('user.territoriesHint')} initialValue={[]}>
            <TerritoryTreeSelect data-testid="user-form-territories" />
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}
