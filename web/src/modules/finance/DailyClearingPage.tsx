import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Row, Space, Statistic, Table, type TableColumnsType } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../shared/api';
import { formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { useUrlState } from '../../shared/urlState';
import { companyToday, type DailyClearing, fetchDailyClearing } from './closing.api';
import './daily-clearing.css';

type RepRow = DailyClearing['byRep'][number];
type CustomerRow = DailyClearing['byCustomer'][number];

/** 日清报表: the day's orders, shipments, invoices and receipts, what is open at its end, by rep and customer. */
export default function DailyClearingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { params, update } = useUrlState();
  const date = params.get('date') ?? companyToday();
  const [exporting, setExporting] = useState(false);
  const report = useQuery({
    queryKey: ['daily-clearing', date],
    queryFn: ({ signal }) => fetchDailyClearing(date, signal),
    placeholderData: keepPreviousData,
  });
  const r = report.data;

  async function exportXlsx() {
    setExporting(true);
    try {
      await downloadFile('/daily-clearing/export.xlsx', { date }, `${t('closing.clearing.fileName')}-${date}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const repColumns: TableColumnsType<RepRow> = [
    { title: t('closing.clearing.rep'), dataIndex: 'displayName', key: 'rep', render: (v: string | null) => v ?? t('closing.clearing.noRep') },
    { title: t('closing.clearing.orders'), dataIndex: 'ordersCount', key: 'ordersCount', align: 'right' },
    { title: t('closing.clearing.orderAmount'), dataIndex: 'ordersFen', key: 'ordersFen', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('closing.clearing.dispatched'), dataIndex: 'dispatchedCount', key: 'dispatchedCount', align: 'right' },
    { title: t('closing.clearing.invoiced'), dataIndex: 'invoicedFen', key: 'invoicedFen', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('closing.clearing.received'), dataIndex: 'receivedFen', key: 'receivedFen', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('closing.clearing.overdue'), dataIndex: 'overdueFen', key: 'overdueFen', align: 'right', render: (v: string) => formatFen(v) },
  ];
  const customerColumns: TableColumnsType<CustomerRow> = [
    {
      title: t('closing.clearing.customer'),
      dataIndex: 'customerName',
      key: 'customer',
      render: (v: string, row) => (
        <Link to={`/customers/${row.customerId}`} data-testid={`clearing-customer-${row.customerId}`}>
          {v}
        </Link>
      ),
    },
    { title: t('closing.clearing.owner'), dataIndex: 'ownerName', key: 'owner', render: (v: string | null) => v ?? '—' },
    { title: t('closing.clearing.orders'), dataIndex: 'ordersCount', key: 'ordersCount', align: 'right' },
    { title: t('closing.clearing.orderAmount'), dataIndex: 'ordersFen', key: 'ordersFen', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('closing.clearing.dispatched'), dataIndex: 'dispatchedCount', key: 'dispatchedCount', align: 'right' },
    { title: t('closing.clearing.invoiced'), dataIndex: 'invoicedFen', key: 'invoicedFen', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('closing.clearing.received'), dataIndex: 'receivedFen', key: 'receivedFen', align: 'right', render: (v: string) => formatFen(v) },
  ];

  return (
    <>
      <PageTitle
        title={t('o2cPages.dailyClearingPage')}
        extra={
          <Space className="rx-no-print">
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="clearing-print">
              {t('closing.clearing.print')}
            </Button>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportXlsx} data-testid="clearing-export">
              {t('common.export')}
            </Button>
          </Space>
        }
      />
      <Card className="rx-no-print" style={{ marginBottom: 16 }}>
        <Space>
          <span>{t('closing.clearing.date')}</span>
          <DatePicker
            allowClear={false}
            value={dayjs(date)}
            disabledDate={(d) => d.format('YYYY-MM-DD') > companyToday()}
            onChange={(d) => update({ date: d ? d.format('YYYY-MM-DD') : undefined })}
            data-testid="clearing-date"
          />
          <Button onClick={() => update({ date: dayjs(date).subtract(1, 'day').format('YYYY-MM-DD') })} data-testid="clearing-prev">
            {t('closing.clearing.previousDay')}
          </Button>
          <Button disabled={date >= companyToday()} onClick={() => update({ date: dayjs(date).add(1, 'day').format('YYYY-MM-DD') })}>
            {t('closing.clearing.nextDay')}
          </Button>
        </Space>
      </Card>
      {report.error && <Alert type="error" showIcon message={(report.error as Error).message} style={{ marginBottom: 16 }} />}
      {r && (
        <div data-testid="clearing-report">
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12} xl={6}>
              <Card title={t('closing.clearing.ordersSection')} size="small">
                <Statistic title={t('closing.clearing.entered')} value={r.orders.enteredCount} suffix={formatFen(r.orders.enteredFen)} data-testid="clearing-orders-entered" />
                <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
                  <Descriptions.Item label={t('closing.clearing.submitted')}>{r.orders.submittedCount} · {formatFen(r.orders.submittedFen)}</Descriptions.Item>
                  <Descriptions.Item label={t('closing.clearing.abnormal')}>{r.orders.abnormalCount}</Descriptions.Item>
                  <Descriptions.Item label={t('closing.clearing.reviewed')}>{r.orders.reviewedCount}</Descriptions.Item>
                  <Descriptions.Item label={t('closing.clearing.released')}>{r.orders.releasedCount} · {formatFen(r.orders.releasedFen)}</Descriptions.Item>
                  <Descriptions.Item label={t('closing.clearing.cancelled')}>{r.orders.cancelledCount}</Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Card title={t('closing.clearing.shipmentsSection')} size="small">
                <Statistic title={t('closing.clearing.dispatched')} value={r.shipments.dispatchedCount} data-testid="clearing-dispatched" />
                <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
                  <Descriptions.Item label={t('closing.clearing.lines')}>{r.shipments.dispatchedLines} · {t('closing.clearing.quantity', { n: r.shipments.dispatchedQuantity })}</Descriptions.Item>
                  <Descriptions.Item label={t('closing.clearing.coldChain')}>{r.shipments.coldChainCount}</Descriptions.Item>
                  <Descriptions.Item label={t('closing.clearing.delivered')}>{r.shipments.deliveredCount}</Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Card title={t('closing.clearing.invoicesSection')} size="small">
                <Statistic title={t('closing.clearing.netInvoiced')} value={formatFen(r.invoices.netFen)} data-testid="clearing-invoiced" />
                <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
                  <Descriptions.Item label={t('closing.clearing.blue')}>{r.invoices.blueCount} · {formatFen(r.invoices.blueFen)}</Descriptions.Item>
                  <Descriptions.Item label={t('closing.clearing.blueTax')}>{formatFen(r.invoices.blueTaxFen)}</Descriptions.Item>
                  <Descriptions.Item label={t('closing.clearing.red')}>{r.invoices.redCount} · {formatFen(r.invoices.redFen)}</Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Card title={t('closing.clearing.receiptsSection')} size="small">
                <Statistic title={t('closing.clearing.receivedTotal')} value={formatFen(r.receipts.totalFen)} data-testid="clearing-received" />
                <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
                  {r.receipts.byMethod.map((m) => (
                    <Descriptions.Item key={m.method} label={t(`closing.methods.${m.method}`, { defaultValue: m.method })}>
                      {m.count} · {formatFen(m.amountFen)}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              </Card>
            </Col>
          </Row>
          <Card title={t('closing.clearing.openSection')} size="small" style={{ marginTop: 16 }}>
            <Descriptions column={{ xs: 1, md: 2, xl: 4 }} size="small" data-testid="clearing-open">
              <Descriptions.Item label={t('closing.clearing.pendingApproval')}>{r.open.pendingApprovalCount}</Descriptions.Item>
              <Descriptions.Item label={t('closing.clearing.pendingReview')}>{r.open.pendingReviewCount}</Descriptions.Item>
              <Descriptions.Item label={t('closing.clearing.releasedNotShipped')}>
                {r.open.releasedNotShippedCount} · {formatFen(r.open.releasedNotShippedFen)}
              </Descriptions.Item>
              <Descriptions.Item label={t('closing.clearing.shippedNotInvoiced')}>{formatFen(r.open.shippedNotInvoicedFen)}</Descriptions.Item>
              <Descriptions.Item label={t('closing.clearing.overdueReceivables')}>
                {t('closing.clearing.overdueLine', { count: r.open.overdueCount, customers: r.open.overdueCustomers })} · {formatFen(r.open.overdueFen)}
              </Descriptions.Item>
            </Descriptions>
            <div style={{ marginTop: 8, color: '#888' }}>{t('closing.clearing.openNote')}</div>
          </Card>
          <Card title={t('closing.clearing.byRep')} size="small" style={{ marginTop: 16 }}>
            <Table<RepRow> rowKey={(row) => String(row.userId)} size="small" pagination={false} columns={repColumns} dataSource={r.byRep} loading={report.isFetching} />
          </Card>
          <Card title={t('closing.clearing.byCustomer')} size="small" style={{ marginTop: 16 }}>
            <Table<CustomerRow>
              rowKey="customerId"
              size="small"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              columns={customerColumns}
              dataSource={r.byCustomer}
              data-testid="clearing-customers"
            />
          </Card>
        </div>
      )}
    </>
  );
}
