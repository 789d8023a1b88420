import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Timeline } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { DocumentTimeline } from '../documents/DocumentTimeline';
import {
  INSPECTION_RESULTS,
  RETURNS_KEY,
  type InspectionResult,
  type ReturnDetail,
  type ReturnLine,
  cancelReturn,
  createExchangeShipment,
  getReturn,
  inspectReturn,
  receiveReturn,
  resubmitReturn,
  returnWarehouses,
} from './returns.api';
import { ReturnStatusTag } from './ReturnStatusTag';

/** 退换货单: lines by batch, approval trail, receipt into quarantine, inspection per line, exchange shipment. */
export default function ReturnPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const ret = useQuery({ queryKey: [...RETURNS_KEY, id], queryFn: ({ signal }) => getReturn(id, signal) });
  const canInspect = can(PERMISSIONS.returnsInspect);
  const warehouses = useQuery({ queryKey: ['returns', 'warehouses'], queryFn: ({ signal }) => returnWarehouses(signal), enabled: canInspect });
  const [receiving, setReceiving] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [inspection, setInspection] = useState<Record<number, { result?: InspectionResult; restockWarehouseId?: number; note?: string }>>({});
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: RETURNS_KEY });
    void queryClient.invalidateQueries({ queryKey: ['documents'] });
  };
  const onError = (error: unknown) => message.error(error instanceof Error ? error.message : String(error));
  const resubmit = useMutation({ mutationFn: (r: ReturnDetail) => resubmitReturn(r.id, r.version), onSuccess: refresh, onError });
  const inspect = useMutation({
    mutationFn: (r: ReturnDetail) =>
      inspectReturn(r.id, {
        version: r.version,
        lines: r.lines.map((l) => ({ returnLineId: l.id, result: inspection[l.id]?.result ?? 'quarantine', restockWarehouseId: inspection[l.id]?.restockWarehouseId ?? null, note: inspection[l.id]?.note ?? null })),
      }),
    onSuccess: () => {
      refresh();
      message.success(t('returns.inspectedOk'));
    },
    onError,
  });
  const exchange = useMutation({
    mutationFn: (r: ReturnDetail) => createExchangeShipment(r.id, r.version),
    onSuccess: (reply) => {
      refresh();
      navigate(`/shipments/${reply.shipmentId}`);
    },
    onError,
  });

  const r = ret.data;
  if (ret.error) return <Alert type="error" message={(ret.error as Error).message} />;
  if (!r) return null;
  const normal = (warehouses.data ?? []).filter((w) => w.kind === 'normal');
  const quarantine = (warehouses.data ?? []).filter((w) => w.kind === 'quarantine');
  const inspectionComplete = r.lines.every((l) => inspection[l.id]?.result && (inspection[l.id]?.result !== 'restock' || inspection[l.id]?.restockWarehouseId));

  return (
    <>
      <PageTitle
        title={`${t('o2cPages.returnPage')} ${r.number}`}
        extra={
          <Space wrap>
            {can(PERMISSIONS.returnsWrite) && r.status === 'draft' && (
              <Button type="primary" loading={resubmit.isPending} onClick={() => resubmit.mutate(r)}>
                {t('returns.resubmit')}
              </Button>
            )}
            {canInspect && r.status === 'approved' && (
              <Button type="primary" onClick={() => setReceiving(true)}>
                {t('returns.receive')}
              </Button>
            )}
            {can(PERMISSIONS.shipmentsWrite) && r.resolution === 'exchange' && ['received', 'completed'].includes(r.status) && !r.exchangeShipmentId && (
              <Button loading={exchange.isPending} onClick={() => exchange.mutate(r)}>
                {t('returns.createExchange')}
              </Button>
            )}
            {can(PERMISSIONS.returnsWrite) && ['draft', 'pending_approval', 'approved'].includes(r.status) && (
              <Button danger onClick={() => setCancelling(true)}>
                {t('returns.cancel')}
              </Button>
            )}
          </Space>
        }
      />
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Card size="small">
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={t('returns.status')}>
              <ReturnStatusTag status={r.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('returns.order')}>
              <Link to={`/orders/${r.orderId}`}>{r.orderNumber}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('returns.customer')}>
              <Link to={`/customers/${r.customerId}`}>{r.customerName}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('returns.reason')}>{t(`returns.reasons.${r.reason}`)}</Descriptions.Item>
            <Descriptions.Item label={t('returns.resolution')}>
              <Tag>{t(`returns.resolutions.${r.resolution}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('returns.createdBy')}>{`${r.createdByName} ${formatDateTime(r.createdAt)}`}</Descriptions.Item>
            <Descriptions.Item label={t('returns.description')} span={3}>
              {r.description}
            </Descriptions.Item>
            {r.receivedAt && <Descriptions.Item label={t('returns.receivedInto')}>{`${r.receivedWarehouseName ?? ''} ${formatDateTime(r.receivedAt)}`}</Descriptions.Item>}
            {r.exchangeShipmentId && (
              <Descriptions.Item label={t('returns.exchangeShipment')}>
                <Link to={`/shipments/${r.exchangeShipmentId}`}>{r.exchangeShipmentNumber}</Link>
              </Descriptions.Item>
            )}
            {r.cancelReason && <Descriptions.Item label={t('returns.cancelReason')}>{r.cancelReason}</Descriptions.Item>}
          </Descriptions>
        </Card>
        <Table<ReturnLine>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={r.lines}
          columns={[
            { title: t('returns.shipment'), key: 's', render: (_, l) => <Link to={`/shipments/${l.shipmentId}`}>{l.shipmentNumber}</Link> },
            { title: t('returns.product'), key: 'p', render: (_, l) => `${l.productName} ${l.specification}` },
            { title: t('returns.batch'), dataIndex: 'batchNo' },
            { title: t('returns.expiry'), dataIndex: 'expiresOn' },
            { title: t('returns.quantity'), dataIndex: 'quantity', align: 'right' },
            {
              title: t('returns.inspection'),
              key: 'inspection',
              width: 420,
              render: (_, l) =>
                r.status === 'received' && canInspect ? (
                  <Space>
                    <Select<InspectionResult>
                      placeholder={t('returns.inspectionResult')}
                      style={{ width: 130 }}
                      value={inspection[l.id]?.result}
                      onChange={(v) => setInspection((x) => ({ ...x, [l.id]: { ...x[l.id], result: v } }))}
                      options={INSPECTION_RESULTS.map((s) => ({ value: s, label: t(`returns.results.${s}`) }))}
                      aria-label={t('returns.inspectionResult')}
                    />
                    {inspection[l.id]?.result === 'restock' && (
                      <Select<number>
                        placeholder={t('returns.restockWarehouse')}
                        style={{ width: 150 }}
                        value={inspection[l.id]?.restockWarehouseId}
                        onChange={(v) => setInspection((x) => ({ ...x, [l.id]: { ...x[l.id], restockWarehouseId: v } }))}
                        options={normal.map((w) => ({ value: w.id, label: w.name }))}
                      />
                    )}
                    <Input placeholder={t('returns.inspectionNote')} style={{ width: 120 }} value={inspection[l.id]?.note} onChange={(e) => setInspection((x) => ({ ...x, [l.id]: { ...x[l.id], note: e.target.value } }))} />
                  </Space>
                ) : l.inspectionResult ? (
                  `${t(`returns.results.${l.inspectionResult}`)}${l.restockWarehouseId ? ` → ${normal.find((w) => w.id === l.restockWarehouseId)?.name ?? l.restockWarehouseId}` : ''} ${l.inspectionNote ?? ''}`
                ) : (
                  '—'
                ),
            },
          ]}
        />
        {r.status === 'received' && canInspect && (
          <Space>
            <Button type="primary" disabled={!inspectionComplete} loading={inspect.isPending} onClick={() => inspect.mutate(r)}>
              {t('returns.inspect')}
            </Button>
            <span>{t('returns.inspectHint')}</span>
          </Space>
        )}
        <Card size="small" title={t('returns.approvals')}>
          {r.approvals.length === 0 ? (
            '—'
          ) : (
            <Timeline
              items={r.approvals.flatMap((a) =>
                a.tasks.map((task) => ({
                  color: task.status === 'approved' ? 'green' : task.status === 'rejected' ? 'red' : 'gray',
                  children: `${task.stepName} · ${task.decidedByName ?? task.approverName ?? ''} · ${t(`returns.taskStatus.${task.status}`, { defaultValue: task.status })}${task.comment ? ` · ${task.comment}` : ''}${task.decidedAt ? ` · ${formatDateTime(task.decidedAt)}` : ''}`,
                })),
              )}
            />
          )}
        </Card>
        <DocumentTimeline docType="return_request" docId={r.id} />
      </Space>
      {receiving && (
        <ReceiveModal
          ret={r}
          options={quarantine.map((w) => ({ value: w.id, label: w.name }))}
          onClose={() => setReceiving(false)}
          onDone={() => {
            setReceiving(false);
            refresh();
          }}
        />
      )}
      {cancelling && (
        <CancelModal
          ret={r}
          onClose={() => setCancelling(false)}
          onDone={() => {
            setCancelling(false);
            refresh();
          }}
        />
      )}
    </>
  );
}

function ReceiveModal({ ret, options, onClose, onDone }: { ret: ReturnDetail; options: { value: number; label: string }[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ warehouseId: number; note?: string }>();
  const save = useMutation({
    mutationFn: (v: { warehouseId: number; note?: string }) => receiveReturn(ret.id, { version: ret.version, warehouseId: v.warehouseId, note: v.note || null }),
    onSuccess: onDone,
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });
  return (
    <Modal open title={t('returns.receive')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Alert type="info" message={t('returns.receiveNotice')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ warehouseId: options[0]?.value }}>
        <Form.Item name="warehouseId" label={t('returns.quarantineWarehouse')} rules={[{ required: true }]}>
          <Select options={options} />
        </Form.Item>
        <Form.Item name="note" label={t('returns.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CancelModal({ ret, onClose, onDone }: { ret: ReturnDetail; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const save = useMutation({
    mutationFn: (v: { reason: string }) => cancelReturn(ret.id, ret.version, v.reason),
    onSuccess: onDone,
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });
  return (
    <Modal open title={t('returns.cancel')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okButtonProps={{ danger: true }}>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="reason" label={t('returns.cancelReason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={500} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
