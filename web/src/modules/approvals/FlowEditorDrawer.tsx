import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { UserSelect } from '../../shared/UserSelect';
import { DepartmentTreeSelect } from '../departments/DepartmentTreeSelect';
import { localName, useRoles } from '../roles/roles.api';
import {
  CONDITION_OPS,
  createFlow,
  FLOWS_KEY,
  updateFlow,
  type ApprovalFlow,
  type ApproverKind,
  type ConditionOp,
  type ConditionValue,
  type DocumentTypeInfo,
  type StepMode,
} from './approvals.api';

/** Facts a flow's conditions may test, per document type (what the server's `facts()` returns). */
export const FACTS: Record<string, { fact: string; ops: ConditionOp[] }[]> = {
  account_request: [
    { fact: 'roleCount', ops: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] },
    { fact: 'roleIds', ops: ['contains'] },
    { fact: 'departmentId', ops: ['eq', 'ne', 'in'] },
  ],
};

interface StepValues {
  name: string;
  approverKind: ApproverKind;
  roleId?: number | null;
  userId?: number | null;
  mode: StepMode;
}
interface ConditionValues {
  fact: string;
  op: ConditionOp;
  value?: ConditionValue;
}
interface Values {
  docType: string;
  name: string;
  priority: number;
  active: boolean;
  conditions: ConditionValues[];
  steps: StepValues[];
}

function ConditionValueInput({ fact, op, value, onChange }: { fact: string; op: ConditionOp; value?: ConditionValue; onChange?: (v: ConditionValue | undefined) => void }) {
  const { t, i18n } = useTranslation();
  const roles = useRoles();
  const many = op === 'in';
  if (fact === 'roleCount') return <InputNumber min={0} value={typeof value === 'number' ? value : undefined} onChange={(v) => onChange?.(v ?? undefined)} style={{ width: '100%' }} />;
  if (fact === 'roleIds')
    return (
      <Select
        value={value as number | undefined}
        onChange={(v) => onChange?.(v)}
        placeholder={t('user.pickRoles')}
        options={(roles.data ?? []).map((role) => ({ value: role.id, label: localName(role, i18n.language) }))}
      />
    );
  if (fact === 'departmentId')
    return many ? (
      <DepartmentTreeSelect multiple value={(Array.isArray(value) ? value : []) as never} onChange={(v) => onChange?.(v as unknown as number[])} />
    ) : (
      <DepartmentTreeSelect value={typeof value === 'number' ? value : null} onChange={(v) => onChange?.(v ?? undefined)} />
    );
  const text = Array.isArray(value) ? value.join(',') : value === undefined ? '' : String(value);
  return (
    <Input
      value={text}
      placeholder={many ? t('flow.valueListHint') : undefined}
      onChange={(e) => {
        const raw = e.target.value;
        const parse = (s: string) => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : s.trim());
        onChange?.(many ? raw.split(',').filter((s) => s.trim()).map(parse) : parse(raw));
      }}
    />
  );
}

/** Create or replace an approval flow: which documents it takes (conditions) and who approves, step by step. */
export function FlowEditorDrawer({ open, flow, docTypes, onClose }: { open: boolean; flow: ApprovalFlow | null; docTypes: DocumentTypeInfo[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const roles = useRoles(open);
  const docType = Form.useWatch('docType', form);
  const facts = FACTS[docType ?? ''] ?? [];

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue(
      flow
        ? {
            docType: flow.docType,
            name: flow.name,
            priority: flow.priority,
            active: flow.active,
            conditions: flow.conditions,
            steps: flow.steps.map((s) => ({ name: s.name, approverKind: s.approverKind, roleId: s.roleId, userId: s.userId, mode: s.mode })),
          }
        : { docType: docTypes[0]?.type ?? 'account_request', name: '', priority: 100, active: true, conditions: [], steps: [{ name: '', approverKind: 'department_head', mode: 'any' }] },
    );
  }, [open, flow, docTypes, form]);

  async function submit(values: Values) {
    setSaving(true);
    setError(null);
    const input = {
      docType: values.docType,
      name: values.name.trim(),
      priority: values.priority,
      active: values.active,
      conditions: (values.conditions ?? []).map((c) => ({ fact: c.fact, op: c.op, value: c.value ?? '' })),
      steps: (values.steps ?? []).map((s) => ({
        name: s.name.trim(),
        approverKind: s.approverKind,
        roleId: s.approverKind === 'role' ? (s.roleId ?? null) : null,
        userId: s.approverKind === 'user' ? (s.userId ?? null) : null,
        mode: s.mode,
      })),
    };
    try {
      if (flow) await updateFlow(flow.id, { ...input, version: flow.version });
      else await createFlow(input);
      message.success(t('flow.saved', { name: input.name }));
      await queryClient.invalidateQueries({ queryKey: FLOWS_KEY });
      onClose();
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) {
        message.warning(t('errors.conflictVersion'));
        await queryClient.invalidateQueries({ queryKey: FLOWS_KEY });
        onClose();
      } else if (!showFieldErrors(form, err)) {
        setError(err instanceof Error ? err.message : String(err));
      } else if (err instanceof Error) {
        setError(err.message);
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
      size={760}
      title={flow ? t('flow.edit') : t('flow.create')}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="flow-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={submit} autoComplete="off" data-testid="flow-form">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable={{ onClose: () => setError(null) }} />}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="docType" label={t('flow.docType')} rules={[required]}>
              <Select disabled={!!flow} options={docTypes.map((d) => ({ value: d.type, label: d.name }))} data-testid="flow-form-docType" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="name" label={t('flow.name')} rules={[required, { whitespace: true, message: t('validation.required') }, { max: 60 }]}>
              <Input data-testid="flow-form-name" />
            </Form.Item>
          </Col>
          <Col span={5}>
            <Form.Item name="priority" label={t('flow.priority')} tooltip={t('flow.priorityHint')} rules={[required]}>
              <InputNumber min={0} max={10000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={3}>
            <Form.Item name="active" label={t('flow.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>

        <Typography.Title level={5}>{t('flow.conditions')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('flow.conditionsHint')}</Typography.Paragraph>
        <Form.List name="conditions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Row gutter={8} key={field.key} align="top">
                  <Col span={7}>
                    <Form.Item name={[field.name, 'fact']} rules={[required]}>
                      {facts.length ? (
                        <Select
                          options={facts.map((f) => ({ value: f.fact, label: t(`flow.facts.${f.fact}`, { defaultValue: f.fact }) }))}
                          onChange={(fact: string) => {
                            const ops = facts.find((f) => f.fact === fact)?.ops ?? CONDITION_OPS;
                            form.setFieldValue(['conditions', field.name, 'op'], ops[0]);
                            form.setFieldValue(['conditions', field.name, 'value'], undefined);
                          }}
                        />
                      ) : (
                        <Input placeholder={t('flow.fact')} />
                      )}
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const fact = form.getFieldValue(['conditions', field.name, 'fact']) as string;
                        const ops = facts.find((f) => f.fact === fact)?.ops ?? CONDITION_OPS;
                        return (
                          <Form.Item name={[field.name, 'op']} rules={[required]}>
                            <Select options={ops.map((op) => ({ value: op, label: t(`flow.ops.${op}`) }))} />
                          </Form.Item>
                        );
                      }}
                    </Form.Item>
                  </Col>
                  <Col span={10}>
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const fact = form.getFieldValue(['conditions', field.name, 'fact']) as string;
                        const op = form.getFieldValue(['conditions', field.name, 'op']) as ConditionOp;
                        return (
                          <Form.Item name={[field.name, 'value']} rules={[required]}>
                            <ConditionValueInput fact={fact} op={op} />
                          </Form.Item>
                        );
                      }}
                    </Form.Item>
                  </Col>
                  <Col span={2}>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ fact: facts[0]?.fact ?? '', op: facts[0]?.ops[0] ?? 'eq' })} style={{ marginBottom: 16 }} data-testid="flow-add-condition">
                {t('flow.addCondition')}
              </Button>
            </>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('flow.steps')}</Typography.Title>
        <Form.List name="steps">
          {(fields, { add, remove, move }) => (
            <>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  style={{ marginBottom: 8 }}
                  title={t('flow.stepN', { n: index + 1 })}
                  extra={
                    <Space size={0}>
                      <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t('flow.moveUp')} />
                      <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === fields.length - 1} onClick={() => move(index, index + 1)} aria-label={t('flow.moveDown')} />
                      <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                    </Space>
                  }
                >
                  <Row gutter={8}>
                    <Col span={6}>
                      <Form.Item name={[field.name, 'name']} label={t('flow.stepName')} rules={[required, { max: 40 }]}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[field.name, 'approverKind']} label={t('flow.approverKind')} rules={[required]}>
                        <Select options={(['department_head', 'role', 'user'] as const).map((k) => ({ value: k, label: t(`flow.approverKinds.${k}`) }))} />
                      </Form.Item>
                    </Col>
                    <Col span={7}>
                      <Form.Item noStyle shouldUpdate>
                        {() => {
                          const kind = form.getFieldValue(['steps', field.name, 'approverKind']) as ApproverKind;
                          if (kind === 'role')
                            return (
                              <Form.Item name={[field.name, 'roleId']} label={t('flow.approverRole')} rules={[required]}>
                                <Select options={(roles.data ?? []).map((role) => ({ value: role.id, label: localName(role, i18n.language) }))} />
                              </Form.Item>
                            );
                          if (kind === 'user')
                            return (
                              <Form.Item name={[field.name, 'userId']} label={t('flow.approverUser')} rules={[required]}>
                                <UserSelect knownUser={flow?.steps[field.name]?.userId ? { id: flow.steps[field.name].userId!, displayName: flow.steps[field.name].userName ?? '' } : null} />
                              </Form.Item>
                            );
                          return <Typography.Paragraph type="secondary" style={{ marginTop: 30 }}>{t('flow.departmentHeadHint')}</Typography.Paragraph>;
                        }}
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item name={[field.name, 'mode']} label={t('flow.mode')} rules={[required]}>
                        <Select options={(['any', 'all'] as const).map((m) => ({ value: m, label: t(`approval.modes.${m}`) }))} />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', approverKind: 'role', mode: 'any' })} data-testid="flow-add-step">
                {t('flow.addStep')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
