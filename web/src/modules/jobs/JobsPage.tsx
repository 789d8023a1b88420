import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { serverTableProps } from '../../shared/serverTable';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { readPage, useUrlState } from '../../shared/urlState';
import { JOB_OUTCOMES, JOBS_KEY, listJobRuns, listJobs, runJobNow, type JobOutcome, type JobRun, type JobSummary } from './jobs.api';

const OUTCOME_COLORS: Record<JobOutcome, string> = { ok: 'green', failed: 'red', skipped_locked: 'default' };

export function OutcomeTag({ outcome }: { outcome: JobOutcome }) {
  const { t } = useTranslation();
  return <Tag color={OUTCOME_COLORS[outcome]}>{t(`jobs.outcomes.${outcome}`)}</Tag>;
}

/** 系统管理 → 定时任务: the jobs declared in code, their next and last run, "run now", and the run history. */
export default function JobsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const { params, update, clear } = useUrlState();
  const { page, pageSize } = readPage(params);
  const jobFilter = params.get('job') ?? undefined;
  const outcomeParam = params.get('outcome');
  const outcomeFilter = JOB_OUTCOMES.includes(outcomeParam as JobOutcome) ? (outcomeParam as JobOutcome) : undefined;
  const query = { page, pageSize, job: jobFilter, outcome: outcomeFilter };

  const jobs = useQuery({ queryKey: [...JOBS_KEY, 'list'], queryFn: ({ signal }) => listJobs(signal) });
  const runs = useQuery({
    queryKey: [...JOBS_KEY, 'runs', query],
    queryFn: ({ signal }) => listJobRuns(query, signal),
    placeholderData: keepPreviousData,
  });

  const runNow = useMutation({
    mutationFn: runJobNow,
    onSuccess: (run) => {
      if (run.outcome === 'ok') message.success(t('jobs.runOk', { job: run.job, ms: run.durationMs }));
      else if (run.outcome === 'skipped_locked') message.warning(t('jobs.runSkipped', { job: run.job }));
      else message.error(t('jobs.runFailed', { job: run.job, message: run.message ?? '' }));
      void queryClient.invalidateQueries({ queryKey: JOBS_KEY });
    },
    onError: (err) => message.error(err.message),
  });

  const jobColumns: TableColumnsType<JobSummary> = [
    { title: t('jobs.name'), dataIndex: 'name', key: 'name', width: 190, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('jobs.description'), dataIndex: 'description', key: 'description' },
    { title: t('jobs.cron'), dataIndex: 'cron', key: 'cron', width: 130, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('jobs.nextRun'), dataIndex: 'nextRunAt', key: 'nextRunAt', width: 170, render: (v: string | null) => formatDateTime(v) },
    {
      title: t('jobs.lastRun'),
      key: 'lastRun',
      width: 260,
      render: (_, job) =>
        job.lastRun ? (
          <Tooltip title={job.lastRun.message ?? undefined}>
            <Space size={4}>
              <OutcomeTag outcome={job.lastRun.outcome} />
              <span>{formatDateTime(job.lastRun.startedAt, true)}</span>
            </Space>
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">{t('jobs.never')}</Typography.Text>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_, job) =>
        can(PERMISSIONS.jobsRun) && (
          <Button
            size="small"
            icon={<PlayCircleOutlined />}
            loading={runNow.isPending && runNow.variables === job.name}
            onClick={() => runNow.mutate(job.name)}
            data-testid={`job-run-${job.name}`}
          >
            {t('jobs.runNow')}
          </Button>
        ),
    },
  ];

  const runColumns: TableColumnsType<JobRun> = [
    { title: t('jobs.name'), dataIndex: 'job', key: 'job', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('jobs.scheduledFor'), dataIndex: 'scheduledFor', key: 'scheduledFor', width: 170, render: (v: string) => formatDateTime(v, true) },
    { title: t('jobs.startedAt'), dataIndex: 'startedAt', key: 'startedAt', width: 170, render: (v: string) => formatDateTime(v, true) },
    { title: t('jobs.outcome'), dataIndex: 'outcome', key: 'outcome', width: 110, render: (v: JobOutcome) => <OutcomeTag outcome={v} /> },
    { title: t('jobs.duration'), dataIndex: 'durationMs', key: 'durationMs', width: 100, render: (v: number) => t('jobs.ms', { ms: v }) },
    { title: t('jobs.trigger'), dataIndex: 'triggeredBy', key: 'triggeredBy', width: 100, render: (v: number | null) => (v === null ? t('jobs.bySchedule') : t('jobs.byHand')) },
    { title: t('jobs.message'), dataIndex: 'message', key: 'message', ellipsis: true, render: (v: string | null) => v ?? '—' },
  ];

  return (
    <>
      <PageTitle title={t('menu.jobs')} />
      <Card style={{ marginBottom: 16 }}>
        <Table<JobSummary>
          rowKey="name"
          size="middle"
          columns={jobColumns}
          dataSource={jobs.data?.items}
          loading={jobs.isFetching}
          locale={jobs.isError ? { emptyText: jobs.error.message } : undefined}
          pagination={false}
          data-testid="jobs-table"
        />
      </Card>
      <Card title={t('jobs.history')}>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Select
            style={{ width: 220 }}
            allowClear
            placeholder={t('jobs.filterJob')}
            value={jobFilter}
            options={(jobs.data?.items ?? []).map((j) => ({ value: j.name, label: j.name }))}
            onChange={(v?: string) => update({ job: v })}
            data-testid="jobs-filter-job"
          />
          <Select
            style={{ width: 160 }}
            allowClear
            placeholder={t('jobs.filterOutcome')}
            value={outcomeFilter}
            options={JOB_OUTCOMES.map((o) => ({ value: o, label: t(`jobs.outcomes.${o}`) }))}
            onChange={(v?: string) => update({ outcome: v })}
            data-testid="jobs-filter-outcome"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<JobRun>
          rowKey="id"
          size="middle"
          columns={runColumns}
          dataSource={runs.data?.items}
          loading={runs.isFetching}
          locale={runs.isError ? { emptyText: runs.error.message } : undefined}
          {...serverTableProps({ page, pageSize, total: runs.data?.total ?? 0, update, t })}
          data-testid="job-runs-table"
        />
      </Card>
    </>
  );
}
