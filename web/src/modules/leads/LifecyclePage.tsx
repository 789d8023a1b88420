import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Space, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../shared/EChart';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import { readInt, useUrlState } from '../../shared/urlState';
import { TerritorySelect } from '../territories/TerritorySelect';
import { CUSTOMER_TYPES, lifecycleReport, type CustomerType, type LifecycleRow } from './leads.api';

/** 生命周期分析: customers per lifecycle stage, how long they have been there, and how many stall. */
export default function LifecyclePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const ownerId = readInt(params, 'ownerId');
  const territoryId = /^\d{6}$/.test(params.get('territoryId') ?? '') ? params.get('territoryId')! : undefined;
  const typeParam = params.get('type');
  const type = (CUSTOMER_TYPES as readonly string[]).includes(typeParam ?? '') ? (typeParam as CustomerType) : undefined;
  const query = { ownerId, territoryId, type };
  const report = useQuery({ queryKey: ['crm', 'lifecycle', query], queryFn: ({ signal }) => lifecycleReport(query, signal) });

  /** The customer list filtered by the stage (and the same owner / place / type). */
  const drill = (stage: string) => {
    const p = new URLSearchParams({ lifecycleStage: stage });
    if (ownerId) p.set('ownerId', String(ownerId));
    if (territoryId) p.set('territoryId', territoryId);
    if (type) p.set('type', type);
    return `/customers?${p}`;
  };

  const stages = report.data?.stages ?? [];
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 48, right: 48, bottom: 32, top: 40 },
      xAxis: { type: 'category', data: stages.map((s) => t(`customer.lifecycleStages.${s.stage}`)) },
      yAxis: [
        { type: 'value', name: t('leads.lifecycle.customers'), minInterval: 1 },
        { type: 'value', name: t('leads.lifecycle.days') },
      ],
      series: [
        { name: t('leads.lifecycle.customers'), type: 'bar', data: stages.map((s) => s.customers) },
        { name: t('leads.lifecycle.stalled'), type: 'bar', data: stages.map((s) => s.stalled), itemStyle: { color: '#cf1322' } },
        { name: t('leads.lifecycle.medianDays'), type: 'line', yAxisIndex: 1, data: stages.map((s) => s.medianDays) },
      ],
    }),
    [stages, t],
  );

  return (
    <>
      <PageTitle title={t('leads.lifecycleMenu')} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <UserSelect allowClear style={{ width: 160 }} placeholder={t('leads.owner')} value={ownerId} onChange={(v) => update({ ownerId: v ?? undefined })} />
          <TerritorySelect style={{ width: 200 }} placeholder={t('leads.territory')} value={territoryId} onChange={(v) => update({ territoryId: v ?? undefined })} />
          <Select allowClear style={{ width: 160 }} placeholder={t('leads.customerType')} value={type} onChange={(v) => update({ type: v })} options={CUSTOMER_TYPES.map((c) => ({ value: c, label: t(`customer.types.${c}`) }))} />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('leads.lifecycle.help', { days: report.data?.stalledAfterDays ?? 90 })}
        </Typography.Paragraph>
      </Card>
      <Card style={{ marginBottom: 16 }}>
        <EChart option={option} onClick={(p) => stages[p.dataIndex] && navigate(drill(stages[p.dataIndex]!.stage))} />
      </Card>
      <Card>
        <Table<LifecycleRow>
          rowKey="stage"
          size="middle"
          pagination={false}
          loading={report.isFetching}
          dataSource={stages}
          data-testid="lifecycle-table"
          columns={[
            { title: t('leads.stage'), key: 'stage', render: (_, s) => <Link to={drill(s.stage)}>{t(`customer.lifecycleStages.${s.stage}`)}</Link> },
            { title: t('leads.lifecycle.customers'), dataIndex: 'customers', key: 'customers', align: 'right' },
            { title: t('leads.lifecycle.medianDays'), key: 'median', align: 'right', render: (_, s) => s.medianDays ?? '—' },
            { title: t('leads.lifecycle.averageDays'), key: 'average', align: 'right', render: (_, s) => s.averageDays ?? '—' },
            {
              title: t('leads.lifecycle.stalledCol', { days: report.data?.stalledAfterDays ?? 90 }),
              key: 'stalled',
              align: 'right',
              render: (_, s) => (s.stalled > 0 ? <Typography.Text type="danger">{s.stalled}</Typography.Text> : 0),
            },
          ]}
        />
      </Card>
    </>
  );
}
