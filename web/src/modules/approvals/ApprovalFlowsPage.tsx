import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Form, Input, Modal, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { useUrlState } from '../../shared/urlState';
import { useDepartments } from '../departments/departments.api';
import { localName, useRoles } from '../roles/roles.api';
import { DOCUMENT_TYPES_KEY, setNumberPattern, useApprovalFlows, useDocumentTypes, type ApprovalFlow, type DocumentTypeInfo, type FlowCondition } from './approvals.api';
import { FlowEditorDrawer } from './FlowEditorDrawer';

/** Without documents.configure the type list is not readable: fall back to the types we know. */
const KNOWN_TYPES = (t: (k: string) => string): DocumentTypeInfo[] => [
  { type: 'account_request', name: t('menu.accountRequests'), numberPattern: '', defaultPattern: '', states: {}, transitions: [] },
];

function ConditionText({ condition }: { condition: FlowCondition }) {
  const { t, i18n } = useTranslation();
  const roles = useRoles();
  const departments = useDepartments();
  const name = (v: string | number | boolean) => {
    if (condition.fact === 'roleIds') {
      const role = roles.data?.find((r) => r.id === v);
      return role ? localName(role, i18n.language) : String(v);
    }
    if (condition.fact === 'departmentId') return departments.data?.find((d) => d.id === v)?.name ?? String(v);
    return String(v);
  };
  const value = Array.isArray(condition.value) ? condition.value.map(name).join('、') : name(condition.value);
  return (
    <Tag style={{ marginBottom: 4 }}>
      {t(`flow.facts.${condition.fact}`, { defaultValue: condition.fact })} {t(`flow.ops.${condition.op}`)} {value}
    </Tag>
  );
}

function FlowsTab({ docTypes }: { docTypes: DocumentTypeInfo[] }) {
  const { t } = useTranslation();
  const flows = useApprovalFlows();
  // The drawer keeps showing the flow while it closes, so its title does not flip to "new".
  const [editing, setEditing] = useState<ApprovalFlow | null>(null);
  const [open, setOpen] = useState(false);
  const edit = (flow: ApprovalFlow | null) => {
    setEditing(flow);
    setOpen(true);
  };
  const typeName = (type: string) => docTypes.find((d) => d.type === type)?.name ?? type;

  const columns: TableColumnsType<ApprovalFlow> = [
    { title: t('flow.docType'), dataIndex: 'docType', key: 'docType', width: 110, render: (v: string) => typeName(v) },
    { title: t('flow.name'), dataIndex: 'name', key: 'name', width: 160 },
    { title: t('flow.priority'), dataIndex: 'priority', key: 'priority', width: 80 },
    {
      title: t('flow.conditions'),
      key: 'conditions',
      width: 220,
      render: (_, flow) => (flow.conditions.length === 0 ? <Typography.Text type="secondary">{t('flow.always')}</Typography.Text> : flow.conditions.map((c, i) => <ConditionText key={i} condition={c} />)),
    },
    {
      title: t('flow.steps'),
      key: 'steps',
      render: (_, flow) => (
        <Space orientation="vertical" size={0}>
          {flow.steps.map((step) => (
            <span key={step.id}>
              {step.seq}. {step.name}：
              {step.approverKind === 'role' ? step.roleName : step.approverKind === 'user' ? step.userName : t('flow.approverKinds.department_head')}
              <Typography.Text type="secondary">（{t(`approval.modes.${step.mode}`)}）</Typography.Text>
            </span>
          ))}
        </Space>
      ),
    },
    { title: t('flow.active'), dataIndex: 'active', key: 'active', width: 80, render: (v: boolean) => <Badge status={v ? 'success' : 'default'} text={v ? t('flow.on') : t('flow.off')} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_, flow) => (
        <Button type="link" size="small" onClick={() => edit(flow)} data-testid={`flow-edit-${flow.id}`}>
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Alert type="info" showIcon title={t('flow.howMatched')} style={{ marginBottom: 12 }} />
      <div style={{ textAlign: 'right', marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => edit(null)} data-testid="flows-create">
          {t('flow.create')}
        </Button>
      </div>
      <Table<ApprovalFlow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={flows.data}
        loading={flows.isFetching}
        locale={flows.isError ? { emptyText: flows.error.message } : undefined}
        pagination={false}
        scroll={{ x: 1000 }}
      />
      <FlowEditorDrawer open={open} flow={editing} docTypes={docTypes} onClose={() => setOpen(false)} />
    </>
  );
}

function NumberPatternsTab({ docTypes, loading }: { docTypes: DocumentTypeInfo[]; loading: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<DocumentTypeInfo | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ pattern: string }>();

  async function save(values: { pattern: string }) {
    if (!editing) return;
    setSaving(true);
    try {
      await setNumberPattern(editing.type, values.pattern.trim());
      message.success(t('numbering.saved'));
      await queryClient.invalidateQueries({ queryKey: DOCUMENT_TYPES_KEY });
      setEditing(null);
    } catch (err) {
      if (!showFieldErrors(form, err)) message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  const columns: TableColumnsType<DocumentTypeInfo> = [
    { title: t('flow.docType'), dataIndex: 'name', key: 'name', width: 140 },
    { title: t('numbering.pattern'), dataIndex: 'numberPattern', key: 'numberPattern', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('numbering.default'), dataIndex: 'defaultPattern', key: 'defaultPattern', render: (v: string) => <Typography.Text type="secondary" code>{v}</Typography.Text> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_, row) => (
        <Button
          type="link"
          size="small"
          onClick={() => {
            form.setFieldsValue({ pattern: row.numberPattern });
            setEditing(row);
          }}
          data-testid={`number-pattern-edit-${row.type}`}
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Alert type="info" showIcon title={t('numbering.tokensTitle')} description={t('numbering.tokens')} style={{ marginBottom: 12, whiteSpace: 'pre-line' }} />
      <Table<DocumentTypeInfo> rowKey="type" size="middle" columns={columns} dataSource={docTypes} loading={loading} pagination={false} />
      <Modal open={editing !== null} title={t('numbering.editTitle', { name: editing?.name ?? '' })} okText={t('common.save')} cancelText={t('common.cancel')} okButtonProps={{ loading: saving }} onOk={() => form.submit()} onCancel={() => setEditing(null)} forceRender>
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item name="pattern" label={t('numbering.pattern')} extra={t('numbering.example')} rules={[{ required: true, message: t('validation.required') }, { min: 3, max: 60 }]}>
            <Input data-testid="number-pattern-input" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 审批流设置 and 单据编号规则: how each document type is approved and numbered. */
export default function ApprovalFlowsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { params, update } = useUrlState();
  const canFlows = can(PERMISSIONS.approvalsConfigure);
  const canNumbering = can(PERMISSIONS.documentsConfigure);
  const docTypes = useDocumentTypes(canNumbering);
  const types = canNumbering ? (docTypes.data ?? []) : KNOWN_TYPES(t);
  const tab = params.get('tab') === 'numbering' || !canFlows ? 'numbering' : 'flows';

  return (
    <>
      <PageTitle title={t('menu.approvalFlows')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => update({ tab: key === 'flows' ? undefined : key })}
          items={[
            ...(canFlows ? [{ key: 'flows', label: t('flow.tab'), children: <FlowsTab docTypes={types} /> }] : []),
            ...(canNumbering ? [{ key: 'numbering', label: t('numbering.tab'), children: <NumberPatternsTab docTypes={types} loading={docTypes.isFetching} /> }] : []),
          ]}
        />
      </Card>
    </>
  );
}
