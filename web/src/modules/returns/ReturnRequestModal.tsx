import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Radio, Select, Table } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { RETURN_REASONS, RETURNS_KEY, type ReturnableLine, requestReturn, returnableLines } from './returns.api';

/** 申请退换货 from a shipment page: choose shipped batches and quantities (at most what is left to return). */
export function ReturnRequestModal({ shipmentId, onClose }: { shipmentId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string; resolution: string; description: string }>();
  const lines = useQuery({ queryKey: ['returns', 'returnable', shipmentId], queryFn: ({ signal }) => returnableLines(shipmentId, signal) });
  const [quantities, setQuantities] = useState<Record<number, number>>({});
  useEffect(() => setQuantities({}), [shipmentId]);
  const save = useMutation({
    mutationFn: (v: { reason: string; resolution: string; description: string }) =>
      requestReturn({ ...v, lines: Object.entries(quantities).filter(([, q]) => q > 0).map(([id, q]) => ({ shipmentLineId: Number(id), quantity: q })) }),
    onSuccess: (reply) => {
      void queryClient.invalidateQueries({ queryKey: RETURNS_KEY });
      void queryClient.invalidateQueries({ queryKey: ['shipments'] });
      message.success(t('returns.requested', { number: reply.returnRequest.number }));
      navigate(`/returns/${reply.returnRequest.id}`);
    },
    onError: (error) => message.error(error instanceof Error ? error.message : String(error)),
  });
  const total = Object.values(quantities).reduce((n, q) => n + (q || 0), 0);
  return (
    <Modal open width={820} title={t('returns.requestTitle')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ disabled: total === 0 }} confirmLoading={save.isPending}>
      <Table<ReturnableLine>
        rowKey="shipmentLineId"
        size="small"
        pagination={false}
        loading={lines.isFetching}
        dataSource={lines.data ?? []}
        columns={[
          { title: t('returns.product'), key: 'p', render: (_, l) => `${l.productName} ${l.specification}` },
          { title: t('returns.batch'), dataIndex: 'batchNo' },
          { title: t('returns.expiry'), dataIndex: 'expiresOn' },
          { title: t('returns.shipped'), dataIndex: 'shipped', align: 'right' },
          { title: t('returns.returnable'), dataIndex: 'returnable', align: 'right' },
          {
            title: t('returns.quantity'),
            key: 'q',
            width: 120,
            render: (_, l) => (
              <InputNumber
                min={0}
                max={l.returnable}
                precision={0}
                disabled={l.returnable === 0}
                value={quantities[l.shipmentLineId] ?? 0}
                onChange={(v) => setQuantities((q) => ({ ...q, [l.shipmentLineId]: Number(v ?? 0) }))}
                aria-label={`${l.productName} ${l.batchNo}`}
              />
            ),
          },
        ]}
      />
      <Form form={form} layout="vertical" style={{ marginTop: 12 }} initialValues={{ resolution: 'refund' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="reason" label={t('returns.reason')} rules={[{ required: true, message: t('returns.reasonRequired') }]}>
          <Select options={RETURN_REASONS.map((r) => ({ value: r, label: t(`returns.reasons.${r}`) }))} />
        </Form.Item>
        <Form.Item name="resolution" label={t('returns.resolution')}>
          <Radio.Group options={[{ value: 'refund', label: t('returns.resolutions.refund') }, { value: 'exchange', label: t('returns.resolutions.exchange') }]} />
        </Form.Item>
        <Form.Item name="description" label={t('returns.description')} rules={[{ required: true, whitespace: true, message: t('returns.descriptionRequired') }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
