import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Radio, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { createWarehouse, getStockSettings, listWarehouses, STOCK_KEY, updateStockSettings, updateWarehouse, type Warehouse, type WarehouseInput } from './stock.api';

/** 订单物流 → 仓库设置: warehouses (normal / quarantine, cold chain) and the near-expiry months. */
export default function WarehousesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const warehouses = useQuery({ queryKey: [...STOCK_KEY, 'warehouses', 'all'], queryFn: ({ signal }) => listWarehouses(false, signal) });
  const settings = useQuery({ queryKey: [...STOCK_KEY, 'settings'], queryFn: ({ signal }) => getStockSettings(signal) });
  const [editing, setEditing] = useState<Warehouse | 'new' | null>(null);
  const [months, setMonths] = useState<number | null>(null);
  useEffect(() => setMonths(settings.data?.nearExpiryMonths ?? null), [settings.data]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: STOCK_KEY });

  const toggle = useMutation({
    mutationFn: (w: Warehouse) => updateWarehouse(w.id, { status: w.status === 'active' ? 'inactive' : 'active', version: w.version }),
    onSuccess: () => {
      message.success(t('stock.saved'));
      void refresh();
    },
    onError: (e) => message.error(e.message),
  });
  const saveSettings = useMutation({
    mutationFn: () => updateStockSettings({ nearExpiryMonths: months ?? 6, version: settings.data?.version ?? 0 }),
    onSuccess: () => {
      message.success(t('stock.saved'));
      void refresh();
    },
    onError: (e) => message.error(e.message),
  });

  const columns: TableColumnsType<Warehouse> = [
    { title: t('stock.warehouseCode'), dataIndex: 'code', width: 100 },
    { title: t('stock.warehouseName'), dataIndex: 'name', width: 200 },
    { title: t('stock.warehouseKind'), dataIndex: 'kind', width: 120, render: (k: string) => <Tag color={k === 'quarantine' ? 'orange' : 'blue'}>{t(`stock.kinds.${k}`)}</Tag> },
    { title: t('stock.coldChain'), dataIndex: 'coldChain', width: 90, render: (v: boolean) => (v ? <Tag color="cyan">{t('stock.coldChainYes')}</Tag> : '') },
    { title: t('stock.address'), dataIndex: 'address' },
    { title: t('stock.onHand'), dataIndex: 'onHand', width: 100, align: 'right' },
    { title: t('stock.status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(`stock.statuses.${s}`)}</Tag> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, w) => (
        <Space>
          <Button size="small" onClick={() => setEditing(w)} data-testid={`warehouse-edit-${w.code}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={w.status === 'active' ? t('stock.deactivateConfirm') : t('stock.activateConfirm')} onConfirm={() => toggle.mutate(w)}>
            <Button size="small" danger={w.status === 'active'}>
              {w.status === 'active' ? t('stock.deactivate') : t('stock.activate')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('o2cPages.warehousesPage')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="warehouse-new">
            {t('stock.newWarehouse')}
          </Button>
        }
      />
      <Card>
        <Table rowKey="id" size="small" loading={warehouses.isLoading} dataSource={warehouses.data ?? []} columns={columns} pagination={false} />
      </Card>
      <Card title={t('stock.settingsTitle')} style={{ marginTop: 16 }}>
        <Space>
          <span>{t('stock.nearExpiryMonths')}</span>
          <InputNumber min={0} max={36} value={months} onChange={(v) => setMonths(v)} data-testid="stock-near-expiry-months" />
          <Button onClick={() => saveSettings.mutate()} loading={saveSettings.isPending} disabled={months === null}>
            {t('common.save')}
          </Button>
        </Space>
        <div style={{ color: '#888', marginTop: 8 }}>{t('stock.nearExpiryHelp')}</div>
      </Card>
      {editing && <WarehouseModal warehouse={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => void refresh()} />}
    </>
  );
}

function WarehouseModal({ warehouse, onClose, onSaved }: { warehouse: Warehouse | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<WarehouseInput>();
  const save = useMutation({
    mutationFn: (values: WarehouseInput) => (warehouse ? updateWarehouse(warehouse.id, { ...values, version: warehouse.version }) : createWarehouse(values)),
    onSuccess: () => {
      message.success(t('stock.saved'));
      onSaved();
      onClose();
    },
    onError: (e) => {
      if (!showFieldErrors(form, e)) message.error(e.message);
    },
  });
  return (
    <Modal open title={warehouse ? t('stock.editWarehouse') : t('stock.newWarehouse')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={warehouse ?? { kind: 'normal', coldChain: false }}
        onFinish={(values) => save.mutate({ ...values, address: values.address || null })}
      >
        <Form.Item name="code" label={t('stock.warehouseCode')} rules={[{ required: true }, { pattern: /^[A-Za-z0-9_.-]+$/, message: t('stock.codeFormat') }]}>
          <Input maxLength={20} autoFocus />
        </Form.Item>
        <Form.Item name="name" label={t('stock.warehouseName')} rules={[{ required: true }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="kind" label={t('stock.warehouseKind')}>
          <Radio.Group options={(['normal', 'quarantine'] as const).map((k) => ({ value: k, label: t(`stock.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="coldChain" label={t('stock.coldChain')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="address" label={t('stock.address')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
