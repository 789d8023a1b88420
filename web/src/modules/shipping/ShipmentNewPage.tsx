import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Space, Table, Tag } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../shared/PageTitle';
import { OrderPickerModal } from './OrderPickerModal';
import { SHIPMENTS_KEY, type ShippableLine, createShipments, shippable } from './shipping.api';

const keyOf = (l: ShippableLine) => `${l.orderLineId}:${l.warehouseId}:${l.batchId}`;

/**
 * 新建发货单 (/shipments/new?orderId=): the order's reserved batches with the quantity to ship
 * (everything by default: a whole shipment; lower it for a partial one). One shipment per warehouse.
 */
export default function ShipmentNewPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const orderId = Number(params.get('orderId')) || null;
  const [picking, setPicking] = useState(!orderId);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [form] = Form.useForm();
  const data = useQuery({ queryKey: ['shipments', 'shippable', orderId], queryFn: ({ signal }) => shippable(orderId!, signal), enabled: !!orderId });
  useEffect(() => {
    if (data.data) setQuantities(Object.fromEntries(data.data.lines.map((l) => [keyOf(l), l.available])));
  }, [data.data]);

  const create = useMutation({
    mutationFn: async () => {
      const values = form.getFieldsValue();
      const lines = (data.data?.lines ?? [])
        .map((l) => ({ orderLineId: l.orderLineId, warehouseId: l.warehouseId, batchId: l.batchId, quantity: quantities[keyOf(l)] ?? 0 }))
        .filter((l) => l.quantity > 0);
      return createShipments({ orderId: orderId!, lines, shipToAddress: values.shipToAddress || null, shipToContact: values.shipToContact || null, shipToPhone: values.shipToPhone || null, notes: values.notes || null });
    },
    onSuccess: (reply) => {
      void queryClient.invalidateQueries({ queryKey: SHIPMENTS_KEY });
      message.success(t('shipping.created', { count: reply.shipments.length, numbers: reply.shipments.map((s) => s.number).join('、') }));
      navigate(reply.shipments.length === 1 ? `/shipments/${reply.shipments[0]!.id}` : `/shipments?orderId=${orderId}`);
    },
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });

  const lines = data.data?.lines ?? [];
  const total = Object.values(quantities).reduce((n, q) => n + (q || 0), 0);
  const warehouses = new Set(lines.filter((l) => (quantities[keyOf(l)] ?? 0) > 0).map((l) => l.warehouseId));

  return (
    <>
      <PageTitle title={t('shipping.newTitle')} extra={<Button onClick={() => setPicking(true)}>{t('shipping.pickOrder')}</Button>} />
      {!orderId && <Empty description={t('shipping.pickOrderFirst')} />}
      {data.error && <Alert type="error" message={(data.error as Error).message} />}
      {data.data && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Card size="small">
            <Descriptions size="small" column={3}>
              <Descriptions.Item label={t('shipping.order')}>
                <Link to={`/orders/${data.data.orderId}`}>{data.data.orderNumber}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('shipping.customer')}>{data.data.customerName}</Descriptions.Item>
              <Descriptions.Item label={t('shipping.status')}>{data.data.status}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Table<ShippableLine>
            rowKey={keyOf}
            size="small"
            pagination={false}
            dataSource={lines}
            columns={[
              { title: '#', dataIndex: 'lineNo', width: 50 },
              { title: t('shipping.product'), key: 'p', render: (_, l) => <>{l.productName} {l.coldChain && <Tag color="blue">{t('shipping.coldChain')}</Tag>}</> },
              { title: t('shipping.spec'), dataIndex: 'specification' },
              { title: t('shipping.warehouse'), dataIndex: 'warehouseName' },
              { title: t('shipping.batch'), dataIndex: 'batchNo' },
              { title: t('shipping.expiry'), dataIndex: 'expiresOn' },
              { title: t('shipping.reserved'), dataIndex: 'reserved', align: 'right' },
              { title: t('shipping.onOpenShipments'), dataIndex: 'onOpenShipments', align: 'right' },
              {
                title: t('shipping.quantityToShip'),
                key: 'q',
                width: 130,
                render: (_, l) => (
                  <InputNumber
                    min={0}
                    max={l.available}
                    precision={0}
                    value={quantities[keyOf(l)] ?? 0}
                    onChange={(v) => setQuantities((q) => ({ ...q, [keyOf(l)]: Number(v ?? 0) }))}
                    aria-label={`${l.productName} ${l.batchNo}`}
                  />
                ),
              },
            ]}
          />
          {warehouses.size > 1 && <Alert type="info" message={t('shipping.splitByWarehouse', { count: warehouses.size })} />}
          <Card size="small" title={t('shipping.shipTo')}>
            <Form form={form} layout="inline">
              <Form.Item name="shipToAddress" label={t('shipping.shipToAddress')}>
                <Input placeholder={t('shipping.shipToDefault')} style={{ width: 320 }} />
              </Form.Item>
              <Form.Item name="shipToContact" label={t('shipping.shipToContact')}>
                <Input style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name="shipToPhone" label={t('shipping.shipToPhone')}>
                <Input style={{ width: 150 }} />
              </Form.Item>
              <Form.Item name="notes" label={t('shipping.notes')}>
                <Input style={{ width: 240 }} />
              </Form.Item>
            </Form>
          </Card>
          <Space>
            <Button type="primary" disabled={total === 0} loading={create.isPending} onClick={() => create.mutate()} data-testid="submit-shipment">
              {t('shipping.createSubmit', { total })}
            </Button>
            <Button onClick={() => navigate('/shipments')}>{t('common.cancel')}</Button>
          </Space>
        </Space>
      )}
      <OrderPickerModal
        open={picking}
        onClose={() => setPicking(false)}
        onPick={(id) => {
          setPicking(false);
          setParams({ orderId: String(id) });
        }}
      />
    </>
  );
}
