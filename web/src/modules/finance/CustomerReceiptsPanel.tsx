import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { formatDate, formatFen } from '../../shared/format';
import { RECEIPTS_KEY, listReceipts, type ReceiptRow } from './finance.api';
import { CreditStatusCard } from './CreditStatusCard';
import { useFinanceLabels } from './financeLabels';

/** Customer 360° tab 回款: the credit status and the customer's latest receipts. */
export function CustomerReceiptsPanel({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const labels = useFinanceLabels();
  const list = useQuery({ queryKey: [...RECEIPTS_KEY, 'customer', customerId], queryFn: ({ signal }) => listReceipts({ customerId, pageSize: 50 }, signal) });
  return (
    <>
      <CreditStatusCard customerId={customerId} />
      <Table<ReceiptRow>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        footer={() => (
          <>
            <Link to={`/receipts?customerId=${customerId}`}>{t('receipts.allOfCustomer', { total: list.data?.total ?? 0 })}</Link>
            {' · '}
            <Link to={`/receivables/statement?customerId=${customerId}`}>{t('receipts.statement')}</Link>
          </>
        )}
        columns={[
          { title: t('receipts.number'), key: 'n', render: (_, r) => <Link to={`/receipts/${r.id}`}>{r.number}</Link> },
          { title: t('receipts.methodLabel'), key: 'm', render: (_, r) => labels.method(r.method) },
          { title: t('receipts.receivedOn'), key: 'd', render: (_, r) => formatDate(r.receivedOn) },
          { title: t('receipts.amount'), key: 'a', align: 'right', render: (_, r) => formatFen(r.amountFen) },
          { title: t('receipts.unapplied'), key: 'u', align: 'right', render: (_, r) => formatFen(r.unappliedFen) },
          { title: t('receipts.statusLabel'), key: 's', render: (_, r) => t(`receipts.status.${r.status}`) },
        ]}
      />
    </>
  );
}
