import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Input, Segmented, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { AppstoreOutlined, DownloadOutlined, PlusOutlined, ReloadOutlined, UnorderedListOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { downloadFile } from '../../shared/api';
import { CustomerSelect } from '../../shared/CustomerSelect';
import { formatDate, formatFen } from '../../shared/format';
import { fenToYuanText, parseYuanText } from '../../shared/money';
import { PageTitle } from '../../shared/PageTitle';
import { serverTableProps } from '../../shared/serverTable';
import { UserSelect } from '../../shared/UserSelect';
import { parseSort, readPage, useUrlState } from '../../shared/urlState';
import { TerritorySelect } from '../territories/TerritorySelect';
import { OpportunityBoard } from './OpportunityBoard';
import { OpportunityFormDrawer } from './OpportunityFormDrawer';
import { OPPORTUNITIES_KEY, OPPORTUNITY_STATUSES, STAGES_KEY, listOpportunities, listStages, stageLabel, type OpportunityListRow } from './opportunities.api';
import { StatusTag } from './opportunityLabels';
import { opportunityBoardQuery, opportunityFiltersToQuery, opportunityListQuery, readOpportunityFilters } from './opportunityFilters';

/** 销售机会: the list (server paging, sort, filters in the URL, export) or the kanban board (?view=board). */
export default function OpportunityListPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { params, update, clear } = useUrlState();
  const view = params.get('view') === 'board' ? 'board' : 'list';
  const filters = readOpportunityFilters(params);
  const { page, pageSize } = readPage(params);
  const sort = parseSort(filters.sort);
  const query = opportunityListQuery(params);
  const [keyword, setKeyword] = useState(filters.q ?? '');
  useEffect(() => setKeyword(filters.q ?? ''), [filters.q]);
  const [amountMin, setAmountMin] = useState(filters.amountMin ? fenToYuanText(filters.amountMin) : '');
  const [amountMax, setAmountMax] = useState(filters.amountMax ? fenToYuanText(filters.amountMax) : '');
  useEffect(() => setAmountMin(filters.amountMin ? fenToYuanText(filters.amountMin) : ''), [filters.amountMin]);
  useEffect(() => setAmountMax(filters.amountMax ? fenToYuanText(filters.amountMax) : ''), [filters.amountMax]);
  const [exporting, setExporting] = useState(false);
  const [creating, setCreating] = useState(false);
  const canWrite = can(PERMISSIONS.opportunitiesWrite);

  const stages = useQuery({ queryKey: STAGES_KEY, queryFn: ({ signal }) => listStages(signal) });
  const list = useQuery({
    queryKey: [...OPPORTUNITIES_KEY, 'list', query],
    queryFn: ({ signal }) => listOpportunities(query, signal),
    placeholderData: keepPreviousData,
    enabled: view === 'list',
  });

  async function exportList() {
    setExporting(true);
    try {
      await downloadFile('/opportunities/export', opportunityFiltersToQuery(filters), `${t('opportunities.exportFileName')}.xlsx`);
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  }

  const amountFilter = (name: 'amountMin' | 'amountMax', text: string) => {
    const fen = text.trim() ? parseYuanText(text) : null;
    if (text.trim() && fen === null) {
      message.warning(t('opportunities.amountInvalid'));
      return;
    }
    update({ [name]: fen === null ? undefined : String(fen) });
  };

  const sortable = (field: string) => ({ sorter: true, sortOrder: sort.field === field ? sort.order : null });
  const columns: TableColumnsType<OpportunityListRow> = [
    { title: t('opportunities.name'), key: 'name', ...sortable('name'), width: 200, render: (_, o) => <Link to={`/opportunities/${o.id}`}>{o.name}</Link> },
    { title: t('opportunities.customer'), key: 'customer', ...sortable('customer'), width: 220, render: (_, o) => <Link to={`/customers/${o.customerId}?tab=opportunities`}>{o.customerName}</Link> },
    {
      title: t('opportunities.stage'),
      key: 'stage',
      ...sortable('stage'),
      width: 130,
      render: (_, o) => (
        <Space size={4}>
          {stageLabel(i18n.language, { name: o.stageName, nameEn: o.stageNameEn })}
          {o.status !== 'open' && <StatusTag status={o.status} />}
        </Space>
      ),
    },
    { title: t('opportunities.amount'), key: 'amount', ...sortable('amount'), width: 140, align: 'right', render: (_, o) => formatFen(o.amountFen) },
    { title: t('opportunities.probability'), key: 'probability', ...sortable('probability'), width: 90, align: 'right', render: (_, o) => `${o.probability}%` },
    { title: t('opportunities.weighted'), key: 'weighted', width: 140, align: 'right', render: (_, o) => formatFen(o.weightedFen) },
    { title: t('opportunities.expectedCloseOn'), key: 'expectedCloseOn', ...sortable('expectedCloseOn'), width: 120, render: (_, o) => formatDate(o.expectedCloseOn) },
    { title: t('opportunities.competitor'), dataIndex: 'competitor', key: 'competitor', width: 120 },
    { title: t('opportunities.owner'), dataIndex: 'ownerName', key: 'owner', width: 100 },
    { title: t('opportunities.updatedAt'), key: 'updatedAt', ...sortable('updatedAt'), width: 120, render: (_, o) => formatDate(o.updatedAt) },
  ];

  return (
    <>
      <PageTitle
        title={t('menu.opportunities')}
        extra={
          <Space>
            <Segmented
              value={view}
              onChange={(v) => update({ view: v === 'board' ? 'board' : undefined })}
              options={[
                { value: 'list', label: t('opportunities.viewList'), icon: <UnorderedListOutlined /> },
                { value: 'board', label: t('opportunities.viewBoard'), icon: <AppstoreOutlined /> },
              ]}
              data-testid="opportunities-view"
            />
            {view === 'list' && (
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportList} data-testid="opportunities-export">
                {t('common.export')}
              </Button>
            )}
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="opportunities-new">
                {t('opportunities.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]} style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            style={{ width: 240 }}
            placeholder={t('opportunities.keywordPlaceholder')}
            value={keyword}
            onChange={(e) => {
              setKeyword(e.target.value);
              if (!e.target.value) update({ q: undefined });
            }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            data-testid="opportunities-filter-q"
          />
          {view === 'list' && (
            <>
              <Select
                allowClear
                style={{ width: 110 }}
                placeholder={t('opportunities.status')}
                value={filters.status}
                onChange={(value) => update({ status: value })}
                options={OPPORTUNITY_STATUSES.map((s) => ({ value: s, label: t(`opportunities.statuses.${s}`) }))}
              />
              <Select
                allowClear
                style={{ width: 140 }}
                placeholder={t('opportunities.stage')}
                value={filters.stageId}
                onChange={(value) => update({ stageId: value })}
                options={(stages.data ?? []).map((s) => ({ value: s.id, label: stageLabel(i18n.language, s) }))}
              />
            </>
          )}
          <CustomerSelect style={{ width: 220 }} allowClear placeholder={t('opportunities.customer')} value={filters.customerId} onChange={(value) => update({ customerId: value ?? undefined })} />
          <UserSelect style={{ width: 140 }} allowClear placeholder={t('opportunities.owner')} value={filters.ownerId} onChange={(value) => update({ ownerId: value ?? undefined })} />
          <TerritorySelect style={{ width: 160 }} allowClear placeholder={t('opportunities.region')} value={filters.territoryId} onChange={(value) => update({ territoryId: value ?? undefined })} />
          <DatePicker.RangePicker
            style={{ width: 250 }}
            placeholder={[t('opportunities.closeFrom'), t('opportunities.closeTo')]}
            value={[filters.closeFrom ? dayjs(filters.closeFrom) : null, filters.closeTo ? dayjs(filters.closeTo) : null]}
            allowEmpty={[true, true]}
            onChange={(range) => update({ closeFrom: range?.[0]?.format('YYYY-MM-DD'), closeTo: range?.[1]?.format('YYYY-MM-DD') })}
          />
          <Space.Compact>
            <Input style={{ width: 110 }} prefix="¥" placeholder={t('opportunities.amountMin')} value={amountMin} onChange={(e) => setAmountMin(e.target.value)} onBlur={() => amountFilter('amountMin', amountMin)} onPressEnter={() => amountFilter('amountMin', amountMin)} />
            <Input style={{ width: 110 }} prefix="¥" placeholder={t('opportunities.amountMax')} value={amountMax} onChange={(e) => setAmountMax(e.target.value)} onBlur={() => amountFilter('amountMax', amountMax)} onPressEnter={() => amountFilter('amountMax', amountMax)} />
          </Space.Compact>
          <Button icon={<ReloadOutlined />} onClick={() => (view === 'board' ? update({ q: undefined, customerId: undefined, ownerId: undefined, territoryId: undefined, closeFrom: undefined, closeTo: undefined, amountMin: undefined, amountMax: undefined }) : clear())}>
            {t('common.reset')}
          </Button>
        </Space>
        {view === 'board' ? (
          <OpportunityBoard query={opportunityBoardQuery(params)} canWrite={canWrite} />
        ) : (
          <Table<OpportunityListRow>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.data?.items}
            loading={list.isFetching}
            scroll={{ x: 1400 }}
            locale={list.isError ? { emptyText: <Typography.Text type="danger">{list.error.message}</Typography.Text> } : undefined}
            {...serverTableProps<OpportunityListRow>({ page, pageSize, total: list.data?.total ?? 0, update, t })}
          />
        )}
      </Card>
      <OpportunityFormDrawer open={creating} onClose={() => setCreating(false)} onSaved={(o) => view === 'list' && navigate(`/opportunities/${o.id}`)} />
    </>
  );
}
