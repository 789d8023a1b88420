import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../shared/api';
import { EChart } from '../../shared/EChart';
import { formatDate, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { LOST_GROUPS, getLostDeals, stageLabel, type LostGroupBy, type LostRow } from './opportunities.api';
import { monthParam } from './reportParams';

/** 战败客户分析表: deals lost in a range of months, grouped by reason, rep, region, competitor or month. */
export default function LostDealsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const from = monthParam(params.get('from'));
  const to = monthParam(params.get('to'), from);
  const rawGroup = params.get('groupBy');
  const groupBy: LostGroupBy = (LOST_GROUPS as readonly string[]).includes(rawGroup ?? '') ? (rawGroup as LostGroupBy) : 'reason';
  const set = (patch: Record<string, string>) => setParams((p) => ({ ...Object.fromEntries(p), ...patch }));
  const [exporting, setExporting] = useState(false);
  const report = useQuery({ queryKey: ['crm-reports', 'lost', from, to, groupBy], queryFn: ({ signal }) => getLostDeals({ from, to, groupBy }, signal), placeholderData: keepPreviousData });

  const chart = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { type: 'scroll', bottom: 0 },
      series: [
        {
          name: t('opportunities.count'),
          type: 'pie',
          radius: ['35%', '65%'],
          data: (report.data?.groups ?? []).map((g) => ({ name: g.label, value: g.count })),
        },
      ],
    }),
    [report.data, t],
  );

  async function exportReport() {
    setExporting(true);
    try {
      await downloadFile('/crm/lost-deals/export', { from, to, groupBy }, `${t('menu.lostDeals')}-${from}-${to}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  return (
    <>
      <PageTitle
        title={t('menu.lostDeals')}
        extra={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportReport} data-testid="lost-export">
            {t('common.export')}
          </Button>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size={[12, 12]}>
          <DatePicker.RangePicker
            picker="month"
            allowClear={false}
            value={[dayjs(`${from}-01`), dayjs(`${to}-01`)]}
            onChange={(range) => range?.[0] && range[1] && set({ from: range[0].format('YYYY-MM'), to: range[1].format('YYYY-MM') })}
            data-testid="lost-range"
          />
          <Select
            style={{ width: 140 }}
            value={groupBy}
            onChange={(v) => set({ groupBy: v })}
            options={LOST_GROUPS.map((g) => ({ value: g, label: t(`opportunities.groupBy.${g}`) }))}
            data-testid="lost-group-by"
          />
          {report.data && (
            <Space size={32}>
              <Statistic title={t('opportunities.lostCount')} value={report.data.total.count} />
              <Statistic title={t('opportunities.lostAmount')} value={formatFen(report.data.total.amountFen)} />
            </Space>
          )}
        </Space>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('opportunities.summary')} style={{ marginBottom: 16 }}>
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={report.data?.groups}
              loading={report.isFetching}
              data-testid="lost-groups"
              columns={[
                { title: t(`opportunities.groupBy.${groupBy}`), dataIndex: 'label', key: 'label' },
                { title: t('opportunities.count'), dataIndex: 'count', key: 'count', align: 'right' },
                { title: t('opportunities.amount'), key: 'amount', align: 'right', render: (_, g) => formatFen(g.amountFen) },
                { title: t('opportunities.share'), key: 'share', align: 'right', render: (_, g) => `${g.sharePercent}%` },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card style={{ marginBottom: 16 }}>
            <EChart option={chart} height={300} />
          </Card>
        </Col>
      </Row>
      <Card title={t('opportunities.details')}>
        <Table<LostRow>
          rowKey="id"
          size="small"
          dataSource={report.data?.rows}
          loading={report.isFetching}
          scroll={{ x: 1400 }}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          data-testid="lost-rows"
          columns={[
            { title: t('opportunities.lostOn'), key: 'lostAt', width: 110, render: (_, r) => formatDate(r.lostAt) },
            { title: t('opportunities.customer'), key: 'customer', width: 200, render: (_, r) => <Link to={`/customers/${r.customerId}?tab=opportunities`}>{r.customerName}</Link> },
            { title: t('opportunities.region'), dataIndex: 'region', key: 'region', width: 90 },
            { title: t('opportunities.rep'), dataIndex: 'ownerName', key: 'owner', width: 90 },
            { title: t('opportunities.name'), key: 'name', width: 180, render: (_, r) => <Link to={`/opportunities/${r.id}`}>{r.name}</Link> },
            { title: t('opportunities.amount'), key: 'amount', width: 130, align: 'right', render: (_, r) => formatFen(r.amountFen) },
            {
              title: t('opportunities.stageBefore'),
              key: 'before',
              width: 110,
              render: (_, r) => (r.stageBeforeName ? stageLabel(i18n.language, { name: r.stageBeforeName, nameEn: r.stageBeforeNameEn ?? r.stageBeforeName }) : '—'),
            },
            { title: t('opportunities.lostReason'), key: 'reason', width: 100, render: (_, r) => t(`opportunities.lostReasons.${r.lostReason}`) },
            { title: t('opportunities.competitor'), dataIndex: 'competitor', key: 'competitor', width: 120 },
            { title: t('opportunities.lostNote'), key: 'note', width: 220, render: (_, r) => <Typography.Text ellipsis={{ tooltip: r.lostNote }}>{r.lostNote}</Typography.Text> },
          ]}
        />
      </Card>
    </>
  );
}
