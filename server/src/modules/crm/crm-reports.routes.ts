import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { buildXlsx, type ExportColumn, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { WORKLOAD_METRICS, type WorkloadMetric, type WorkloadRow, workloadReport } from './crm-reports.service.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date.format' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: 'date.format' });

const workloadQuery = z.object({
  from: day,
  to: day,
  groupBy: z.enum(['rep', 'team']).default('rep'),
  departmentId: z.coerce.number().int().positive().optional(),
  sort: z.enum(WORKLOAD_METRICS).default('visits'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

const metrics = z.object(Object.fromEntries(WORKLOAD_METRICS.map((m) => [m, z.number().int()])) as Record<WorkloadMetric, z.ZodNumber>);
const workloadRow = metrics.extend({
  rank: z.number().int(),
  userId: z.number().int().nullable(),
  displayName: z.string().nullable(),
  departmentId: z.number().int().nullable(),
  departmentName: z.string().nullable(),
  people: z.number().int(),
});
const workloadReply = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['rep', 'team']),
  sort: z.enum(WORKLOAD_METRICS),
  order: z.enum(['asc', 'desc']),
  rows: z.array(workloadRow),
  totals: metrics.extend({ people: z.number().int() }),
});

/** Column headers of the export, the same words as the page. */
const METRIC_HEADERS: Record<WorkloadMetric, Record<Locale, string>> = {
  visits: { 'zh-CN': '拜访', 'en-US': 'Visits' },
  calls: { 'zh-CN': '电话', 'en-US': 'Calls' },
  otherContacts: { 'zh-CN': '其他联系', 'en-US': 'Other contacts' },
  planned: { 'zh-CN': '计划中', 'en-US': 'Planned' },
  customersContacted: { 'zh-CN': '联系客户数', 'en-US': 'Customers contacted' },
  newLeads: { 'zh-CN': '新增线索', 'en-US': 'New leads' },
  followUpsDone: { 'zh-CN': '已完成跟进', 'en-US': 'Follow-ups done' },
  followUpsOverdue: { 'zh-CN': '逾期跟进', 'en-US': 'Follow-ups overdue' },
  opportunitiesMoved: { 'zh-CN': '商机推进', 'en-US': 'Opportunities moved' },
  opportunitiesWon: { 'zh-CN': '赢单', 'en-US': 'Won' },
  opportunitiesLost: { 'zh-CN': '输单', 'en-US': 'Lost' },
  commentsReceived: { 'zh-CN': '收到批注', 'en-US': 'Comments received' },
};

function exportColumns(groupBy: 'rep' | 'team'): ExportColumn<WorkloadRow>[] {
  const who: ExportColumn<WorkloadRow>[] =
    groupBy === 'rep'
      ? [
          { header: { 'zh-CN': '业务员', 'en-US': 'Rep' }, value: (r) => r.displayName },
          { header: { 'zh-CN': '团队', 'en-US': 'Team' }, width: 20, value: (r) => r.departmentName },
        ]
      : [
          { header: { 'zh-CN': '团队', 'en-US': 'Team' }, width: 20, value: (r) => r.departmentName },
          { header: { 'zh-CN': '人数', 'en-US': 'People' }, width: 8, value: (r) => r.people },
        ];
  return [
    { header: { 'zh-CN': '排名', 'en-US': 'Rank' }, width: 8, value: (r) => r.rank },
    ...who,
    ...WORKLOAD_METRICS.map((m): ExportColumn<WorkloadRow> => ({ header: METRIC_HEADERS[m], width: 12, value: (r) => r[m] })),
  ];
}

/** HTTP for the managers' view: workload per rep and team. */
export async function crmReportsRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/crm/workload', {
    config: { access: 'crm_reports.read' },
    schema: {
      tags: ['crm'],
      summary: 'Workload per rep or team for a period (company dates, inclusive), ranked by a metric, with totals',
      querystring: workloadQuery,
      response: { 200: workloadReply },
    },
    handler: async (req) => workloadReport(db, actorOf(req), req.query, config.timeZone),
  });
  r.get('/api/crm/workload/export.xlsx', {
    config: { access: 'crm_reports.read' },
    schema: { tags: ['crm'], summary: 'The same workload table as an Excel file, with the totals row', querystring: workloadQuery },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const report = await workloadReport(db, actorOf(req), req.query, config.timeZone);
      const totalsRow: WorkloadRow = {
        ...report.totals,
        rank: null as unknown as number,
        userId: null,
        displayName: locale === 'zh-CN' ? '合计' : 'Total',
        departmentId: null,
        departmentName: report.groupBy === 'team' ? (locale === 'zh-CN' ? '合计' : 'Total') : null,
      };
      const body = await buildXlsx(locale === 'zh-CN' ? '工作量' : 'Workload', exportColumns(report.groupBy), [...report.rows, totalsRow], locale);
      const name = locale === 'zh-CN' ? '工作量' : 'workload';
      return sendXlsx(reply, `${name}-${report.from}-${report.to}.xlsx`, body);
    },
  });
}
