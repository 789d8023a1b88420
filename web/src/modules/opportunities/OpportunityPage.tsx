import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Result, Space, Spin, Steps, Table, Timeline, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, EditOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { formatDate, formatDateTime, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { OpportunityFormDrawer } from './OpportunityFormDrawer';
import { OPPORTUNITIES_KEY, STAGES_KEY, getOpportunity, listStages, stageLabel } from './opportunities.api';
import { StatusTag } from './opportunityLabels';
import { useStageMove } from './useStageMove';

/** One 销售机会: the details, the pipeline as steps with the moves, the products and the stage history. */
export default function OpportunityPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const opportunityId = Number(id);
  const { can } = useAuth();
  const [editing, setEditing] = useState(false);
  const detail = useQuery({
    queryKey: [...OPPORTUNITIES_KEY, 'detail', opportunityId],
    queryFn: ({ signal }) => getOpportunity(opportunityId, signal),
    enabled: Number.isInteger(opportunityId) && opportunityId > 0,
    retry: (count, error) => !isApiError(error) && count < 2,
  });
  const stages = useQuery({ queryKey: STAGES_KEY, queryFn: ({ signal }) => listStages(signal) });
  const { move, modal, pending } = useStageMove();

  if (detail.isLoading) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  if (detail.isError || !detail.data) {
    return <Result status="404" title={t('opportunities.notFound')} extra={<Link to="/opportunities">{t('opportunities.backToList')}</Link>} />;
  }
  const o = detail.data;
  const canWrite = can(PERMISSIONS.opportunitiesWrite);
  const active = (stages.data ?? []).filter((s) => s.active || s.id === o.stageId);
  const open = active.filter((s) => s.kind === 'open');
  const won = active.find((s) => s.kind === 'won');
  const lost = active.find((s) => s.kind === 'lost');
  const current = open.findIndex((s) => s.id === o.stageId);
  const label = (s: { name: string; nameEn: string }) => stageLabel(i18n.language, s);

  return (
    <>
      <PageTitle
        title={o.name}
        extra={
          canWrite && (
            <Space>
              {won && o.status !== 'won' && (
                <Button icon={<CheckCircleOutlined />} onClick={() => move(o, won)} loading={pending} data-testid="opportunity-win">
                  {label(won)}
                </Button>
              )}
              {lost && o.status !== 'lost' && (
                <Button danger icon={<CloseCircleOutlined />} onClick={() => move(o, lost)} data-testid="opportunity-lose">
                  {label(lost)}
                </Button>
              )}
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="opportunity-edit">
                {t('common.edit')}
              </Button>
            </Space>
          )
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Steps
          current={o.status === 'open' ? current : open.length}
          status={o.status === 'lost' ? 'error' : o.status === 'won' ? 'finish' : 'process'}
          onChange={canWrite ? (index) => open[index] && move(o, open[index]) : undefined}
          items={[
            ...open.map((s) => ({ title: label(s), description: `${s.probability}%`, disabled: !canWrite || s.id === o.stageId })),
            { title: o.status === 'open' ? `${won ? label(won) : ''} / ${lost ? label(lost) : ''}` : `${label({ name: o.stageName, nameEn: o.stageNameEn })}`, disabled: true },
          ]}
          data-testid="opportunity-steps"
        />
        {canWrite && <Typography.Text type="secondary">{t('opportunities.stepsHint')}</Typography.Text>}
      </Card>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
          <Descriptions.Item label={t('opportunities.customer')}>
            <Link to={`/customers/${o.customerId}?tab=opportunities`}>{o.customerName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('opportunities.stage')}>
            <Space size={4}>
              {label({ name: o.stageName, nameEn: o.stageNameEn })}
              <StatusTag status={o.status} />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('opportunities.owner')}>{o.ownerName}</Descriptions.Item>
          <Descriptions.Item label={t('opportunities.amount')}>{formatFen(o.amountFen)}</Descriptions.Item>
          <Descriptions.Item label={t('opportunities.probability')}>{o.probability}%</Descriptions.Item>
          <Descriptions.Item label={t('opportunities.weighted')}>{formatFen(o.weightedFen)}</Descriptions.Item>
          <Descriptions.Item label={t('opportunities.expectedCloseOn')}>{formatDate(o.expectedCloseOn)}</Descriptions.Item>
          <Descriptions.Item label={t('opportunities.competitor')}>{o.competitor ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('opportunities.closedAt')}>{o.closedAt ? formatDateTime(o.closedAt) : '—'}</Descriptions.Item>
          {o.status === 'lost' && (
            <>
              <Descriptions.Item label={t('opportunities.lostReason')}>{o.lostReason ? t(`opportunities.lostReasons.${o.lostReason}`) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('opportunities.lostNote')}>{o.lostNote ?? '—'}</Descriptions.Item>
            </>
          )}
          <Descriptions.Item label={t('opportunities.description')} span={3}>
            {o.description ?? '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('opportunities.products')} style={{ marginBottom: 16 }}>
        <Table
          rowKey="productId"
          size="small"
          pagination={false}
          dataSource={o.products}
          columns={[
            { title: t('opportunities.productCode'), dataIndex: 'productCode', width: 120 },
            { title: t('opportunities.product'), key: 'name', render: (_, p) => `${p.productName} ${p.specification}` },
            { title: t('opportunities.quantity'), dataIndex: 'quantity', width: 100, align: 'right' },
            { title: t('opportunities.lineAmount'), key: 'amount', width: 160, align: 'right', render: (_, p) => formatFen(p.amountFen) },
          ]}
        />
      </Card>
      <Card title={t('opportunities.history')}>
        <Timeline
          data-testid="opportunity-history"
          items={o.history.map((h) => ({
            children: (
              <Space direction="vertical" size={0}>
                <Typography.Text>
                  {h.fromStageName ? `${label({ name: h.fromStageName, nameEn: h.fromStageNameEn ?? h.fromStageName })} → ` : `${t('opportunities.created')} → `}
                  {label({ name: h.toStageName, nameEn: h.toStageNameEn })}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(h.at)} · {h.actorName ?? '—'}
                </Typography.Text>
              </Space>
            ),
          }))}
        />
      </Card>
      <OpportunityFormDrawer open={editing} onClose={() => setEditing(false)} opportunity={o} />
      {modal}
    </>
  );
}
