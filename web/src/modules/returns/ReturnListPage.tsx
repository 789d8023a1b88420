import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Input, Select, Space, Table, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { downloadFile, type Query } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { RETURN_REASONS, RETURN_RESOLUTIONS, RETURN_STATUSES, RETURNS_KEY, type ReturnRow, listReturns } from './returns.api';
import { ReturnStatusTag } from './ReturnStatusTag';

const pick = <T extends string>(value: string | null, allowed: readonly T[]) => (value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined);

/** 退换货: requests of the customers I may see; filters in the URL; export. Requests start from a shipment page. */
export default function ReturnListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { params, update, clear } = useUrlState();
  const { page, pageSize } = readPage(params);
  const filters = {
    status: pick(params.get('status'), RETURN_STATUSES),
    reason: pick(params.get('reason'), RETURN_REASONS),
    resolution: pick(params.get('resolution'), RETURN_RESOLUTIONS),
    customerId: params.get('customerId') ?? undefined,
    orderId: params.get('orderId') ?? undefined,
    q: params.get('q') ?? undefined,
    sort: params.get('sort') ?? undefined,
  };
  const sort = parseSort(filters.sort);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const query: Query = { ...filters, page, pageSize };
  const list = useQuery({ queryKey: [...RETURNS_KEY, 'list', query], queryFn: ({ signal }) => listReturns(query, signal), placeholderData: keepPreviousData });
  const [exporting, setExporting] = useState(false);

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<ReturnRow> = [
    { title: t('returns.number'), key: 'number', ...sortable('number'), width: 150, render: (_, r) => <Link to={`/returns/${r.id}`}>{r.number}</Link> },
    { title: t('returns.order'), key: 'order', width: 150, render: (_, r) => <Link to={`/orders/${r.orderId}`}>{r.orderNumber}</Link> },
    { title: t('returns.customer'), dataIndex: 'customerName', width: 220 },
    { title: t('returns.reason'), key: 'reason', width: 100, render: (_, r) => t(`returns.reasons.${r.reason}`) },
    { title: t('returns.resolution'), key: 'resolution', width: 100, render: (_, r) => t(`returns.resolutions.${r.resolution}`) },
    { title: t('returns.quantity'), dataIndex: 'totalQuantity', align: 'right', width: 80 },
    { title: t('returns.status'), key: 'status', ...sortable('status'), width: 110, render: (_, r) => <ReturnStatusTag status={r.status} /> },
    { title: t('returns.createdBy'), dataIndex: 'createdByName', width: 100 },
    { title: t('returns.createdAt'), key: 'createdAt', ...sortable('createdAt'), width: 150, render: (_, r) => formatDateTime(r.createdAt) },
  ];

  return (
    <>
      <PageTitle
        title={t('o2cPages.returnListPage')}
        extra={
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={async () => {
              setExporting(true);
              try {
                await downloadFile('/returns/export', { ...filters }, `${t('returns.exportFileName')}.xlsx`);
              } catch (error) {
                message.error(error instanceof Error ? error.message : String(error));
              } finally {
                setExporting(false);
              }
            }}
          >
            {t('common.export')}
          </Button>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input.Search allowClear placeholder={t('returns.searchPlaceholder')} value={keyword} onChange={(e) => setKeyword(e.target.value)} onSearch={(v) => update({ q: v.trim() || undefined })} style={{ width: 200 }} />
          <Select allowClear placeholder={t('returns.status')} style={{ width: 120 }} value={filters.status} onChange={(v) => update({ status: v })} options={RETURN_STATUSES.map((s) => ({ value: s, label: t(`returns.statuses.${s}`) }))} />
          <Select allowClear placeholder={t('returns.reason')} style={{ width: 120 }} value={filters.reason} onChange={(v) => update({ reason: v })} options={RETURN_REASONS.map((s) => ({ value: s, label: t(`returns.reasons.${s}`) }))} />
          <Select allowClear placeholder={t('returns.resolution')} style={{ width: 120 }} value={filters.resolution} onChange={(v) => update({ resolution: v })} options={RETURN_RESOLUTIONS.map((s) => ({ value: s, label: t(`returns.resolutions.${s}`) }))} />
          <CustomerSelect allowClear placeholder={t('returns.customer')} style={{ width: 240 }} value={filters.customerId ? Number(filters.customerId) : undefined} onChange={(v) => update({ customerId: v })} />
          <Button onClick={clear}>{t('common.reset')}</Button>
        </Space>
      </Card>
      <Table<ReturnRow>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1200 }}
        {...serverTableProps<ReturnRow>({ page, pageSize, total: list.data?.total ?? 0, update, t })}
      />
    </>
  );
}
