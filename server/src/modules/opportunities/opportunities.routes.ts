import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { todayIn } from '../../kernel/approvals/approvals.service.js';
import { type ExportColumn, buildXlsx, sendXlsx } from '../../kernel/excel/export.js';
import { requestLocale } from '../../kernel/http/errors-handler.js';
import { actorOf } from '../../kernel/http/security.js';
import type { Locale } from '../../kernel/i18n.js';
import { fenToYuan } from '../../kernel/money.js';
import {
  boardResponse,
  hotQuery,
  hotResponse,
  lostQuery,
  lostResponse,
  opportunityCreateBody,
  opportunityDetail,
  opportunityFilterQuery,
  opportunityListQuery,
  opportunityMoveBody,
  opportunityPage,
  opportunityUpdateBody,
  stageCreateBody,
  stageOrderBody,
  stageRow,
  stageUpdateBody,
} from './opportunities.schemas.js';
import { LOST_REASON_NAMES, STATUS_NAMES } from './opportunities.names.js';
import {
  type OpportunityListRow,
  createOpportunity,
  getOpportunity,
  listAllOpportunities,
  listOpportunities,
  moveOpportunity,
  opportunityBoard,
  updateOpportunity,
} from './opportunities.service.js';
import { type HotRow, type LostGroupBy, type LostRow, hotProspects, lostDeals } from './opportunity-reports.service.js';
import { createStage, listStages, reorderStages, updateStage } from './opportunity-stages.service.js';
import { buildReportXlsx } from './report-workbook.js';
import type { LostReason } from './opportunities.tables.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const yuan = (fen: string) => Number(fenToYuan(BigInt(fen)));
const stageName = (locale: Locale, r: { stageName: string; stageNameEn: string }) => (locale === 'zh-CN' ? r.stageName : r.stageNameEn);

const listExportColumns = (locale: Locale): ExportColumn<OpportunityListRow>[] => [
  { header: { 'zh-CN': '机会名称', 'en-US': 'Opportunity' }, value: (o) => o.name, width: 28 },
  { header: { 'zh-CN': '客户编码', 'en-US': 'Customer code' }, value: (o) => o.customerCode, width: 12 },
  { header: { 'zh-CN': '客户名称', 'en-US': 'Customer' }, value: (o) => o.customerName, width: 30 },
  { header: { 'zh-CN': '阶段', 'en-US': 'Stage' }, value: (o) => stageName(locale, o), width: 12 },
  { header: { 'zh-CN': '状态', 'en-US': 'Status' }, value: (o) => STATUS_NAMES[o.status][locale], width: 8 },
  { header: { 'zh-CN': '赢率(%)', 'en-US': 'Probability (%)' }, value: (o) => o.probability, width: 10 },
  { header: { 'zh-CN': '金额(元)', 'en-US': 'Amount (CNY)' }, value: (o) => yuan(o.amountFen), width: 14 },
  { header: { 'zh-CN': '加权金额(元)', 'en-US': 'Weighted (CNY)' }, value: (o) => yuan(o.weightedFen), width: 14 },
  { header: { 'zh-CN': '预计成交', 'en-US': 'Expected close' }, value: (o) => o.expectedCloseOn, width: 12 },
  { header: { 'zh-CN': '竞争对手', 'en-US': 'Competitor' }, value: (o) => o.competitor },
  { header: { 'zh-CN': '战败原因', 'en-US': 'Lost reason' }, value: (o) => (o.lostReason ? LOST_REASON_NAMES[o.lostReason][locale] : null) },
  { header: { 'zh-CN': '负责人', 'en-US': 'Owner' }, value: (o) => o.ownerName, width: 10 },
];

type GroupOut = { label: string; count: number; amountFen: string };
const groupColumns = (groupHeader: Record<Locale, string>): ExportColumn<GroupOut>[] => [
  { header: groupHeader, value: (g) => g.label, width: 20 },
  { header: { 'zh-CN': '数量', 'en-US': 'Count' }, value: (g) => g.count },
  { header: { 'zh-CN': '金额(元)', 'en-US': 'Amount (CNY)' }, value: (g) => yuan(g.amountFen) },
];

const hotColumns = (locale: Locale): ExportColumn<HotRow>[] => [
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (r) => r.customerName, width: 30 },
  { header: { 'zh-CN': '地区', 'en-US': 'Region' }, value: (r) => r.region, width: 10 },
  { header: { 'zh-CN': '业务员', 'en-US': 'Rep' }, value: (r) => r.ownerName, width: 10 },
  { header: { 'zh-CN': '机会', 'en-US': 'Opportunity' }, value: (r) => r.name, width: 24 },
  { header: { 'zh-CN': '产品', 'en-US': 'Products' }, value: (r) => r.products, width: 24 },
  { header: { 'zh-CN': '金额(元)', 'en-US': 'Amount (CNY)' }, value: (r) => yuan(r.amountFen), width: 14 },
  { header: { 'zh-CN': '赢率(%)', 'en-US': 'Probability (%)' }, value: (r) => r.probability, width: 10 },
  { header: { 'zh-CN': '阶段', 'en-US': 'Stage' }, value: (r) => stageName(locale, r), width: 12 },
  { header: { 'zh-CN': '预计成交', 'en-US': 'Expected close' }, value: (r) => r.expectedCloseOn, width: 12 },
  { header: { 'zh-CN': '停留天数', 'en-US': 'Days in stage' }, value: (r) => r.daysInStage, width: 10 },
  { header: { 'zh-CN': '最近拜访', 'en-US': 'Last activity' }, value: (r) => r.lastActivityOn, width: 12 },
];

const lostColumns = (locale: Locale): ExportColumn<LostRow>[] => [
  { header: { 'zh-CN': '输单月份', 'en-US': 'Month lost' }, value: (r) => r.lostMonth, width: 10 },
  { header: { 'zh-CN': '客户', 'en-US': 'Customer' }, value: (r) => r.customerName, width: 30 },
  { header: { 'zh-CN': '地区', 'en-US': 'Region' }, value: (r) => r.region, width: 10 },
  { header: { 'zh-CN': '业务员', 'en-US': 'Rep' }, value: (r) => r.ownerName, width: 10 },
  { header: { 'zh-CN': '机会', 'en-US': 'Opportunity' }, value: (r) => r.name, width: 24 },
  { header: { 'zh-CN': '金额(元)', 'en-US': 'Amount (CNY)' }, value: (r) => yuan(r.amountFen), width: 14 },
  { header: { 'zh-CN': '输单前阶段', 'en-US': 'Stage before loss' }, value: (r) => (locale === 'zh-CN' ? r.stageBeforeName : r.stageBeforeNameEn), width: 12 },
  { header: { 'zh-CN': '战败原因', 'en-US': 'Reason' }, value: (r) => LOST_REASON_NAMES[r.lostReason][locale], width: 12 },
  { header: { 'zh-CN': '竞争对手', 'en-US': 'Competitor' }, value: (r) => r.competitor, width: 16 },
  { header: { 'zh-CN': '说明', 'en-US': 'Note' }, value: (r) => r.lostNote, width: 30 },
];

const lostGroupHeaders: Record<LostGroupBy, Record<Locale, string>> = {
  reason: { 'zh-CN': '战败原因', 'en-US': 'Reason' },
  rep: { 'zh-CN': '业务员', 'en-US': 'Rep' },
  region: { 'zh-CN': '地区', 'en-US': 'Region' },
  competitor: { 'zh-CN': '竞争对手', 'en-US': 'Competitor' },
  month: { 'zh-CN': '月份', 'en-US': 'Month' },
};

const lostLabel = (locale: Locale) => (groupBy: LostGroupBy, key: string, row: LostRow) => {
  if (groupBy === 'reason') return LOST_REASON_NAMES[key as LostReason][locale];
  if (groupBy === 'rep') return row.ownerName;
  if (key === '') return locale === 'zh-CN' ? '（未填）' : '(none)';
  return key;
};

/** HTTP for 销售机会 (opportunities), pipeline, hot and lost tables. */
export async function opportunitiesRoutes(app: FastifyInstance, { db, config }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tz = config.timeZone;

  // ---- Pipeline stages ----------------------------------------------------------------------------------
  r.get('/api/opportunity-stages', {
    config: { access: 'opportunities.read' },
    schema: { tags: ['opportunities'], summary: 'The pipeline: open stages in order, then won and lost, with the number of open opportunities in each', response: { 200: z.array(stageRow) } },
    handler: async () => listStages(db),
  });
  r.post('/api/opportunity-stages', {
    config: { access: 'crm.configure' },
    schema: { tags: ['opportunities'], summary: 'Add an open stage at the end of the pipeline', body: stageCreateBody, response: { 201: stageRow } },
    handler: async (req, reply) => reply.code(201).send(await createStage(db, actorOf(req), req.body)),
  });
  r.put('/api/opportunity-stages/order', {
    config: { access: 'crm.configure' },
    schema: { tags: ['opportunities'], summary: 'The order of the open stages (every open stage id once)', body: stageOrderBody, response: { 200: z.array(stageRow) } },
    handler: async (req) => reorderStages(db, actorOf(req), req.body.ids),
  });
  r.patch('/api/opportunity-stages/:id', {
    config: { access: 'crm.configure' },
    schema: {
      tags: ['opportunities'],
      summary: 'Rename a stage, change its default probability or (de)activate it; won/lost stay active, a stage holding open opportunities cannot be deactivated',
      params: idParams,
      body: stageUpdateBody,
      response: { 200: stageRow },
    },
    handler: async (req) => updateStage(db, actorOf(req), req.params.id, req.body),
  });

  // ---- Opportunities -------------------------------------------------------------------------------------
  r.get('/api/opportunities', {
    config: { access: 'opportunities.read' },
    schema: {
      tags: ['opportunities'],
      summary: 'Opportunities in the caller’s scope; q matches the name or the customer’s name/pinyin',
      querystring: opportunityListQuery,
      response: { 200: opportunityPage },
    },
    handler: async (req) => {
      const { page, pageSize, sort, ...filter } = req.query;
      return listOpportunities(db, actorOf(req), filter, { page, pageSize, sort });
    },
  });
  r.get('/api/opportunities/export', {
    config: { access: 'opportunities.read' },
    schema: { tags: ['opportunities'], summary: 'The same list as an Excel file (all pages)', querystring: opportunityFilterQuery.extend({ sort: z.string().max(40).optional() }) },
    handler: async (req, reply) => {
      const { sort, ...filter } = req.query;
      const locale = requestLocale(req);
      const rows = await listAllOpportunities(db, actorOf(req), filter, sort);
      const body = await buildXlsx(locale === 'zh-CN' ? '销售机会' : 'Opportunities', listExportColumns(locale), rows, locale);
      return sendXlsx(reply, `${locale === 'zh-CN' ? '销售机会' : 'opportunities'}-${todayIn(tz)}.xlsx`, body);
    },
  });
  r.get('/api/opportunities/board', {
    config: { access: 'opportunities.read' },
    schema: {
      tags: ['opportunities'],
      summary: 'The kanban: each active open stage with count, amount, weighted amount and up to 50 cards; won/lost totals of this month',
      querystring: opportunityFilterQuery,
      response: { 200: boardResponse },
    },
    handler: async (req) => opportunityBoard(db, actorOf(req), req.query, tz, todayIn(tz)),
  });
  r.get('/api/opportunities/:id', {
    config: { access: 'opportunities.read' },
    schema: { tags: ['opportunities'], summary: 'One opportunity with its products and stage history', params: idParams, response: { 200: opportunityDetail } },
    handler: async (req) => getOpportunity(db, actorOf(req), req.params.id),
  });
  r.post('/api/opportunities', {
    config: { access: 'opportunities.write' },
    schema: {
      tags: ['opportunities'],
      summary: 'Open an opportunity with a customer in scope; it starts in the first open stage unless one is given',
      body: opportunityCreateBody,
      response: { 201: opportunityDetail },
    },
    handler: async (req, reply) => reply.code(201).send(await createOpportunity(db, actorOf(req), req.body)),
  });
  r.patch('/api/opportunities/:id', {
    config: { access: 'opportunities.write' },
    schema: { tags: ['opportunities'], summary: 'Edit an opportunity (send the version you read)', params: idParams, body: opportunityUpdateBody, response: { 200: opportunityDetail } },
    handler: async (req) => updateOpportunity(db, actorOf(req), req.params.id, req.body),
  });
  r.post('/api/opportunities/:id/stage', {
    config: { access: 'opportunities.write' },
    schema: {
      tags: ['opportunities'],
      summary: 'Move to another stage (history kept); won/lost close it, a loss needs a reason; the same stage changes nothing',
      params: idParams,
      body: opportunityMoveBody,
      response: { 200: opportunityDetail },
    },
    handler: async (req) => moveOpportunity(db, actorOf(req), req.params.id, req.body),
  });

  // ---- 热点客户管理表 / 战败客户分析表 ----------------------------------------------------------------------
  r.get('/api/crm/hot-prospects', {
    config: { access: 'crm_reports.read' },
    schema: {
      tags: ['opportunities'],
      summary: '热点客户管理表: opportunities open at the end of the month and hot (probability ≥ the setting, or customer graded H), with totals by rep or region',
      querystring: hotQuery,
      response: { 200: hotResponse },
    },
    handler: async (req) => hotProspects(db, actorOf(req), req.query, tz),
  });
  r.get('/api/crm/hot-prospects/export', {
    config: { access: 'crm_reports.read' },
    schema: { tags: ['opportunities'], summary: 'The hot prospect table as an Excel file with a title row', querystring: hotQuery },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const report = await hotProspects(db, actorOf(req), req.query, tz);
      const zh = locale === 'zh-CN';
      const body = await buildReportXlsx({
        sheetName: zh ? '热点客户' : 'Hot prospects',
        title: `${zh ? '热点客户管理表' : 'Hot prospects'} ${report.month}`,
        locale,
        summary: {
          columns: [
            ...groupColumns(req.query.groupBy === 'rep' ? { 'zh-CN': '业务员', 'en-US': 'Rep' } : { 'zh-CN': '地区', 'en-US': 'Region' }),
            { header: { 'zh-CN': '加权金额(元)', 'en-US': 'Weighted (CNY)' }, value: (g: GroupOut & { weightedFen?: string }) => yuan(g.weightedFen ?? '0') },
          ],
          rows: report.groups,
        },
        detail: { columns: hotColumns(locale), rows: report.rows },
      });
      return sendXlsx(reply, `${zh ? '热点客户管理表' : 'hot-prospects'}-${report.month}.xlsx`, body);
    },
  });
  r.get('/api/crm/lost-deals', {
    config: { access: 'crm_reports.read' },
    schema: {
      tags: ['opportunities'],
      summary: '战败客户分析表: opportunities lost in the months from..to, with the stage lost from, grouped by reason, rep, region, competitor or month',
      querystring: lostQuery,
      response: { 200: lostResponse },
    },
    handler: async (req) => lostDeals(db, actorOf(req), req.query, tz, lostLabel(requestLocale(req))),
  });
  r.get('/api/crm/lost-deals/export', {
    config: { access: 'crm_reports.read' },
    schema: { tags: ['opportunities'], summary: 'The lost-deal analysis as an Excel file with a title row', querystring: lostQuery },
    handler: async (req, reply) => {
      const locale = requestLocale(req);
      const report = await lostDeals(db, actorOf(req), req.query, tz, lostLabel(locale));
      const zh = locale === 'zh-CN';
      const period = report.from === report.to ? report.from : `${report.from} ~ ${report.to}`;
      const body = await buildReportXlsx({
        sheetName: zh ? '战败分析' : 'Lost deals',
        title: `${zh ? '战败客户分析表' : 'Lost-deal analysis'} ${period}`,
        locale,
        summary: {
          columns: [
            ...groupColumns(lostGroupHeaders[req.query.groupBy]),
            { header: { 'zh-CN': '占比(%)', 'en-US': 'Share (%)' }, value: (g: GroupOut & { sharePercent?: number }) => g.sharePercent ?? 0 },
          ],
          rows: report.groups,
        },
        detail: { columns: lostColumns(locale), rows: report.rows },
      });
      return sendXlsx(reply, `${zh ? '战败客户分析表' : 'lost-deals'}-${report.from}-${report.to}.xlsx`, body);
    },
  });
}
