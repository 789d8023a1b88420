import { useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, Popconfirm, Row, Select, Space, Spin, Tag, Tree, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined, SaveOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import { useUrlState } from '../../shared/urlState';
import { createDepartment, deleteDepartment, DEPARTMENT_KINDS, DEPARTMENTS_KEY, updateDepartment, useDepartments, type Department, type DepartmentKind } from './departments.api';
import { buildDepartmentTree, departmentName, filterTree, subtreeIds } from './departmentTree';
import { DepartmentTreeSelect } from './DepartmentTreeSelect';

interface Values {
  name: string;
  nameEn?: string;
  kind: DepartmentKind;
  parentId: number | null;
  headUserId?: number | null;
  sort?: number;
}

/** The kind a new child most likely has, so the common case needs no extra click. */
function childKind(parent: Department | undefined): DepartmentKind {
  if (!parent) return 'company';
  if (parent.kind === 'company') return 'office';
  if (parent.kind === 'region') return 'team';
  return parent.kind === 'team' ? 'team' : 'other';
}

export default function DepartmentsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const canWrite = can(PERMISSIONS.departmentsWrite);
  const queryClient = useQueryClient();
  const departments = useDepartments();
  const { params, update } = useUrlState();
  const [form] = Form.useForm<Values>();
  const [search, setSearch] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef<string | null>(null);

  const list = useMemo(() => departments.data ?? [], [departments.data]);
  const byId = useMemo(() => new Map(list.map((d) => [d.id, d])), [list]);
  const selectedId = Number(params.get('id')) || undefined;
  const creating = params.get('create') === '1';
  const selected = selectedId ? byId.get(selectedId) : undefined;
  const tree = useMemo(() => buildDepartmentTree(list, i18n.language), [list, i18n.language]);
  const shownTree = useMemo(() => filterTree(tree, search), [tree, search]);
  const blockedParents = useMemo(() => (selected && !creating ? subtreeIds(list, selected.id) : undefined), [list, selected, creating]);

  // Fill the form when the selection (or its version) changes; a plain refetch keeps what was typed.
  useEffect(() => {
    const stamp = creating ? `new:${selectedId ?? 'root'}` : selected ? `${selected.id}@${selected.version}` : 'none';
    if (loaded.current === stamp || departments.isPending) return;
    loaded.current = stamp;
    setError(null);
    if (stamp === 'none') return; // no form on screen
    form.resetFields();
    if (creating) {
      form.setFieldsValue({ parentId: selectedId ?? null, kind: childKind(selected), sort: 0 });
    } else if (selected) {
      form.setFieldsValue({
        name: selected.name,
        nameEn: selected.nameEn ?? undefined,
        kind: selected.kind,
        parentId: selected.parentId,
        headUserId: selected.headUserId,
        sort: selected.sort,
      });
    }
  }, [creating, selected, selectedId, departments.isPending, form]);

  async function save(values: Values) {
    setSaving(true);
    setError(null);
    const input = {
      parentId: values.parentId ?? null,
      name: values.name.trim(),
      nameEn: values.nameEn?.trim() || null,
      kind: values.kind,
      headUserId: values.headUserId ?? null,
      sort: values.sort ?? 0,
    };
    try {
      if (creating) {
        const created = await createDepartment(input);
        await queryClient.invalidateQueries({ queryKey: DEPARTMENTS_KEY });
        message.success(t('department.created', { name: created.name }));
        update({ id: created.id, create: undefined });
      } else if (selected) {
        await updateDepartment(selected.id, { ...input, version: selected.version });
        await queryClient.invalidateQueries({ queryKey: DEPARTMENTS_KEY });
        message.success(t('department.saved', { name: input.name }));
      }
    } catch (err) {
      if (isApiError(err, 'CONFLICT_VERSION')) {
        message.warning(t('errors.conflictVersion'));
        await queryClient.invalidateQueries({ queryKey: DEPARTMENTS_KEY }); // the new version refills the form
      } else if (!showFieldErrors(form, err)) {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  }

  async function remove(department: Department) {
    try {
      await deleteDepartment(department.id);
      message.success(t('department.deleted', { name: department.name }));
      update({ id: department.parentId ?? undefined, create: undefined });
      await queryClient.invalidateQueries({ queryKey: DEPARTMENTS_KEY });
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  }

  const formTitle = creating
    ? selected
      ? t('department.createChildOf', { name: departmentName(selected, i18n.language) })
      : t('department.createRoot')
    : selected
      ? departmentName(selected, i18n.language)
      : t('department.details');

  return (
    <>
      <PageTitle
        title={t('menu.departments')}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => update({ create: '1' })} disabled={!selected && list.length > 0} data-testid="department-create-child">
              {selected || list.length ? t('department.createChild') : t('department.createRoot')}
            </Button>
          )
        }
      />
      {departments.isError && <Alert type="error" showIcon title={departments.error.message} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col xs={24} lg={10} xl={9}>
          <Card title={t('department.tree')} styles={{ body: { minHeight: 420 } }}>
            <Input.Search allowClear placeholder={t('department.searchPlaceholder')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ marginBottom: 12 }} />
            {departments.isPending ? (
              <Spin />
            ) : shownTree.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Tree<(typeof tree)[number]>
                key={search}
                className="rx-dept-tree"
                showLine
                blockNode
                defaultExpandAll
                treeData={shownTree}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => update({ id: keys.length ? Number(keys[0]) : undefined, create: undefined })}
                titleRender={(node) => (
                  <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6, width: '100%' }} data-testid={`department-node-${node.key}`}>
                    <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>{node.title}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`department.kinds.${node.department.kind}`)}
                    </Typography.Text>
                    {node.department.userCount > 0 && (
                      <Tag style={{ marginInlineEnd: 0 }} icon={<TeamOutlined />}>
                        {node.department.userCount}
                      </Tag>
                    )}
                  </span>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15}>
          <Card
            title={formTitle}
            extra={
              selected &&
              !creating && (
                <Space>
                  {can(PERMISSIONS.usersRead) && (
                    <Link to={`/admin/users?departmentId=${selected.id}&includeSubDepartments=true`}>
                      {t('department.members', { count: selected.userCount })}
                    </Link>
                  )}
                  {canWrite && (
                    <Popconfirm
                      title={t('department.confirmDelete', { name: departmentName(selected, i18n.language) })}
                      onConfirm={() => remove(selected)}
                      okText={t('common.confirm')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ danger: true }}
                    >
                      <Button danger icon={<DeleteOutlined />} data-testid="department-delete">
                        {t('common.delete')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              )
            }
          >
            {!selected && !creating ? (
              <Empty description={list.length ? t('department.pickHint') : t('department.emptyHint')} />
            ) : (
              <Form form={form} layout="vertical" onFinish={save} disabled={!canWrite} style={{ maxWidth: 560 }} data-testid="department-form">
                {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
                <Row gutter={12}>
                  <Col span={12}>
                    <Form.Item name="name" label={t('department.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 64 }]}>
                      <Input data-testid="department-form-name" />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item name="nameEn" label={t('department.nameEn')} rules={[{ max: 128 }]}>
                      <Input data-testid="department-form-nameEn" />
                    </Form.Item>
                  </Col>
                </Row>
                <Row gutter={12}>
                  <Col span={12}>
                    <Form.Item name="kind" label={t('department.kind')} rules={[{ required: true, message: t('validation.required') }]}>
                      <Select options={DEPARTMENT_KINDS.map((kind) => ({ value: kind, label: t(`department.kinds.${kind}`) }))} data-testid="department-form-kind" />
                    </Form.Item>
                  </Col>
                  <Col span={12}>
                    <Form.Item name="sort" label={t('department.sort')} extra={t('department.sortHint')}>
                      <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name="parentId" label={t('department.parent')} extra={t('department.parentHint')}>
                  <DepartmentTreeSelect disabledIds={blockedParents} placeholder={t('department.noParent')} data-testid="department-form-parent" />
                </Form.Item>
                <Form.Item name="headUserId" label={t('department.head')}>
                  <UserSelect
                    knownUser={!creating && selected?.headUserId ? { id: selected.headUserId, displayName: selected.headUserName ?? String(selected.headUserId) } : null}
                    data-testid="department-form-head"
                  />
                </Form.Item>
                {canWrite && (
                  <Space>
                    <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving} data-testid="department-form-submit">
                      {creating ? t('common.create') : t('common.save')}
                    </Button>
                    {creating && <Button onClick={() => update({ create: undefined })}>{t('common.cancel')}</Button>}
                  </Space>
                )}
              </Form>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
