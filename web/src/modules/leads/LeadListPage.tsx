import { useEffect, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Input, Select, Space, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined, UploadOutlined, UserAddOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { formatDate } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { UserSelect } from '../../shared/UserSelect';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { TerritorySelect } from '../territories/TerritorySelect';
import { AssignLeadsModal } from './AssignLeadsModal';
import { LeadFormDrawer } from './LeadFormDrawer';
import { LeadGradeTag, LeadStatusTag } from './leadLabels';
import { LEAD_VIEWS, leadFiltersToQuery, leadListQuery, readLeadFilters, type LeadView } from './leadFilters';
import { GRADES, LEAD_STATUSES, LEADS_KEY, SOURCES, claimLead, listLeads, type LeadListRow } from './leads.api';

/** 潜在客户: my leads, my team's, the pool, everything in scope; filters in the URL, server paging. */
export default function LeadListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const assigner = can(PERMISSIONS.leadsAssign);
  // Reps start with their own leads; assigners and readers (management) with everything in scope.
  const defaultView: LeadView = assigner || !can(PERMISSIONS.leadsWrite) ? 'all' : 'mine';
  const { params, update, clear } = useUrlState();
  const filters = readLeadFilters(params, defaultView);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = leadListQuery(params, defaultView);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [assigning, setAssigning] = useState(false);
  const [exporting, setExporting] = useState(false);

  const leads = useQuery({ queryKey: [...LEADS_KEY, 'list', query], queryFn: ({ signal }) => listLeads(query, signal), placeholderData: keepPreviousData });
  const claim = useMutation({
    mutationFn: (id: number) => claimLead(id),
    onSuccess: async (lead) => {
      message.success(t('leads.claimed', { name: lead.organisation }));
      await queryClient.invalidateQueries({ queryKey: LEADS_KEY });
    },
    onError: (e) => message.error(e.message),
  });

  async function exportLeads() {
    setExporting(true);
    try {
      await downloadFile('/leads/export.xlsx', leadFiltersToQuery(filters), `${t('leads.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<LeadListRow> = [
    { title: t('leads.code'), dataIndex: 'code', key: 'code', ...sortable('code'), width: 100 },
    {
      title: t('leads.organisation'),
      key: 'organisation',
      ...sortable('organisation'),
      width: 240,
      render: (_, l) => <Link to={`/leads/${l.id}`}>{l.organisation}</Link>,
    },
    { title: t('leads.contactName'), dataIndex: 'contactName', key: 'contactName', width: 100 },
    { title: t('leads.phone'), dataIndex: 'phone', key: 'phone', width: 130 },
    { title: t('leads.territory'), dataIndex: 'territoryName', key: 'territory', ...sortable('territory'), width: 180 },
    { title: t('leads.source'), key: 'source', width: 90, render: (_, l) => t(`customer.sources.${l.source}`) },
    { title: t('leads.grade'), key: 'grade', ...sortable('grade'), width: 100, render: (_, l) => <LeadGradeTag grade={l.grade} t={t} /> },
    { title: t('leads.nextFollowUpOn'), key: 'nextFollowUpOn', ...sortable('nextFollowUpOn'), width: 110, render: (_, l) => l.nextFollowUpOn ?? '—' },
    { title: t('leads.owner'), key: 'owner', width: 100, render: (_, l) => l.ownerName ?? <Typography.Text type="secondary">{t('leads.pool')}</Typography.Text> },
    { title: t('leads.status'), key: 'status', ...sortable('status'), width: 100, render: (_, l) => <LeadStatusTag status={l.status} t={t} /> },
    { title: t('leads.createdAt'), key: 'createdAt', ...sortable('createdAt'), width: 110, render: (_, l) => formatDate(l.createdAt) },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 90,
      render: (_, l) =>
        l.ownerId === null && l.status === 'open' && can(PERMISSIONS.leadsWrite) ? (
          <Button size="small" type="link" loading={claim.isPending && claim.variables === l.id} onClick={() => claim.mutate(l.id)} data-testid={`lead-claim-${l.id}`}>
            {t('leads.claim')}
          </Button>
        ) : null,
    },
  ];

  const range = filters.createdFrom || filters.createdTo ? ([filters.createdFrom ? dayjs(filters.createdFrom) : null, filters.createdTo ? dayjs(filters.createdTo) : null] as const) : null;

  return (
    <>
      <PageTitle
        title={t('menu.leads')}
        extra={
          <Space>
            {can(PERMISSIONS.leadsImport) && (
              <Link to="/leads/import">
                <Button icon={<UploadOutlined />}>{t('common.import')}</Button>
              </Link>
            )}
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportLeads} data-testid="leads-export">
              {t('common.export')}
            </Button>
            {can(PERMISSIONS.leadsWrite) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="leads-new">
                {t('leads.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Tabs
          activeKey={filters.view}
          onChange={(key) => {
            setSelected([]);
            update({ view: key === defaultView ? undefined : key });
          }}
          items={LEAD_VIEWS.map((v) => ({ key: v, label: <span data-testid={`leads-view-${v}`}>{t(`leads.views.${v}`)}</span> }))}
        />
        <Space wrap className="rx-filters" size={[12, 12]}>
          <Input.Search
            allowClear
            style={{ width: 260 }}
            placeholder={t('leads.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="leads-filter-q"
          />
          <Select allowClear style={{ width: 110 }} placeholder={t('leads.status')} value={filters.status} onChange={(v) => update({ status: v })} options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.statuses.${s}`) }))} />
          <Select allowClear style={{ width: 120 }} placeholder={t('leads.grade')} value={filters.grade} onChange={(v) => update({ grade: v })} options={GRADES.map((g) => ({ value: g, label: t(`customer.grades.${g}`) }))} />
          <Select allowClear style={{ width: 120 }} placeholder={t('leads.source')} value={filters.source} onChange={(v) => update({ source: v })} options={SOURCES.map((s) => ({ value: s, label: t(`customer.sources.${s}`) }))} />
          <TerritorySelect style={{ width: 200 }} placeholder={t('leads.territory')} value={filters.territoryId} onChange={(v) => update({ territoryId: v ?? undefined })} />
          {filters.view !== 'mine' && filters.view !== 'pool' && (
            <UserSelect allowClear style={{ width: 150 }} placeholder={t('leads.owner')} value={filters.ownerId} onChange={(v) => update({ ownerId: v ?? undefined })} />
          )}
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('leads.followUp')}
            value={filters.followUp}
            onChange={(v) => update({ followUp: v })}
            options={[
              { value: 'due', label: t('leads.followUpDue') },
              { value: 'overdue', label: t('leads.followUpOverdue') },
            ]}
          />
          <DatePicker.RangePicker
            value={range as never}
            placeholder={[t('leads.createdFrom'), t('leads.createdTo')]}
            onChange={(v) => update({ createdFrom: v?.[0]?.format('YYYY-MM-DD'), createdTo: v?.[1]?.format('YYYY-MM-DD') })}
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
          {assigner && (
            <Button icon={<UserAddOutlined />} disabled={selected.length === 0} onClick={() => setAssigning(true)} data-testid="leads-assign">
              {t('leads.assign')}
              {selected.length > 0 ? ` (${selected.length})` : ''}
            </Button>
          )}
        </Space>
        <Table<LeadListRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={leads.data?.items}
          loading={leads.isFetching}
          scroll={{ x: 1500 }}
          rowSelection={assigner ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (l) => ({ disabled: l.status !== 'open' }) } : undefined}
          locale={leads.isError ? { emptyText: <Typography.Text type="danger">{leads.error.message}</Typography.Text> } : undefined}
          data-testid="leads-table"
          {...serverTableProps<LeadListRow>({ page, pageSize, total: leads.data?.total ?? 0, update, t })}
        />
      </Card>
      <LeadFormDrawer open={creating} onClose={() => setCreating(false)} />
      <AssignLeadsModal
        open={assigning}
        leadIds={selected}
        onClose={(done) => {
          setAssigning(false);
          if (done) setSelected([]);
        }}
      />
    </>
  );
}
