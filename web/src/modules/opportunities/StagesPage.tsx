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
  const [editing, setEditing] = useState<Stage | 'new' | null>(null);
  const [form] = Form.useForm();
  const refresh = () => queryClient.invalidateQueries({ queryKey: STAGES_KEY });

  const save = useMutation({
    mutationFn: (values: { name: string; nameEn: string; probability: number }) =>
      editing === 'new' ? createStage(values) : updateStage((editing as Stage).id, { ...values, version: (editing as Stage).version }),
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
            { title: t('opportunities.stageName'), dataIndex: 'name', key: 'name' },
            { title: t('opportunities.stageNameEn'), dataIndex: 'nameEn', key: 'nameEn' },
            {
              title: t('opportunities.stageKind'),
              key: 'kind',
              width: 100,
              render: (_, s) => <Tag color={s.kind === 'won' ? 'success' : s.kind === 'lost' ? 'error' : 'processing'}>{t(`opportunities.stageKinds.${s.kind}`)}</Tag>,
            },
            { title: t('opportunities.defaultProbability'), key: 'probability', width: 110, align: 'right', render: (_, s) => `${s.probability}%` },
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
                      onClick={() => {
                        form.resetFields();
                        form.setFieldsValue({ name: s.name, nameEn: s.nameEn, probability: s.probability });
                        setEditing(s);
                      }}
                    >
                      {t('common.edit')}
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
        title={editing === 'new' ? t('opportunities.newStage') : t('opportunities.editStage')}
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
