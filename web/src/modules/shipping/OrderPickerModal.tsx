import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Input, Modal, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../../shared/useDebounced';
import { type ShippableOrder, shippableOrders } from './shipping.api';

/** Picks a released order that still has reserved stock to ship (by number or customer name). */
export function OrderPickerModal({ open, onClose, onPick }: { open: boolean; onClose: () => void; onPick: (orderId: number) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const search = useDebounced(q, 300);
  const orders = useQuery({ queryKey: ['shipments', 'shippable-orders', search], queryFn: ({ signal }) => shippableOrders(search, signal), enabled: open });
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('shipping.pickOrder')} width={720} destroyOnHidden>
      <Input.Search autoFocus allowClear placeholder={t('shipping.pickOrderPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} style={{ marginBottom: 12 }} />
      <Table<ShippableOrder>
        rowKey="id"
        size="small"
        loading={orders.isFetching}
        dataSource={orders.data ?? []}
        pagination={false}
        onRow={(o) => ({ onClick: () => onPick(o.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('shipping.order'), dataIndex: 'number' },
          { title: t('shipping.customer'), dataIndex: 'customerName' },
          { title: t('shipping.orderDate'), dataIndex: 'orderDate', width: 110 },
          { title: t('shipping.openQuantity'), dataIndex: 'openQuantity', align: 'right', width: 100 },
        ]}
      />
    </Modal>
  );
}
