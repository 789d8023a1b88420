import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Row, Space, Table, Tabs, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { EChart } from '../../shared/EChart';
import { formatDate, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import { readInt, useUrlState } from '../../shared/urlState';
import { TerritorySelect } from '../territories/TerritorySelect';
import { RECEIVABLES_KEY, agingReport, overdueList, type AgingRow, type OverdueInvoice } from './finance.api';

const BUCKETS = ['notDueFen', 'd1to30Fen', 'd31to60Fen', 'd61to90Fen', 'over90Fen'] as const;
const yuan = (fen: string) => Number(BigInt(fen)) / 100;

/** 应收账龄: aging per customer (ECharts bar of the buckets), the overdue list per rep, exports. */
export default function ReceivablesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { params, update } = useUrlState();
  const filters = { ownerId: readInt(params, 'ownerId'), customerId: readInt(params, 'customerId'), territoryId: params.get('territoryId') ?? undefined, asOf: params.get('asOf') ?? undefined };
  const tab = params.get('tab') ?? 'aging';
  const aging = useQuery({ queryKey: [...RECEIVABLES_KEY, 'aging', filters], queryFn: ({ signal }) => agingReport(filters, signal) });
  const overdue = useQuery({ queryKey: [...RECEIVABLES_KEY, 'overdue', filters.ownerId, filters.asOf], queryFn: ({ signal }) => overdueList({ ownerId: filters.ownerId, asOf: filters.asOf }, signal), enabled: tab === 'overdue' });
  const download = (path: string, name: string, query: Record<string, string | number | undefined>) =>
    downloadFile(path, query, name).catch((e: unknown) => message.error(e instanceof Error ? e.message : String(e)));

  const money = (key: keyof AgingRow) => ({ title: t(`receipts.aging.${key}`), key, align: 'right' as const, render: (_: unknown, r: AgingRow) => formatFen(r[key] as string) });
  const columns: TableColumnsType<AgingRow> = [
    { title: t('receipts.customer'), key: 'c', render: (_, r) => <Link to={`/customers/${r.customerId}?tab=invoices`}>{r.customerName}</Link> },
    { title: t('receipts.owner'), dataIndex: 'ownerName' },
    { title: t('receipts.terms'), dataIndex: 'paymentTermsDays', align: 'right' },
    ...BUCKETS.map(money),
    money('creditFen'),
    money('balanceFen'),
    { title: t('common.actions'), key: 's', render: (_, r) => <Link to={`/receivables/statement?customerId=${r.customerId}`}>{t('receipts.statement')}</Link> },
  ];
  const totals = aging.data?.totals;
  const chart = totals && {
    tooltip: { trigger: 'axis' },
    grid: { left: 60, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: BUCKETS.map((b) => t(`receipts.aging.${b}`)) },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: BUCKETS.map((b, i) => ({ value: yuan(totals[b]), itemStyle: { color: ['#52c41a', '#faad14', '#fa8c16', '#f5222d', '#a8071a'][i] } })) }],
  };
  const overdueColumns: TableColumnsType<OverdueInvoice> = [
    { title: t('receipts.owner'), dataIndex: 'ownerName' },
    { title: t('receipts.customer'), key: 'c', render: (_, o) => <Link to={`/customers/${o.customerId}?tab=invoices`}>{o.customerName}</Link> },
    { title: t('invoices.number'), key: 'n', render: (_, o) => <Link to={`/invoices/${o.invoiceId}`}>{o.number}</Link> },
    { title: t('invoices.taxInvoiceNo'), dataIndex: 'taxInvoiceNo' },
    { title: t('invoices.dueOn'), key: 'd', render: (_, o) => formatDate(o.dueOn) },
    { title: t('receipts.daysOverdue'), dataIndex: 'daysOverdue', align: 'right' },
    { title: t('invoices.open'), key: 'o', align: 'right', render: (_, o) => formatFen(o.openFen) },
  ];
  return (
    <>
      <PageTitle title={t('o2cPages.receivablesPage')} />
      <Space wrap style={{ marginBottom: 12 }}>
        <UserSelect value={filters.ownerId} onChange={(ownerId) => update({ ownerId })} placeholder={t('receipts.owner')} style={{ width: 180 }} allowClear />
        <TerritorySelect value={filters.territoryId} onChange={(territoryId: string | undefined) => update({ territoryId })} style={{ width: 200 }} />
        <CustomerSelect value={filters.customerId} onChange={(customerId) => update({ customerId })} style={{ width: 240 }} />
        <DatePicker value={filters.asOf ? dayjs(filters.asOf) : null} placeholder={t('receipts.asOf')} onChange={(d) => update({ asOf: d?.format('YYYY-MM-DD') })} />
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'aging' ? undefined : key })}
        items={[
          {
            key: 'aging',
            label: t('receipts.agingTab'),
            children: (
              <Row gutter={16}>
                <Col span={24}>
                  <Card title={t('receipts.agingChart', { asOf: aging.data?.asOf ?? '' })} size="small" style={{ marginBottom: 16 }}>
                    {chart && <EChart option={chart} height={240} />}
                  </Card>
                </Col>
                <Col span={24}>
                  <Card size="small" extra={<Button icon={<DownloadOutlined />} onClick={() => download('/receivables/aging/export', `${t('receipts.agingFile')}.xlsx`, filters)}>{t('common.export')}</Button>}>
                    <Table<AgingRow>
                      rowKey="customerId"
                      size="small"
                      loading={aging.isFetching}
                      columns={columns}
                      dataSource={aging.data?.rows ?? []}
                      pagination={{ pageSize: 50 }}
                      summary={() =>
                        totals && (
                          <Table.Summary.Row>
                            <Table.Summary.Cell index={0} colSpan={3}>{t('receipts.total')}</Table.Summary.Cell>
                            {[...BUCKETS, 'creditFen' as const, 'balanceFen' as const].map((b, i) => (
                              <Table.Summary.Cell key={b} index={i + 3} align="right">{formatFen(totals[b])}</Table.Summary.Cell>
                            ))}
                            <Table.Summary.Cell index={10} />
                          </Table.Summary.Row>
                        )
                      }
                    />
                  </Card>
                </Col>
              </Row>
            ),
          },
          {
            key: 'overdue',
            label: t('receipts.overdueTab'),
            children: (
              <Card size="small" extra={<Button icon={<DownloadOutlined />} onClick={() => download('/receivables/overdue/export', `${t('receipts.overdueFile')}.xlsx`, { ownerId: filters.ownerId, asOf: filters.asOf })}>{t('common.export')}</Button>}>
                <Table<OverdueInvoice> rowKey="invoiceId" size="small" loading={overdue.isFetching} columns={overdueColumns} dataSource={overdue.data?.items ?? []} pagination={{ pageSize: 50 }} />
              </Card>
            ),
          },
        ]}
      />
    </>
  );
}
