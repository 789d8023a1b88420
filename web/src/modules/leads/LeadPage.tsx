import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Input, Modal, Radio, Result, Row, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { CalendarOutlined, EditOutlined, ExportOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../app/auth';
import { PERMISSIONS } from '../../app/permissions';
import { isApiError } from '../../shared/api';
import { formatDate, formatDateTime } from '../../shared/format';
import { PageTitle } from '../../shared/PageTitle';
import { AssignLeadsModal } from './AssignLeadsModal';
import { LeadEventTimeline } from './LeadEventTimeline';
import { LeadFormDrawer } from './LeadFormDrawer';
import { LeadGradeTag, LeadStatusTag } from './leadLabels';
import { GRADES, LEAD_STAGES, LEADS_KEY, claimLead, closeLead, convertLead, getLead, gradeLead, releaseLead, reopenLead, stageLead, type LeadDetail } from './leads.api';

/** One lead: its file, grade (C/B/A/H/O) with history, stage, owner actions, conversion and timeline. */
export default function LeadPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const leadId = Number(id);
  const { message } = App.useApp();
  const { can } = useAuth();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [assigning, setAssigning] = useState(false);
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState('');

  const key = [...LEADS_KEY, 'detail', leadId];
  const lead = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => getLead(leadId, signal),
    enabled: Number.isInteger(leadId) && leadId > 0,
    retry: (count, error) => !isApiError(error) && count < 2,
  });

  const act = useMutation({
    mutationFn: (fn: () => Promise<LeadDetail>) => fn(),
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved);
      void queryClient.invalidateQueries({ queryKey: [...LEADS_KEY, 'list'] });
    },
    onError: async (e) => {
      message.error(e.message);
      if (isApiError(e, 'CONFLICT_VERSION')) await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const convert = useMutation({
    mutationFn: () => convertLead(leadId),
    onSuccess: async ({ applicationId }) => {
      await queryClient.invalidateQueries({ queryKey: LEADS_KEY });
      navigate(`/customer-applications/${applicationId}/edit`);
    },
    onError: (e) => message.error(e.message),
  });

  if (lead.isLoading) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  if (lead.isError || !lead.data) return <Result status="404" title={t('leads.notFound')} extra={<Link to="/leads">{t('leads.backToList')}</Link>} />;
  const l = lead.data;
  const assigner = can(PERMISSIONS.leadsAssign);
  const mine = l.ownerId === me.id;
  const mayChange = can(PERMISSIONS.leadsWrite) && (mine || assigner);
  const workable = mayChange && (l.status === 'open' || l.status === 'converting');
  const or = (v: string | null | undefined) => v || '—';
  const gradeHistory = l.events.filter((e) => e.kind === 'graded');

  return (
    <>
      <PageTitle
        title={l.organisation}
        extra={
          <Space wrap>
            <LeadStatusTag status={l.status} t={t} />
            <Link to={`/activities?leadId=${l.id}`}>
              <Button icon={<CalendarOutlined />} data-testid="lead-activities">
                {t('leads.activities', { count: l.activityCount })}
              </Button>
            </Link>
            {mayChange && l.status === 'open' && (
              <Link to={`/activities?leadId=${l.id}&new=1`}>
                <Button icon={<PlusOutlined />}>{t('leads.logActivity')}</Button>
              </Link>
            )}
            {workable && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="lead-edit">
                {t('common.edit')}
              </Button>
            )}
            {l.status === 'open' && l.ownerId === null && can(PERMISSIONS.leadsWrite) && (
              <Button onClick={() => act.mutate(() => claimLead(l.id))} data-testid="lead-claim">
                {t('leads.claim')}
              </Button>
            )}
            {l.status === 'open' && assigner && <Button onClick={() => setAssigning(true)}>{t('leads.assign')}</Button>}
            {l.status === 'open' && l.ownerId !== null && mayChange && (
              <Button onClick={() => act.mutate(() => releaseLead(l.id))} data-testid="lead-release">
                {t('leads.release')}
              </Button>
            )}
            {l.status === 'open' && mayChange && <Button onClick={() => setClosing(true)}>{t('leads.close')}</Button>}
            {l.status === 'closed' && mayChange && <Button onClick={() => act.mutate(() => reopenLead(l.id, l.version))}>{t('leads.reopen')}</Button>}
            {l.status === 'open' && mayChange && can(PERMISSIONS.customerApplicationsCreate) && (
              <Button type="primary" icon={<ExportOutlined />} loading={convert.isPending} onClick={() => convert.mutate()} data-testid="lead-convert">
                {t('leads.convert')}
              </Button>
            )}
          </Space>
        }
      />
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card>
              <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} data-testid="lead-profile">
                <Descriptions.Item label={t('leads.code')}>{l.code}</Descriptions.Item>
                <Descriptions.Item label={t('leads.owner')}>{l.ownerName ?? <Tag>{t('leads.pool')}</Tag>}</Descriptions.Item>
                <Descriptions.Item label={t('leads.contactName')}>
                  {or(l.contactName)} {l.contactTitle ? `（${l.contactTitle}）` : ''}
                </Descriptions.Item>
                <Descriptions.Item label={t('leads.phone')}>{or(l.phone)}</Descriptions.Item>
                <Descriptions.Item label={t('leads.territory')}>{or(l.territoryName)}</Descriptions.Item>
                <Descriptions.Item label={t('leads.address')}>{or(l.address)}</Descriptions.Item>
                <Descriptions.Item label={t('leads.source')}>{t(`customer.sources.${l.source}`)}</Descriptions.Item>
                <Descriptions.Item label={t('leads.customerType')}>{l.customerType ? t(`customer.types.${l.customerType}`) : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('leads.nextFollowUpOn')}>{or(l.nextFollowUpOn)}</Descriptions.Item>
                <Descriptions.Item label={t('leads.createdAt')}>{formatDateTime(l.createdAt)}</Descriptions.Item>
                <Descriptions.Item label={t('leads.products')} span={2}>
                  {l.products.length ? l.products.map((p) => <Tag key={p.id}>{p.name}</Tag>) : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('leads.notes')} span={2}>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{or(l.notes)}</Typography.Paragraph>
                </Descriptions.Item>
                {l.closedReason && (
                  <Descriptions.Item label={t('leads.closedReason')} span={2}>
                    {l.closedReason}
                  </Descriptions.Item>
                )}
                {l.applicationId && (
                  <Descriptions.Item label={t('leads.application')}>
                    <Link to={`/customer-applications/${l.applicationId}`}>{l.applicationNumber}</Link>
                  </Descriptions.Item>
                )}
                {l.customerId && (
                  <Descriptions.Item label={t('leads.customer')}>
                    <Link to={`/customers/${l.customerId}`}>{l.customerCode}</Link>
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
            <Card title={t('leads.gradeAndStage')}>
              <Space direction="vertical" size={12} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text>{t('leads.grade')}</Typography.Text>
                  <Radio.Group
                    optionType="button"
                    buttonStyle="solid"
                    value={l.grade}
                    disabled={!workable || act.isPending}
                    onChange={(e) => act.mutate(() => gradeLead(l.id, e.target.value, l.version))}
                    options={GRADES.map((g) => ({ value: g, label: <span data-testid={`lead-grade-${g}`}>{t(`customer.grades.${g}`)}</span> }))}
                  />
                  <Typography.Text type="secondary">{t('leads.gradeChangedAt', { date: formatDate(l.gradeChangedAt) })}</Typography.Text>
                </Space>
                <Space wrap>
                  <Typography.Text>{t('leads.stage')}</Typography.Text>
                  <Select
                    style={{ width: 160 }}
                    value={l.lifecycleStage}
                    disabled={!workable || act.isPending}
                    onChange={(stage) => act.mutate(() => stageLead(l.id, stage as (typeof LEAD_STAGES)[number], l.version))}
                    options={LEAD_STAGES.map((s) => ({ value: s, label: t(`customer.lifecycleStages.${s}`) }))}
                  />
                </Space>
                {gradeHistory.length > 0 && (
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={gradeHistory}
                    columns={[
                      { title: t('leads.gradeFrom'), key: 'from', render: (_, e) => <LeadGradeTag grade={e.details.from as LeadDetail['grade']} t={t} /> },
                      { title: t('leads.gradeTo'), key: 'to', render: (_, e) => <LeadGradeTag grade={e.details.to as LeadDetail['grade']} t={t} /> },
                      { title: t('leads.changedAt'), key: 'at', render: (_, e) => formatDateTime(e.at) },
                      { title: t('leads.changedBy'), key: 'by', render: (_, e) => e.actorName ?? '—' },
                    ]}
                    data-testid="lead-grade-history"
                  />
                )}
              </Space>
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('leads.history')}>
            <LeadEventTimeline events={l.events} />
          </Card>
        </Col>
      </Row>
      <LeadFormDrawer open={editing} onClose={() => setEditing(false)} lead={l} />
      <AssignLeadsModal open={assigning} leadIds={[l.id]} onClose={() => setAssigning(false)} />
      <Modal
        open={closing}
        title={t('leads.closeTitle')}
        onCancel={() => setClosing(false)}
        okButtonProps={{ disabled: !reason.trim() }}
        onOk={() => {
          act.mutate(() => closeLead(l.id, reason.trim(), l.version), { onSuccess: () => setClosing(false) });
        }}
        destroyOnHidden
      >
        <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('leads.closeReason')} />
      </Modal>
    </>
  );
}
