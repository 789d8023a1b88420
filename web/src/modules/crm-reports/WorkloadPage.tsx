import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Segmented, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../shared/api';
import { EChart } from '../../shared/EChart';
import { PageTitle } from '../../shared/PageTitle';
import { useUrlState } from '../../shared/urlState';
import { DepartmentTreeSelect } from '../departments/DepartmentTreeSelect';
import {
  drillDownUrl,
  fetchWorkload,
  PERIOD_PRESETS,
  type PeriodPreset,
  readWorkloadFilters,
  WORKLOAD_METRICS,
  type WorkloadMetric,
  type WorkloadRow,
  workloadQuery,
} from './workload';

/** The chart shows at most this many bars (the best or worst by the chosen metric, as sorted). */
const CHART_BARS = 30;

/** 工作量统计: what each rep (or team) did in a period, ranked, with drill-down to the activities. */
export default function WorkloadPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { params, update } = useUrlState();
  const filters = readWorkloadFilters(params);
  const query = workloadQuery(filters);
  const [exporting, setExporting] = useState(false);

  const report = useQuery({
    queryKey: ['crm', 'workload', query],
    queryFn: ({ signal }) => fetchWorkload(query, signal),
    placeholderData: keepPreviousData,
  });
  const rows = report.data?.rows ?? [];
  const byRep = filters.groupBy === 'rep';

  async function exportXlsx() {
    setExporting(true);
    try {
      await downloadFile('/crm/workload/export.xlsx', query, `${t('crmReports.workload.fileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const metricCell = (metric: WorkloadMetric) => (value: number, row: WorkloadRow) => {
    const url = byRep && row.userId !== null && value > 0 ? drillDownUrl(metric, row.userId, filters.from, filters.to) : null;
    return url ? (
      <Link to={url} data-testid={`workload-${metric}-${row.userId}`}>
        {value}
      </Link>
    ) : (
      value
    );
  };

  const columns: TableColumnsType<WorkloadRow> = [
    { title: t('crmReports.workload.rank'), dataIndex: 'rank', key: 'rank', width: 64, fixed: 'left' },
    byRep
      ? { title: t('crmReports.workload.rep'), dataIndex: 'displayName', key: 'displayName', width: 100, fixed: 'left' }
      : { title: t('crmReports.workload.people'), dataIndex: 'people', key: 'people', width: 72 },
    { title: t('crmReports.workload.team'), dataIndex: 'departmentName', key: 'departmentName', width: 120, render: (v: string | null) => v ?? '—' },
    ...WORKLOAD_METRICS.map((metric) => ({
      title: t(`crmReports.workload.metrics.${metric}`),
      dataIndex: metric,
      key: metric,
      width: 96,
      align: 'right' as const,
      sorter: true,
      sortOrder: filters.sort === metric ? (filters.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null,
      sortDirections: ['descend' as const, 'ascend' as const],
      render: metricCell(metric),
    })),
  ];

  const chartRows = useMemo(() => (report.data?.rows ?? []).slice(0, CHART_BARS), [report.data]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 32, bottom: 72 },
      xAxis: { type: 'category', data: chartRows.map((r) => (byRep ? r.displayName : r.departmentName) ?? '—'), axisLabel: { interval: 0, rotate: chartRows.length > 8 ? 40 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: t(`crmReports.workload.metrics.${filters.sort}`), type: 'bar', data: chartRows.map((r) => r[filters.sort]), itemStyle: { color: '#1677ff' } }],
    }),
    [chartRows, byRep, filters.sort, t],
  );

  const presetOptions = PERIOD_PRESETS.map((p) => ({ value: p, label: t(`crmReports.workload.presets.${p}`) }));

  return (
    <>
      <PageTitle
        title={t('crmReports.workload.title')}
        extra={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportXlsx} data-testid="workload-export">
            {t('common.export')}
          </Button>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Segmented<PeriodPreset>
            options={presetOptions}
            value={filters.preset}
            onChange={(preset) => update(preset === 'custom' ? { preset, from: filters.from, to: filters.to } : { preset, from: undefined, to: undefined })}
            data-testid="workload-preset"
          />
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(filters.from), dayjs(filters.to)]}
            onChange={(range) => {
              if (range?.[0] && range[1]) update({ preset: 'custom', from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
            }}
            data-testid="workload-range"
          />
          <Segmented<'rep' | 'team'>
            options={[
              { value: 'rep', label: t('crmReports.workload.byRep') },
              { value: 'team', label: t('crmReports.workload.byTeam') },
            ]}
            value={filters.groupBy}
            onChange={(groupBy) => update({ groupBy: groupBy === 'rep' ? undefined : groupBy })}
            data-testid="workload-group-by"
          />
          <DepartmentTreeSelect
            style={{ width: 220 }}
            value={filters.departmentId ?? null}
            onChange={(value) => update({ departmentId: value ?? undefined })}
            placeholder={t('crmReports.workload.teamFilter')}
            data-testid="workload-department"
          />
          <Select<WorkloadMetric>
            style={{ width: 160 }}
            value={filters.sort}
            options={WORKLOAD_METRICS.map((m) => ({ value: m, label: t(`crmReports.workload.metrics.${m}`) }))}
            onChange={(sort) => update({ sort })}
            data-testid="workload-sort"
          />
        </Space>
        {report.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} message={(report.error as Error).message} />}
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('crmReports.workload.periodNote', { from: filters.from, to: filters.to })}
        </Typography.Paragraph>
        {rows.length > 0 && (
          <EChart
            option={option}
            height={300}
            onClick={({ dataIndex }) => {
              const row = chartRows[dataIndex];
              const url = row && byRep && row.userId !== null ? drillDownUrl(filters.sort, row.userId, filters.from, filters.to) : null;
              if (url) navigate(url);
            }}
          />
        )}
        <Table<WorkloadRow>
          rowKey={(r) => (byRep ? `u${r.userId}` : `d${r.departmentId ?? 0}`)}
          size="small"
          loading={report.isFetching}
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 1500 }}
          data-testid="workload-table"
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            if (typeof s?.field === 'string' && (WORKLOAD_METRICS as readonly string[]).includes(s.field))
              update({ sort: s.field, order: s.order === 'ascend' ? 'asc' : undefined });
          }}
          summary={() =>
            report.data ? (
              <Table.Summary fixed>
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={3}>
                    <strong>{t('crmReports.workload.total', { people: report.data.totals.people })}</strong>
                  </Table.Summary.Cell>
                  {WORKLOAD_METRICS.map((m, i) => (
                    <Table.Summary.Cell key={m} index={i + 3} align="right">
                      <strong>{report.data.totals[m]}</strong>
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </Card>
    </>
  );
}
