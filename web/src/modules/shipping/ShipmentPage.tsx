import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, DatePicker, Descriptions, Dropdown, Form, Input, Modal, Space, Steps, Table, Tag } from 'antd';
import { PrinterOutlined, RollbackOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { showFieldErrors } from '../../shared/formErrors';
import { PageTitle } from '../../shared/PageTitle';
import { DocumentTimeline } from '../documents/DocumentTimeline';
import { ReturnRequestModal } from '../returns/ReturnRequestModal';
import {
  SHIPMENTS_KEY,
  type ShipmentDetail,
  type ShipmentLine,
  cancelShipment,
  celsiusToTenths,
  checkShipment,
  deliverShipment,
  deliveryNoteUrl,
  dispatchShipment,
  getShipment,
  pickingListUrl,
  tenthsToCelsius,
} from './shipping.api';
import { ShipmentStatusTag } from './ShipmentStatusTag';

const STEPS = ['picking', 'checked', 'dispatched', 'delivered'] as const;

/** 发货单: lines by batch, status steps, four-eyes check, dispatch (cold chain), delivery, cancel, prints. */
export default function ShipmentPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const me = useMe();
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const shipment = useQuery({ queryKey: [...SHIPMENTS_KEY, id], queryFn: ({ signal }) => getShipment(id, signal) });
  const [dispatching, setDispatching] = useState(false);
  const [delivering, setDelivering] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [returning, setReturning] = useState(false);
  const refresh = (s: ShipmentDetail) => {
    queryClient.setQueryData([...SHIPMENTS_KEY, id], s);
    void queryClient.invalidateQueries({ queryKey: SHIPMENTS_KEY });
    void queryClient.invalidateQueries({ queryKey: ['documents'] });
  };
  const onError = (error: unknown) => message.error(error instanceof Error ? error.message : String(error));
  const check = useMutation({ mutationFn: (s: ShipmentDetail) => checkShipment(s.id, s.version), onSuccess: (s) => { refresh(s); message.success(t('shipping.checkedOk')); }, onError });

  const s = shipment.data;
  if (shipment.error) return <Alert type="error" message={(shipment.error as Error).message} />;
  if (!s) return null;
  const canWrite = can(PERMISSIONS.shipmentsWrite);
  const ownPicking = me.id === s.createdBy;
  const stepIndex = s.status === 'cancelled' ? 0 : STEPS.indexOf(s.status as (typeof STEPS)[number]);

  return (
    <>
      <PageTitle
        title={`${t('o2cPages.shipmentPage')} ${s.number}`}
        extra={
          <Space wrap>
            <Dropdown
              menu={{
                items: [
                  { key: 'a4', label: <a href={deliveryNoteUrl(s.id, 'a4')} target="_blank" rel="noreferrer">{t('shipping.printA4')}</a> },
                  { key: 'c', label: <a href={deliveryNoteUrl(s.id, 'continuous')} target="_blank" rel="noreferrer">{t('shipping.printContinuous')}</a> },
                  { key: 'h', label: <a href={deliveryNoteUrl(s.id, 'continuous-half')} target="_blank" rel="noreferrer">{t('shipping.printContinuousHalf')}</a> },
                  { key: 'p', label: <a href={pickingListUrl(s.id)} target="_blank" rel="noreferrer">{t('shipping.printPicking')}</a> },
                ],
              }}
            >
              <Button icon={<PrinterOutlined />} data-testid="print-menu">{t('shipping.print')}</Button>
            </Dropdown>
            {can(PERMISSIONS.shipmentsCheck) && s.status === 'picking' && (
              <Button type="primary" disabled={ownPicking} title={ownPicking ? t('shipping.fourEyesHint') : undefined} loading={check.isPending} onClick={() => check.mutate(s)} data-testid="check-shipment">
                {t('shipping.check')}
              </Button>
            )}
            {canWrite && s.status === 'checked' && (
              <Button type="primary" onClick={() => setDispatching(true)} data-testid="dispatch-shipment">
                {t('shipping.dispatch')}
              </Button>
            )}
            {canWrite && s.status === 'dispatched' && <Button onClick={() => setDelivering(true)}>{t('shipping.deliver')}</Button>}
            {canWrite && (s.status === 'picking' || s.status === 'checked') && <Button danger onClick={() => setCancelling(true)}>{t('shipping.cancel')}</Button>}
            {can(PERMISSIONS.returnsWrite) && (s.status === 'dispatched' || s.status === 'delivered') && (
              <Button icon={<RollbackOutlined />} onClick={() => setReturning(true)}>
                {t('shipping.requestReturn')}
              </Button>
            )}
          </Space>
        }
      />
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Card size="small">
          <Steps
            size="small"
            current={stepIndex}
            status={s.status === 'cancelled' ? 'error' : undefined}
            items={STEPS.map((st) => ({ title: t(`shipping.statuses.${st}`) }))}
          />
        </Card>
        {s.status === 'picking' && ownPicking && can(PERMISSIONS.shipmentsCheck) && <Alert type="info" showIcon message={t('shipping.fourEyesHint')} />}
        <Card size="small">
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={t('shipping.status')}>
              <Space size={4}>
                <ShipmentStatusTag status={s.status} />
                {s.coldChain && <Tag color="blue">{t('shipping.coldChain')}</Tag>}
                {s.kind === 'exchange' && <Tag color="purple">{t('shipping.kindExchange')}</Tag>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('shipping.order')}>
              <Link to={`/orders/${s.orderId}`}>{s.orderNumber}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('shipping.customer')}>
              <Link to={`/customers/${s.customerId}`}>{s.customerName}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('shipping.warehouse')}>{s.warehouseName}</Descriptions.Item>
            <Descriptions.Item label={t('shipping.shipToAddress')} span={2}>
              {[s.shipToAddress, s.shipToContact, s.shipToPhone].filter(Boolean).join(' ')}
            </Descriptions.Item>
            <Descriptions.Item label={t('shipping.createdBy')}>{`${s.createdByName} ${formatDateTime(s.createdAt)}`}</Descriptions.Item>
            <Descriptions.Item label={t('shipping.checkedBy')}>{s.checkedByName ? `${s.checkedByName} ${formatDateTime(s.checkedAt)}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('shipping.dispatchedBy')}>{s.dispatchedByName ? `${s.dispatchedByName} ${s.dispatchedOn ?? ''}` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('shipping.carrier')}>{[s.carrier, s.trackingNo].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
            {s.coldChain && (
              <Descriptions.Item label={t('shipping.coldRecord')} span={2}>
                {s.temperatureLoggerId
                  ? t('shipping.coldRecordText', { logger: s.temperatureLoggerId, start: tenthsToCelsius(s.startTempTenths), end: tenthsToCelsius(s.endTempTenths) })
                  : '—'}
              </Descriptions.Item>
            )}
            {s.deliveredAt && <Descriptions.Item label={t('shipping.deliveredAt')}>{`${formatDateTime(s.deliveredAt)} ${s.deliveredNote ?? ''}`}</Descriptions.Item>}
            {s.cancelReason && <Descriptions.Item label={t('shipping.cancelReason')}>{s.cancelReason}</Descriptions.Item>}
            {s.exchangeForReturnId && (
              <Descriptions.Item label={t('shipping.exchangeFor')}>
                <Link to={`/returns/${s.exchangeForReturnId}`}>{t('shipping.openReturn')}</Link>
              </Descriptions.Item>
            )}
            {s.returns.length > 0 && (
              <Descriptions.Item label={t('shipping.returns')}>
                <Space size={4} wrap>
                  {s.returns.map((r) => (
                    <Link key={r.id} to={`/returns/${r.id}`}>
                      {r.number}
                    </Link>
                  ))}
                </Space>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
        <Table<ShipmentLine>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={s.lines}
          columns={[
            { title: '#', dataIndex: 'lineNo', width: 50 },
            { title: t('shipping.product'), dataIndex: 'productName' },
            { title: t('shipping.spec'), dataIndex: 'specification' },
            { title: t('shipping.batch'), dataIndex: 'batchNo' },
            { title: t('shipping.expiry'), dataIndex: 'expiresOn' },
            { title: t('shipping.quantity'), dataIndex: 'quantity', align: 'right' },
            { title: t('shipping.manufacturer'), dataIndex: 'manufacturer' },
            { title: t('shipping.approvalNumber'), dataIndex: 'approvalNumber' },
            { title: t('shipping.returned'), dataIndex: 'returnedOrRequested', align: 'right' },
          ]}
        />
        <DocumentTimeline docType="shipment" docId={s.id} />
      </Space>
      {dispatching && <DispatchModal shipment={s} onClose={() => setDispatching(false)} onDone={(x) => { refresh(x); setDispatching(false); message.success(t('shipping.dispatchedOk')); }} />}
      {delivering && <DeliverModal shipment={s} onClose={() => setDelivering(false)} onDone={(x) => { refresh(x); setDelivering(false); }} />}
      {cancelling && <CancelModal shipment={s} onClose={() => setCancelling(false)} onDone={(x) => { refresh(x); setCancelling(false); }} />}
      {returning && <ReturnRequestModal shipmentId={s.id} onClose={() => setReturning(false)} />}
    </>
  );
}

type ModalProps = { shipment: ShipmentDetail; onClose: () => void; onDone: (s: ShipmentDetail) => void };

/** 发出: carrier and tracking (self-delivery needs none); cold chain: logger and 2–8 °C start/end temperatures. */
function DispatchModal({ shipment, onClose, onDone }: ModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const selfDelivery = Form.useWatch('selfDelivery', form) as boolean | undefined;
  const temp = (name: string) => ({
    validator: async (_: unknown, v: string | undefined) => {
      if (!shipment.coldChain) return;
      const tenths = v ? celsiusToTenths(v) : null;
      if (tenths === null) throw new Error(t('shipping.tempRequired'));
      if (tenths < 20 || tenths > 80) throw new Error(t('shipping.tempOutOfRange', { name }));
    },
  });
  const save = useMutation({
    mutationFn: (v: { carrier: string; trackingNo?: string; selfDelivery?: boolean; temperatureLoggerId?: string; startTemp?: string; endTemp?: string }) =>
      dispatchShipment(shipment.id, {
        version: shipment.version,
        carrier: v.carrier,
        trackingNo: v.trackingNo || null,
        selfDelivery: !!v.selfDelivery,
        temperatureLoggerId: v.temperatureLoggerId || null,
        startTempTenths: v.startTemp ? celsiusToTenths(v.startTemp) : null,
        endTempTenths: v.endTemp ? celsiusToTenths(v.endTemp) : null,
      }),
    onSuccess: onDone,
    onError: (error) => {
      const aliases = { startTempTenths: 'startTemp', endTempTenths: 'endTemp' };
      if (!showFieldErrors(form, error, aliases) || isApiError(error, 'SHIPMENT_CUSTOMER_NOT_ELIGIBLE')) message.error(error instanceof Error ? error.message : String(error));
    },
  });
  return (
    <Modal open title={t('shipping.dispatchTitle', { number: shipment.number })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okText={t('shipping.dispatch')}>
      {shipment.coldChain && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('shipping.coldChainNotice')} />}
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ selfDelivery: false }}>
        <Form.Item name="selfDelivery" valuePropName="checked">
          <Checkbox
            onChange={(e) => {
              if (e.target.checked && !form.getFieldValue('carrier')) form.setFieldValue('carrier', t('shipping.selfDeliveryCarrier'));
            }}
          >
            {t('shipping.selfDelivery')}
          </Checkbox>
        </Form.Item>
        <Form.Item name="carrier" label={t('shipping.carrierName')} rules={[{ required: true, whitespace: true, message: t('shipping.carrierRequired') }]}>
          <Input autoFocus maxLength={60} />
        </Form.Item>
        <Form.Item name="trackingNo" label={t('shipping.trackingNo')} rules={[{ required: !selfDelivery, whitespace: true, message: t('shipping.trackingRequired') }]}>
          <Input maxLength={60} />
        </Form.Item>
        {shipment.coldChain && (
          <>
            <Form.Item name="temperatureLoggerId" label={t('shipping.logger')} rules={[{ required: true, whitespace: true, message: t('shipping.loggerRequired') }]}>
              <Input maxLength={60} />
            </Form.Item>
            <Space>
              <Form.Item name="startTemp" label={t('shipping.startTemp')} rules={[temp(t('shipping.startTemp'))]}>
                <Input suffix="℃" style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name="endTemp" label={t('shipping.endTemp')} rules={[temp(t('shipping.endTemp'))]}>
                <Input suffix="℃" style={{ width: 140 }} />
              </Form.Item>
            </Space>
          </>
        )}
      </Form>
    </Modal>
  );
}

function DeliverModal({ shipment, onClose, onDone }: ModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ deliveredAt?: Dayjs; note?: string }>();
  const save = useMutation({
    mutationFn: (v: { deliveredAt?: Dayjs; note?: string }) => deliverShipment(shipment.id, { version: shipment.version, deliveredAt: v.deliveredAt?.toISOString() ?? null, note: v.note || null }),
    onSuccess: onDone,
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });
  return (
    <Modal open title={t('shipping.deliver')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} initialValues={{ deliveredAt: dayjs() }}>
        <Form.Item name="deliveredAt" label={t('shipping.deliveredAt')}>
          <DatePicker showTime />
        </Form.Item>
        <Form.Item name="note" label={t('shipping.deliveredNote')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CancelModal({ shipment, onClose, onDone }: ModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const save = useMutation({
    mutationFn: (v: { reason: string }) => cancelShipment(shipment.id, shipment.version, v.reason),
    onSuccess: onDone,
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });
  return (
    <Modal open title={t('shipping.cancel')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okButtonProps={{ danger: true }}>
      <Alert type="info" message={t('shipping.cancelNotice')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="reason" label={t('shipping.cancelReason')} rules={[{ required: true, whitespace: true, message: t('shipping.cancelReasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={500} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
