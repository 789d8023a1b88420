import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Empty, Space, Table } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { readInt, useUrlState } from '../../shared/urlState';
import { RECEIVABLES_KEY, customerStatement, type Statement } from './finance.api';
import { todayText } from './financeLabels';

/** 对账单: a customer and a date range → opening, invoices, reds, receipts, closing; print (A4) and Excel. */
export default function StatementPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { params, update } = useUrlState();
  const customerId = readInt(params, 'customerId');
  const today = todayText();
  const from = params.get('from') ?? `${today.slice(0, 8)}01`;
  const to = params.get('to') ?? today;
  const statement = useQuery({
    queryKey: [...RECEIVABLES_KEY, 'statement', customerId, from, to],
    queryFn: ({ signal }) => customerStatement(customerId!, from, to, signal),
    enabled: !!customerId,
  });
  const s = statement.data;
  const kind = (k: Statement['entries'][number]['kind']) => t(`receipts.entry.${k}`);
  return (
    <>
      <PageTitle
        title={t('o2cPages.statementPage')}
        extra={
          customerId && (
            <Space>
              <Button icon={<PrinterOutlined />} onClick={() => window.open(`/api/customers/${customerId}/statement/print?from=${from}&to=${to}&layout=a4`, '_blank', 'noopener')}>{t('receipts.print')}</Button>
              <Button icon={<DownloadOutlined />} onClick={() => downloadFile(`/customers/${customerId}/statement/export`, { from, to }, `${t('o2cPages.statementPage')}.xlsx`).catch((e: unknown) => message.error(String(e)))}>{t('common.export')}</Button>
            </Space>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <CustomerSelect value={customerId} onChange={(v) => update({ customerId: v })} style={{ width: 300 }} />
        <DatePicker.RangePicker value={[dayjs(from), dayjs(to)]} allowClear={false} onChange={(r) => update({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })} />
      </Space>
      {!s ? (
        <Empty description={t('receipts.pickCustomer')} />
      ) : (
        <Card>
          <Descriptions size="small" bordered column={3} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('receipts.customer')}>{s.customer.invoiceTitle || s.customer.name}</Descriptions.Item>
            <Descriptions.Item label={t('receipts.period')}>{s.from} ~ {s.to}</Descriptions.Item>
            <Descriptions.Item label={t('receipts.terms')}>{s.customer.paymentTermsDays}</Descriptions.Item>
            <Descriptions.Item label={t('receipts.opening')}>{formatFen(s.openingFen)}</Descriptions.Item>
            <Descriptions.Item label={t('receipts.invoiced')}>{formatFen(s.invoicedFen)}</Descriptions.Item>
            <Descriptions.Item label={t('receipts.redTotal')}>{formatFen(s.redFen)}</Descriptions.Item>
            <Descriptions.Item label={t('receipts.received')}>{formatFen(s.receivedFen)}</Descriptions.Item>
            <Descriptions.Item label={t('receipts.closing')}><span data-testid="statement-closing">{formatFen(s.closingFen)}</span></Descriptions.Item>
          </Descriptions>
          <Table
            rowKey={(e) => `${e.kind}-${e.id}`}
            size="small"
            pagination={false}
            dataSource={s.entries}
            columns={[
              { title: t('receipts.date'), dataIndex: 'date' },
              { title: t('receipts.entryKind'), key: 'k', render: (_, e) => kind(e.kind) },
              { title: t('receipts.entryNumber'), key: 'n', render: (_, e) => <Link to={e.kind === 'receipt' ? `/receipts/${e.id}` : `/invoices/${e.id}`}>{e.number}</Link> },
              { title: t('receipts.reference'), dataIndex: 'reference' },
              { title: t('receipts.debit'), key: 'd', align: 'right', render: (_, e) => (e.debitFen === '0' ? '' : formatFen(e.debitFen)) },
              { title: t('receipts.creditSide'), key: 'c', align: 'right', render: (_, e) => (e.creditFen === '0' ? '' : formatFen(e.creditFen)) },
              { title: t('receipts.balance'), key: 'b', align: 'right', render: (_, e) => formatFen(e.balanceFen) },
            ]}
          />
        </Card>
      )}
    </>
  );
}
