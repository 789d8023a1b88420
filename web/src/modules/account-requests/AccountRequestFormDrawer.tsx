import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Drawer, Form, Input, Row, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { DepartmentTreeSelect } from '../departments/DepartmentTreeSelect';
import { TerritoryTreeSelect } from '../territories/TerritoryTreeSelect';
import { localName, useRoleChoices } from '../roles/roles.api';
import { ACCOUNT_REQUESTS_KEY, createAccountRequest, updateAccountRequest, type AccountRequest } from './account-requests.api';

interface Values {
  username: string;
  displayName: string;
  departmentId?: number;
  roleIds: number[];
  territoryIds: string[];
  phone?: string;
  email?: string;
  reason: string;
}

const blankToNull = (value: string | undefined) => (value && value.trim() ? value.trim() : null);

/** Draft a request for a new colleague's account, or change one's own draft (with its version). */
export function AccountRequestFormDrawer({
  open,
  editing,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing: AccountRequest | null;
  onClose: () => void;
  onSaved?: (request: AccountRequest) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const roles = useRoleChoices(open);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (editing) {
      form.setFieldsValue({
        username: editing.username,
        displayName: editing.displayName,
        departmentId: editing.departmentId,
        roleIds: editing.roleIds,
        territoryIds: editing.territoryIds,
        phone: editing.phone ?? undefined,
        email: editing.email ?? undefined,
        reason: editing.reason,
      });
    }
  }, [open, editing, form]);

  async function submit(values: Values) {
    setSaving(true);
    setError(null);
    const input = {
      username: values.username.trim(),
      displayName: values.displayName.trim(),
      departmentId: values.departmentId!,
      roleIds: values.roleIds ?? [],
      territoryIds: values.territoryIds ?? [],
      phone: blankToNull(values.phone),
      email: blankToNull(values.email),
      reason: values.reason.trim(),
    };
    try {
      const saved = editing ? await updateAccountRequest(editing.id, { ...input, version: editing.version }) : await createAccountRequest(input);
      message.success(t(editing ? 'accountRequest.saved' : 'accountRequest.created', { number: saved.number }));
      await queryClient.invalidateQueries({ queryKey: ACCOUNT_REQUESTS_KEY });
      await queryClient.invalidateQueries({ queryKey: ['documents'] });
      onSaved?.(saved);
      onClose();
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) {
        message.warning(t('errors.conflictVersion'));
        await queryClient.invalidateQueries({ queryKey: ACCOUNT_REQUESTS_KEY });
        onClose();
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
      title={editing ? t('accountRequest.edit') : t('accountRequest.create')}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="account-request-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={submit} autoComplete="off" data-testid="account-request-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable={{ onClose: () => setError(null) }} />}
        <Alert type="info" showIcon title={t('accountRequest.formHint')} style={{ marginBottom: 16 }} />
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="username" label={t('user.username')} extra={t('user.usernameRule')} rules={[required, { pattern: /^[A-Za-z0-9_.@-]{2,40}$/, message: t('user.usernameRule') }]}>
              <Input data-testid="account-request-form-username" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="displayName" label={t('user.displayName')} rules={[required, { whitespace: true, message: t('validation.required') }, { max: 40 }]}>
              <Input data-testid="account-request-form-displayName" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="phone" label={t('user.phone')} rules={[{ pattern: /^[0-9+\-\s()]{5,20}$/, message: t('validation.phone') }]}>
              <Input data-testid="account-request-form-phone" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="email" label={t('user.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
              <Input data-testid="account-request-form-email" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="departmentId" label={t('user.department')} rules={[required]}>
          <DepartmentTreeSelect data-testid="account-request-form-department" />
        </Form.Item>
        <Form.Item name="roleIds" label={t('user.roles')} initialValue={[]} rules={[{ required: true, type: 'array', min: 1, message: t('accountRequest.rolesRequired') }]}>
          <Select<number[]>
            mode="multiple"
            allowClear
            loading={roles.isLoading}
            placeholder={t('user.pickRoles')}
            showSearch={{ optionFilterProp: 'label' }}
            options={(roles.data ?? []).map((role) => ({ value: role.id, label: localName(role, i18n.language) }))}
            data-testid="account-request-form-roles"
          />
        </Form.Item>
        <Form.Item name="territoryIds" label={t('user.territories')} extra={t('user.territoriesHint')} initialValue={[]}>
          <TerritoryTreeSelect data-testid="account-request-form-territories" />
        </Form.Item>
        <Form.Item name="reason" label={t('accountRequest.reason')} rules={[required, { whitespace: true, message: t('validation.required') }, { min: 2, max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('accountRequest.reasonPlaceholder')} data-testid="account-request-form-reason" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
