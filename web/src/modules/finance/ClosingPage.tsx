import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, type ButtonProps, Card, Input, Modal, Space, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatFen } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { type ClosingWarning, closePeriod, fetchPeriods, fetchWarnings, lastClosed, nextClosable, type PeriodRow, reopenPeriod } from './closing.api';

/** 月结: every month with its figures; close the next month that is over (in order), reopen the last closed one. */
export default function ClosingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const periods = useQuery({ queryKey: ['period-closings'], queryFn: ({ signal }) => fetchPeriods(signal) });
  const rows = periods.data ?? [];
  const closable = nextClosable(rows);
  const reopenable = lastClosed(rows);
  const [closing, setClosing] = useState<{ period: string; warnings: ClosingWarning[] } | null>(null);
  const [reopening, setReopening] = useState<string | null>(null);
  const [reason, setReason] = useState('');

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['period-closings'] });
  const close = useMutation({
    mutationFn: (v: { period: string; acknowledge: boolean }) => closePeriod(v.period, v.acknowledge),
    onSuccess: (_data, v) => {
      message.success(t('closing.month.closed', { period: v.period }));
      setClosing(null);
      void refresh();
    },
    onError: (e) => message.error((e as Error).message),
  });
  const reopen = useMutation({
    mutationFn: (v: { period: string; reason: string }) => reopenPeriod(v.period, v.reason),
    onSuccess: (_data, v) => {
      message.success(t('closing.month.reopened', { period: v.period }));
      setReopening(null);
      setReason('');
      void refresh();
    },
    onError: (e) => message.error((e as Error).message),
  });

  async function startClosing(period: string) {
    try {
      setClosing({ period, warnings: await fetchWarnings(period) });
    } catch (e) {
      message.error((e as Error).message);
    }
  }

  const columns: TableColumnsType<PeriodRow> = [
    { title: t('closing.month.period'), dataIndex: 'period', key: 'period', width: 100 },
    {
      title: t('closing.month.status'),
      key: 'status',
      width: 110,
      render: (_: unknown, row) =>
        row.status === 'closed' ? (
          <Tag color="green" data-testid={`period-status-${row.period}`}>{t('closing.month.statusClosed')}</Tag>
        ) : row.over ? (
          <Tag color="orange" data-testid={`period-status-${row.period}`}>{t('closing.month.statusOpen')}</Tag>
        ) : (
          <Tag data-testid={`period-status-${row.period}`}>{t('closing.month.statusRunning')}</Tag>
        ),
    },
    { title: t('closing.month.orders'), key: 'orders', align: 'right', render: (_: unknown, row) => `${row.ordersCount} · ${formatFen(row.ordersFen)}` },
    { title: t('closing.month.shipments'), dataIndex: 'shipmentsCount', key: 'shipments', align: 'right' },
    { title: t('closing.month.blue'), dataIndex: 'blueInvoicedFen', key: 'blue', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('closing.month.red'), dataIndex: 'redInvoicedFen', key: 'red', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('closing.month.received'), dataIndex: 'receivedFen', key: 'received', align: 'right', render: (v: string) => formatFen(v) },
    { title: t('closing.month.receivable'), dataIndex: 'receivableAtEndFen', key: 'receivable', align: 'right', render: (v: string) => formatFen(v) },
    {
      title: t('closing.month.closedBy'),
      key: 'closedBy',
      render: (_: unknown, row) => (row.closedAt ? `${row.closedByName ?? ''} ${formatDateTime(row.closedAt)}` : '—'),
    },
    {
      title: t('common.actions', { defaultValue: '操作' }),
      key: 'actions',
      width: 120,
      render: (_: unknown, row) =>
        row.period === closable ? (
          <Button type="primary" size="small" onClick={() => void startClosing(row.period)} data-testid={`close-${row.period}`}>
            {t('closing.month.close')}
          </Button>
        ) : row.period === reopenable ? (
          <Button size="small" danger onClick={() => setReopening(row.period)} data-testid={`reopen-${row.period}`}>
            {t('closing.month.reopen')}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <PageTitle title={t('o2cPages.closingPage')} />
      <Alert type="info" showIcon message={t('closing.month.rules')} style={{ marginBottom: 16 }} />
      {periods.error && <Alert type="error" showIcon message={(periods.error as Error).message} style={{ marginBottom: 16 }} />}
      <Card>
        <Table<PeriodRow> rowKey="period" size="small" loading={periods.isLoading} pagination={false} columns={columns} dataSource={rows} data-testid="periods-table" />
      </Card>
      <Modal
        open={!!closing}
        title={t('closing.month.confirmTitle', { period: closing?.period ?? '' })}
        okText={t('closing.month.close')}
        okButtonProps={{ 'data-testid': 'close-confirm' } as ButtonProps}
        confirmLoading={close.isPending}
        onOk={() => closing && close.mutate({ period: closing.period, acknowledge: closing.warnings.length > 0 })}
        onCancel={() => setClosing(null)}
      >
        <p>{t('closing.month.confirmText')}</p>
        {closing && closing.warnings.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="close-warnings"
            message={t('closing.month.warningsTitle')}
            description={
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {closing.warnings.map((w) => (
                  <li key={w.kind}>{t(`closing.warnings.${w.kind}`, { count: w.count })}</li>
                ))}
              </ul>
            }
          />
        )}
      </Modal>
      <Modal
        open={!!reopening}
        title={t('closing.month.reopenTitle', { period: reopening ?? '' })}
        okText={t('closing.month.reopen')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        confirmLoading={reopen.isPending}
        onOk={() => reopening && reopen.mutate({ period: reopening, reason: reason.trim() })}
        onCancel={() => setReopening(null)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>{t('closing.month.reason')}</span>
          <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reopen-reason" />
        </Space>
      </Modal>
    </>
  );
}
