import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatDate, formatFen } from '../../shared/format';
import { INVOICES_KEY, listInvoices, type InvoiceRow } from './finance.api';
import { CreditStatusCard } from './CreditStatusCard';
import { InvoiceKindTag, InvoiceStatusTag } from './financeLabels';

/** Customer 360° tab 发票: the credit status and the customer's latest invoices. */
export function CustomerInvoicesPanel({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: [...INVOICES_KEY, 'customer', customerId], queryFn: ({ signal }) => listInvoices({ customerId, pageSize: 50 }, signal) });
  return (
    <>
      <CreditStatusCard customerId={customerId} />
      <Table<InvoiceRow>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        footer={() => <Link to={`/invoices?customerId=${customerId}`}>{t('invoices.allOfCustomer', { total: list.data?.total ?? 0 })}</Link>}
        columns={[
          { title: t('invoices.number'), key: 'n', render: (_, i) => <Link to={`/invoices/${i.id}`}>{i.number}</Link> },
          { title: t('invoices.kindLabel'), key: 'k', render: (_, i) => <InvoiceKindTag kind={i.kind} /> },
          { title: t('invoices.statusLabel'), key: 's', render: (_, i) => <InvoiceStatusTag status={i.status} /> },
          { title: t('invoices.taxInvoiceNo'), dataIndex: 'taxInvoiceNo' },
          { title: t('invoices.issuedOn'), key: 'i', render: (_, i) => formatDate(i.issuedOn) },
          { title: t('invoices.dueOn'), key: 'd', render: (_, i) => formatDate(i.dueOn) },
          { title: t('invoices.amount'), key: 'a', align: 'right', render: (_, i) => formatFen(i.amountFen) },
          { title: t('invoices.open'), key: 'o', align: 'right', render: (_, i) => formatFen(i.openFen) },
        ]}
      />
    </>
  );
}
