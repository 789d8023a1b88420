import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Drawer, Form, Input, Row, Select, Skeleton, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { createRole, localName, ROLES_KEY, updateRole, usePermissionCatalog, useRoles, type RoleInput } from './roles.api';
import { PermissionChecklist } from './PermissionChecklist';

export function RoleFormDrawer({ open, roleId, onClose }: { open: boolean; roleId: number | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RoleInput>();
  const roles = useRoles(open);
  const catalog = usePermissionCatalog();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef<string | null>(null);
  const isEdit = roleId !== null;
  const role = isEdit ? roles.data?.find((r) => r.id === roleId) : undefined;
  const ready = catalog.isSuccess && (!isEdit || role !== undefined);

  // Fill once per opened role and version; a newer version (after a conflict) replaces the values.
  useEffect(() => {
    if (!open) {
      loaded.current = null;
      return;
    }
    if (!ready) return;
    const stamp = role ? `${role.id}@${role.version}` : 'new';
    if (loaded.current === stamp) return;
    loaded.current = stamp;
    setError(null);
    form.resetFields();
    if (role) form.setFieldsValue({ code: role.code, name: role.name, nameEn: role.nameEn, dataScope: role.dataScope, permissions: role.permissions });
    else form.setFieldsValue({ permissions: [], dataScope: 'own' });
  }, [open, ready, role, form]);

  async function submit(values: RoleInput) {
    setSaving(true);
    setError(null);
    try {
      if (role) {
        await updateRole(role.id, { name: values.name.trim(), nameEn: values.nameEn.trim(), permissions: values.permissions, dataScope: values.dataScope, version: role.version });
        message.success(t('role.saved', { name: values.name }));
      } else {
        await createRole({ ...values, code: values.code.trim(), name: values.name.trim(), nameEn: values.nameEn.trim() });
        message.success(t('role.created', { name: values.name }));
      }
      await queryClient.invalidateQueries({ queryKey: ROLES_KEY });
      onClose();
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) {
        message.warning(t('errors.conflictVersion'));
        await queryClient.invalidateQueries({ queryKey: ROLES_KEY });
      } else if (!showFieldErrors(form, err)) {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  }

  const required = { required: true, whitespace: true, message: t('validation.required') };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      title={role ? t('role.editTitle', { name: localName(role, i18n.language) }) : t('role.create')}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} disabled={!ready} onClick={() => form.submit()} data-testid="role-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {catalog.isError && <Alert type="error" showIcon title={catalog.error.message} />}
      {!ready ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} autoComplete="off">
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          {role?.builtin && <Alert type="info" showIcon title={t('role.builtinHint')} style={{ marginBottom: 16 }} />}
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item
                name="code"
                label={t('role.code')}
                extra={isEdit ? undefined : t('role.codeRule')}
                rules={isEdit ? [] : [required, { pattern: /^[a-z][a-z0-9_]{1,63}$/, message: t('role.codeRule') }]}
              >
                <Input disabled={isEdit} data-testid="role-form-code" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="dataScope" label={t('role.dataScope')} rules={[{ required: true, message: t('validation.required') }]}>
                <Select
                  options={(catalog.data?.dataScopes ?? []).map((s) => ({ value: s.code, label: localName(s, i18n.language) }))}
                  data-testid="role-form-dataScope"
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="name" label={t('role.name')} rules={[required, { max: 64 }]}>
                <Input data-testid="role-form-name" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="nameEn" label={t('role.nameEn')} rules={[required, { max: 64 }]}>
                <Input data-testid="role-form-nameEn" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="permissions" label={t('role.permissions')}>
            <PermissionChecklist permissions={catalog.data?.permissions ?? []} />
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}
