import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Row, Segmented, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../shared/api';
import { EChart } from '../../shared/EChart';
import { formatDate, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { getHotProspects, stageLabel, type HotRow } from './opportunities.api';
import { fenToYuanNumber, monthParam } from './reportParams';

/** 热点客户管理表: the hot opportunities as they stood at the end of a month, by rep or region. */
export default function HotProspectsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const month = monthParam(params.get('month'));
  const groupBy = params.get('groupBy') === 'region' ? 'region' : 'rep';
  const set = (patch: Record<string, string>) => setParams((p) => ({ ...Object.fromEntries(p), ...patch }));
  const [exporting, setExporting] = useState(false);
  const report = useQuery({ queryKey: ['crm-reports', 'hot', month, groupBy], queryFn: ({ signal }) => getHotProspects({ month, groupBy }, signal), placeholderData: keepPreviousData });

  const chart = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 60, right: 20, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: (report.data?.groups ?? []).map((g) => g.label || t('opportunities.noRegion')) },
      yAxis: { type: 'value', name: t('opportunities.yuan') },
      series: [
        { name: t('opportunities.amount'), type: 'bar', data: (report.data?.groups ?? []).map((g) => fenToYuanNumber(g.amountFen)) },
        { name: t('opportunities.weighted'), type: 'bar', data: (report.data?.groups ?? []).map((g) => fenToYuanNumber(g.weightedFen)) },
      ],
    }),
    [report.data, t],
  );

  async function exportReport() {
    setExporting(true);
    try {
      await downloadFile('/crm/hot-prospects/export', { month, groupBy }, `${t('menu.hotProspects')}-${month}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  return (
    <>
      <PageTitle
        title={t('menu.hotProspects')}
        extra={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportReport} data-testid="hot-export">
            {t('common.export')}
          </Button>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size={[12, 12]}>
          <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && set({ month: d.format('YYYY-MM') })} data-testid="hot-month" />
          <Segmented
            value={groupBy}
            onChange={(v) => set({ groupBy: String(v) })}
            options={[
              { value: 'rep', label: t('opportunities.byRep') },
              { value: 'region', label: t('opportunities.byRegion') },
            ]}
          />
          {report.data && <Typography.Text type="secondary">{t('opportunities.hotRule', { probability: report.data.hotProbability })}</Typography.Text>}
        </Space>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card title={t('opportunities.summary')} style={{ marginBottom: 16 }}>
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={report.data?.groups}
              loading={report.isFetching}
              columns={[
                { title: groupBy === 'rep' ? t('opportunities.rep') : t('opportunities.region'), key: 'label', render: (_, g) => g.label || t('opportunities.noRegion') },
                { title: t('opportunities.count'), dataIndex: 'count', key: 'count', align: 'right' },
                { title: t('opportunities.amount'), key: 'amount', align: 'right', render: (_, g) => formatFen(g.amountFen) },
                { title: t('opportunities.weighted'), key: 'weighted', align: 'right', render: (_, g) => formatFen(g.weightedFen) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card style={{ marginBottom: 16 }}>
            <EChart option={chart} height={280} />
          </Card>
        </Col>
      </Row>
      <Card title={t('opportunities.details')}>
        <Table<HotRow>
          rowKey="id"
          size="small"
          dataSource={report.data?.rows}
          loading={report.isFetching}
          scroll={{ x: 1500 }}
          pagination={{ pageSize: 50, showSizeChanger: false }}
          columns={[
            { title: t('opportunities.customer'), key: 'customer', width: 200, render: (_, r) => <Link to={`/customers/${r.customerId}?tab=opportunities`}>{r.customerName}</Link> },
            { title: t('opportunities.grade'), key: 'grade', width: 60, render: (_, r) => (r.customerGrade ? <Tag color={r.customerGrade === 'H' ? 'red' : undefined}>{r.customerGrade}</Tag> : null) },
            { title: t('opportunities.region'), dataIndex: 'region', key: 'region', width: 90 },
            { title: t('opportunities.rep'), dataIndex: 'ownerName', key: 'owner', width: 90 },
            { title: t('opportunities.name'), key: 'name', width: 180, render: (_, r) => <Link to={`/opportunities/${r.id}`}>{r.name}</Link> },
            { title: t('opportunities.products'), dataIndex: 'products', key: 'products', width: 180, ellipsis: true },
            { title: t('opportunities.amount'), key: 'amount', width: 130, align: 'right', render: (_, r) => formatFen(r.amountFen) },
            { title: t('opportunities.probability'), key: 'probability', width: 80, align: 'right', render: (_, r) => `${r.probability}%` },
            { title: t('opportunities.stage'), key: 'stage', width: 110, render: (_, r) => stageLabel(i18n.language, { name: r.stageName, nameEn: r.stageNameEn }) },
            { title: t('opportunities.expectedCloseOn'), key: 'close', width: 110, render: (_, r) => formatDate(r.expectedCloseOn) },
            { title: t('opportunities.daysInStage'), dataIndex: 'daysInStage', key: 'days', width: 90, align: 'right' },
            { title: t('opportunities.lastActivity'), key: 'last', width: 110, render: (_, r) => formatDate(r.lastActivityOn) },
          ]}
        />
      </Card>
    </>
  );
}
