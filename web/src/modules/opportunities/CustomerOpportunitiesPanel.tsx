import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatDate, formatFen } from '../../shared/format';
import { OpportunityFormDrawer } from './OpportunityFormDrawer';
import { OPPORTUNITIES_KEY, listOpportunities, stageLabel, type OpportunityListRow } from './opportunities.api';
import { StatusTag } from './opportunityLabels';

/** The 销售机会 tab of the customer 360° page: the customer's opportunities (the list with customerId) and 新建. */
export function CustomerOpportunitiesPanel({ customerId, editable = true }: { customerId: number; editable?: boolean }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const [creating, setCreating] = useState(false);
  const query = { customerId, pageSize: 200, sort: '-updatedAt' };
  const list = useQuery({ queryKey: [...OPPORTUNITIES_KEY, 'list', query], queryFn: ({ signal }) => listOpportunities(query, signal) });
  return (
    <>
      <Space style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Link to={`/opportunities?customerId=${customerId}`}>{t('opportunities.openInList')}</Link>
        {editable && can(PERMISSIONS.opportunitiesWrite) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-opportunities-new">
            {t('opportunities.new')}
          </Button>
        )}
      </Space>
      <Table<OpportunityListRow>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={false}
        locale={list.isError ? { emptyText: <Typography.Text type="danger">{list.error.message}</Typography.Text> } : undefined}
        columns={[
          { title: t('opportunities.name'), key: 'name', render: (_, o) => <Link to={`/opportunities/${o.id}`}>{o.name}</Link> },
          {
            title: t('opportunities.stage'),
            key: 'stage',
            width: 160,
            render: (_, o) => (
              <Space size={4}>
                {stageLabel(i18n.language, { name: o.stageName, nameEn: o.stageNameEn })}
                {o.status !== 'open' && <StatusTag status={o.status} />}
              </Space>
            ),
          },
          { title: t('opportunities.amount'), key: 'amount', width: 140, align: 'right', render: (_, o) => formatFen(o.amountFen) },
          { title: t('opportunities.probability'), key: 'probability', width: 80, align: 'right', render: (_, o) => `${o.probability}%` },
          { title: t('opportunities.expectedCloseOn'), key: 'close', width: 120, render: (_, o) => formatDate(o.expectedCloseOn) },
          { title: t('opportunities.owner'), dataIndex: 'ownerName', key: 'owner', width: 100 },
        ]}
      />
      <OpportunityFormDrawer open={creating} onClose={() => setCreating(false)} customerId={customerId} />
    </>
  );
}
