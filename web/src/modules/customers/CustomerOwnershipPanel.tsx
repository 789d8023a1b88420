import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { UserSwitchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatDateTime } from '../../shared/format';
import { AssignOwnerModal } from './AssignOwnerModal';
import type { CustomerDetail } from './customers.api';
import { OWNERSHIP_KEY, ownerHistory, type OwnerHistoryRow } from './ownership.api';

/** The 归属 tab: who owns the customer now, who owned it before, and (customers.assign) a new owner. */
export function CustomerOwnershipPanel({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [assigning, setAssigning] = useState(false);
  const history = useQuery({ queryKey: [...OWNERSHIP_KEY, 'history', customer.id], queryFn: ({ signal }) => ownerHistory(customer.id, signal) });
  const none = <Typography.Text type="secondary">{t('customer.unassigned')}</Typography.Text>;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="customer-ownership">
        <Descriptions.Item label={t('customer.owner')}>{customer.ownerName ?? none}</Descriptions.Item>
        <Descriptions.Item label={t('ownership.team')}>{customer.ownerDepartmentName ?? '—'}</Descriptions.Item>
      </Descriptions>
      {can(PERMISSIONS.customersAssign) && customer.status !== 'merged' && (
        <Button icon={<UserSwitchOutlined />} onClick={() => setAssigning(true)} data-testid="customer-assign">
          {t('ownership.assign')}
        </Button>
      )}
      <Table<OwnerHistoryRow>
        rowKey="id"
        size="small"
        pagination={false}
        loading={history.isFetching}
        dataSource={history.data}
        columns={[
          { title: t('ownership.at'), dataIndex: 'at', width: 160, render: (v: string) => formatDateTime(v) },
          { title: t('ownership.from'), dataIndex: 'fromUserName', width: 120, render: (v: string | null) => v ?? none },
          { title: t('ownership.to'), dataIndex: 'toUserName', width: 120 },
          { title: t('ownership.kind'), dataIndex: 'kind', width: 100, render: (v: OwnerHistoryRow['kind']) => <Tag>{t(`ownership.kinds.${v}`)}</Tag> },
          { title: t('ownership.reason'), dataIndex: 'reason' },
          { title: t('ownership.by'), dataIndex: 'byUserName', width: 120 },
        ]}
        data-testid="customer-owner-history"
      />
      <AssignOwnerModal customerIds={[customer.id]} open={assigning} onClose={() => setAssigning(false)} />
    </Space>
  );
}
