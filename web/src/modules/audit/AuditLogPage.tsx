import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, AutoComplete, Button, Card, DatePicker, Input, List, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined, SafetyOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { serverTableProps } from '../../shared/serverTable';
import { useAuth } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { UserSelect } from '../../shared/UserSelect';
import { readPage, useUrlState } from '../../shared/urlState';
import { AUDIT_KEY, listAudit, verifyAuditChain, type AuditEntry } from './audit.api';
import { AuditDiff } from './AuditDiff';
import { auditListQuery, readAuditFilters } from './auditFilters';

/** Entities written by the platform today; the field accepts any other name too. */
const KNOWN_ENTITIES = ['user', 'department', 'role', 'session'];

/** A text filter that applies on Enter or when the field is left, not on every keystroke. */
function useDraft(value: string | undefined): [string, (v: string) => void] {
  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  return [draft, setDraft];
}

export default function AuditLogPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { can } = useAuth();
  const { params, update, clear } = useUrlState();
  const filters = readAuditFilters(params);
  const { page, pageSize } = readPage(params);
  const query = auditListQuery(params);
  const [entity, setEntity] = useDraft(filters.entity);
  const [entityId, setEntityId] = useDraft(filters.entityId);
  const [action, setAction] = useDraft(filters.action);
  const [verifying, setVerifying] = useState(false);

  const entries = useQuery({
    queryKey: [...AUDIT_KEY, query],
    queryFn: ({ signal }) => listAudit(query, signal),
    placeholderData: keepPreviousData,
  });

  const entityLabel = (code: string) => t(`audit.entities.${code}`, { defaultValue: code });

  async function verify() {
    setVerifying(true);
    try {
      const result = await verifyAuditChain();
      if (result.ok) {
        modal.success({ title: t('audit.verifyOk'), content: t('audit.verifyChecked', { count: result.checked }) });
      } else {
        modal.error({
          title: t('audit.verifyFailed', { count: result.problems.length }),
          width: 600,
          content: (
            <>
              <Typography.Paragraph>{t('audit.verifyChecked', { count: result.checked })}</Typography.Paragraph>
              <List
                size="small"
                bordered
                style={{ maxHeight: 320, overflow: 'auto' }}
                dataSource={result.problems}
                renderItem={(p) => (
                  <List.Item>
                    <Typography.Text code>#{p.seq}</Typography.Text> {p.problem}
                  </List.Item>
                )}
              />
            </>
          ),
        });
      }
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setVerifying(false);
    }
  }

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.seq'), dataIndex: 'seq', key: 'seq', width: 90 },
    { title: t('audit.at'), dataIndex: 'at', key: 'at', width: 170, render: (v: string) => formatDateTime(v, true) },
    { title: t('audit.actor'), key: 'actor', width: 140, render: (_, e) => e.actor?.displayName ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text> },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', render: (v: string) => <Tag color="blue">{v}</Tag> },
    { title: t('audit.entity'), dataIndex: 'entity', key: 'entity', render: (v: string) => entityLabel(v) },
    { title: t('audit.entityId'), dataIndex: 'entityId', key: 'entityId', render: (v: string | null) => v ?? '—' },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
  ];

  return (
    <>
      <PageTitle
        title={t('menu.audit')}
        extra={
          can(PERMISSIONS.auditVerify) && (
            <Button icon={<SafetyOutlined />} loading={verifying} onClick={verify} data-testid="audit-verify">
              {t('audit.verify')}
            </Button>
          )
        }
      />
      <Card>
        <Space wrap className="rx-filters" size={[12, 12]}>
          <UserSelect activeOnly={false} style={{ width: 200 }} placeholder={t('audit.filterActor')} value={filters.actorId} onChange={(v) => update({ actorId: v })} data-testid="audit-filter-actor" />
          <AutoComplete
            style={{ width: 160 }}
            allowClear
            placeholder={t('audit.filterEntity')}
            value={entity}
            options={KNOWN_ENTITIES.map((code) => ({ value: code, label: `${entityLabel(code)} (${code})` }))}
            onChange={(v: string) => {
              setEntity(v ?? '');
              if (!v) update({ entity: undefined });
            }}
            onSelect={(v: string) => update({ entity: v })}
            onBlur={() => update({ entity: entity.trim() || undefined })}
            data-testid="audit-filter-entity"
          />
          <Input
            style={{ width: 140 }}
            allowClear
            placeholder={t('audit.filterEntityId')}
            value={entityId}
            onChange={(e) => setEntityId(e.target.value)}
            onPressEnter={() => update({ entityId: entityId.trim() || undefined })}
            onBlur={() => update({ entityId: entityId.trim() || undefined })}
          />
          <Input
            style={{ width: 160 }}
            allowClear
            placeholder={t('audit.filterAction')}
            value={action}
            onChange={(e) => setAction(e.target.value)}
            onPressEnter={() => update({ action: action.trim() || undefined })}
            onBlur={() => update({ action: action.trim() || undefined })}
            data-testid="audit-filter-action"
          />
          <DatePicker.RangePicker
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            allowEmpty={[true, true]}
            onChange={(range) =>
              update({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })
            }
            data-testid="audit-filter-dates"
          />
          <Button icon={<ReloadOutlined />} onClick={clear}>
            {t('common.reset')}
          </Button>
        </Space>
        <Table<AuditEntry>
          rowKey="seq"
          size="middle"
          columns={columns}
          dataSource={entries.data?.items}
          loading={entries.isFetching}
          locale={entries.isError ? { emptyText: entries.error.message } : undefined}
          expandable={{
            rowExpandable: (e) => e.before !== null || e.after !== null,
            expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} />,
          }}
          {...serverTableProps({ page, pageSize, total: entries.data?.total ?? 0, update, t })}
        />
      </Card>
    </>
  );
}
