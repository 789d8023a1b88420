import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { STAGES_KEY, createStage, listStages, reorderStages, updateStage, type Stage } from './opportunities.api';

/** 销售阶段设置: the pipeline's stages (name, English name, default probability, active) and their order. */
export default function StagesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const stages = useQuery({ queryKey: STAGES_KEY, queryFn: ({ signal }) => listStages(signal) });
  const [editing, setEditing] = useState<'new' | null>(null);
  /** What was typed in a row, kept until saved (or the server refuses it). */
  const [drafts, setDrafts] = useState<Record<number, { name?: string; nameEn?: string; probability?: number | null }>>({});
  const draft = (s: Stage) => ({ name: s.name, nameEn: s.nameEn, probability: s.probability, ...drafts[s.id] });
  const typed = (s: Stage, patch: { name?: string; nameEn?: string; probability?: number | null }) => setDrafts((d) => ({ ...d, [s.id]: { ...d[s.id], ...patch } }));
  const dirty = (s: Stage) => {
    const d = draft(s);
    return d.name !== s.name || d.nameEn !== s.nameEn || d.probability !== s.probability;
  };
  const [form] = Form.useForm();
  const refresh = () => queryClient.invalidateQueries({ queryKey: STAGES_KEY });

  const saveRow = useMutation({
    mutationFn: (s: Stage) => {
      const d = draft(s);
      return updateStage(s.id, { name: d.name.trim(), nameEn: d.nameEn.trim(), probability: d.probability ?? s.probability, version: s.version });
    },
    onSuccess: async (saved) => {
      message.success(t('opportunities.stageSaved'));
      setDrafts(({ [saved.id]: _done, ...rest }) => rest);
      await refresh();
    },
    onError: (error) => message.error(error.message),
  });
  const save = useMutation({
    mutationFn: (values: { name: string; nameEn: string; probability: number }) => createStage(values),
    onSuccess: async () => {
      message.success(t('opportunities.stageSaved'));
      setEditing(null);
      await refresh();
    },
    onError: (error) => {
      showFieldErrors(form, error);
      message.error(error.message);
    },
  });
  const toggle = useMutation({
    mutationFn: (s: Stage) => updateStage(s.id, { active: !s.active, version: s.version }),
    onSuccess: refresh,
    onError: async (error) => {
      message.error(error.message);
      await refresh();
    },
  });
  const reorder = useMutation({
    mutationFn: reorderStages,
    onSuccess: refresh,
    onError: (error) => message.error(error.message),
  });

  const all = stages.data ?? [];
  const open = all.filter((s) => s.kind === 'open');
  const shift = (s: Stage, delta: number) => {
    const ids = open.map((x) => x.id);
    const i = ids.indexOf(s.id);
    const j = i + delta;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    reorder.mutate(ids);
  };

  return (
    <>
      <PageTitle
        title={t('menu.crmStages')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ probability: 50 });
              setEditing('new');
            }}
            data-testid="stages-new"
          >
            {t('opportunities.newStage')}
          </Button>
        }
      />
      <Card>
        <Typography.Paragraph type="secondary">{t('opportunities.stagesHint')}</Typography.Paragraph>
        <Table<Stage>
          rowKey="id"
          size="middle"
          loading={stages.isFetching}
          dataSource={all}
          pagination={false}
          columns={[
            {
              title: t('opportunities.stageName'),
              key: 'name',
              render: (_, s) => <Input value={draft(s).name} maxLength={30} status={draft(s).name.trim() ? undefined : 'error'} onChange={(e) => typed(s, { name: e.target.value })} data-testid={`stage-name-${s.code}`} />,
            },
            {
              title: t('opportunities.stageNameEn'),
              key: 'nameEn',
              render: (_, s) => <Input value={draft(s).nameEn} maxLength={60} status={draft(s).nameEn.trim() ? undefined : 'error'} onChange={(e) => typed(s, { nameEn: e.target.value })} />,
            },
            {
              title: t('opportunities.stageKind'),
              key: 'kind',
              width: 100,
              render: (_, s) => <Tag color={s.kind === 'won' ? 'success' : s.kind === 'lost' ? 'error' : 'processing'}>{t(`opportunities.stageKinds.${s.kind}`)}</Tag>,
            },
            {
              title: t('opportunities.defaultProbability'),
              key: 'probability',
              width: 120,
              render: (_, s) => <InputNumber min={0} max={100} precision={0} suffix="%" value={draft(s).probability} onChange={(v) => typed(s, { probability: v })} style={{ width: 100 }} />,
            },
            { title: t('opportunities.openCount'), dataIndex: 'openCount', key: 'openCount', width: 110, align: 'right' },
            {
              title: t('opportunities.active'),
              key: 'active',
              width: 90,
              render: (_, s) => <Switch checked={s.active} disabled={s.kind !== 'open'} loading={toggle.isPending && toggle.variables?.id === s.id} onChange={() => toggle.mutate(s)} />,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 200,
              render: (_, s) => {
                const index = open.findIndex((x) => x.id === s.id);
                return (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      disabled={!dirty(s) || !draft(s).name.trim() || !draft(s).nameEn.trim()}
                      loading={saveRow.isPending && saveRow.variables?.id === s.id}
                      onClick={() => saveRow.mutate(s)}
                      data-testid={`stage-save-${s.code}`}
                    >
                      {t('common.save')}
                    </Button>
                    {s.kind === 'open' && (
                      <>
                        <Button size="small" icon={<ArrowUpOutlined />} disabled={index <= 0} onClick={() => shift(s, -1)} aria-label={t('opportunities.moveUp')} />
                        <Button size="small" icon={<ArrowDownOutlined />} disabled={index >= open.length - 1} onClick={() => shift(s, 1)} aria-label={t('opportunities.moveDown')} />
                      </>
                    )}
                  </Space>
                );
              },
            },
          ]}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={t('opportunities.newStage')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: save.isPending }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="name" label={t('opportunities.stageName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 30 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="nameEn" label={t('opportunities.stageNameEn')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="probability" label={t('opportunities.defaultProbability')} rules={[{ required: true, message: t('validation.required') }]}>
            <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
