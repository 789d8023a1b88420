import { sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../kernel/db/client.js';
import { normaliseName } from '../kernel/names.js';
import { searchText } from '../kernel/pinyin.js';
import {
  type ActivityType,
  activities,
  activityActionItems,
  activityAttendees,
  activityComments,
  activityContacts,
  activityProducts,
} from '../modules/activities/activities.tables.js';
import type { CustomerGrade, CustomerSource, LifecycleStage } from '../modules/customers/customers.tables.js';
import { leadEvents, leadProducts, leads } from '../modules/leads/leads.tables.js';
import { LOST_REASONS, opportunities, opportunityProducts, opportunityStageHistory } from '../modules/opportunities/opportunities.tables.js';
import { type Rng, seededRng, shortPlace } from './customer-generator.js';

/**
 * The demo company's CRM, so that every CRM page has something to show on the first start: about 200
 * leads (some in the pool, follow-ups due today and overdue, creation / assignment / grading events),
 * about 3,000 activities of the reps with their own customers over the last 90 days (contacts met,
 * products discussed, a few planned for the coming week, follow-ups done, due and overdue, comments
 * from the team lead or regional manager), about 150 opportunities across the pipeline with their
 * stage history (won, and lost with reasons and competitors) and one team meeting with action items.
 *
 * Dates are relative to the load time, in Asia/Shanghai (the demo company's zone, UTC+8 all year).
 * Deterministic apart from "now" (seeded random as customer-generator.ts), written with multi-row
 * inserts (no service calls: they validate and audit row by row). Skipped when activities exist.
 */

const SHANGHAI_OFFSET_H = 8;
const DAY_MS = 86_400_000;
const BATCH = 500;

export type DemoCrmResult = { leads: number; activities: number; opportunities: number; ms: number };

type Rep = { id: number; departmentId: number; head: number | null; territories: { id: string; name: string; path: string }[] };
type Customer = { id: number; ownerId: number; name: string; type: string; territoryPath: string | null };
type Contact = { id: number; customerId: number; name: string; department: string | null; title: string | null };

const pickOf = (rnd: Rng) => <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
function weighted<T>(rnd: Rng, items: [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [v, w] of items) if ((r -= w) < 0) return v;
  return items[items.length - 1]![0];
}

/** A Shanghai calendar day as 'YYYY-MM-DD', `offset` days from `now`'s. */
function shanghaiDay(now: Date, offset = 0): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_H * 3_600_000 + offset * DAY_MS).toISOString().slice(0, 10);
}
/** The instant of hh:mm on a Shanghai day. */
function at(day: string, hour: number, minute = 0): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + (hour - SHANGHAI_OFFSET_H) * 3_600_000 + minute * 60_000);
}
const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

const TYPE_WEIGHTS: [ActivityType, number][] = [['visit', 40], ['phone', 28], ['wechat', 17], ['email', 5], ['sms', 3], ['meal', 4], ['meeting', 3]];
const SUBJECTS: Record<ActivityType, string[]> = {
  visit: ['拜访药剂科主任，沟通进药事宜', '科室拜访，介绍新品', '送达资质文件并拜访采购科', '回访临床使用情况', '拜访院长，沟通年度合作'],
  phone: ['电话沟通订单与回款', '电话确认到货情况', '电话预约下周拜访', '电话跟进报价反馈'],
  wechat: ['微信发送产品资料', '微信沟通学术会议安排', '微信回复用药咨询', '微信确认开票信息'],
  email: ['邮件发送报价单', '邮件发送资质文件'],
  sms: ['短信提醒到货', '短信通知会议时间'],
  meal: ['与科室主任工作餐', '学术沙龙后晚宴'],
  meeting: ['科室会：新品学术推广', '药事委员会前沟通会'],
};
const OUTCOMES = ['客户有意向，待报价', '已同意试用，下周送样', '需求确认，等待药事会', '价格偏高，需申请特价', '采购流程已启动', '暂无需求，保持联系', '客户反馈良好'];
const NEXT_STEPS = ['发送正式报价', '安排学术拜访', '跟进药事会结果', '确认首批订单', '送达样品', '约见采购科长'];
const MATERIALS = ['产品手册 2 份', '样品 1 盒', '学术资料一套', null, null, null];
const COMMENTS = ['客户需求要跟紧，本周内给报价', '注意回款节奏', '下次拜访带上临床资料', '很好，继续保持', '药事会前再确认一次', '价格问题我来协调'];
const LEAD_NAMES = ['康宁', '仁和', '益民', '济生', '惠民', '安康', '同德', '百草', '德仁', '福瑞', '长宁', '瑞康'];
const LEAD_KINDS = ['社区卫生服务中心', '诊所', '大药房', '中医门诊部', '医院', '医药有限公司', '口腔门诊部', '康复医院'];
const CONTACT_NAMES = ['王主任', '李院长', '张经理', '刘店长', '陈科长', '杨医生', '赵老板', '周主任'];
const COMPETITORS = ['恒瑞医药', '齐鲁制药', '扬子江药业', '石药集团', '正大天晴', '辉瑞', '阿斯利康', null, null];
const LEAD_SOURCES: [CustomerSource, number][] = [['phone', 15], ['website', 12], ['referral', 15], ['visit', 15], ['event', 10], ['rep', 20], ['media', 5], ['email', 5], ['fax', 3]];
const LEAD_GRADES: [CustomerGrade, number][] = [['C', 35], ['B', 30], ['A', 20], ['H', 10], ['O', 5]];

/** Loads the CRM demo data once, after the demo customers and their contacts. */
export async function loadDemoCrm(db: Db, now = new Date()): Promise<DemoCrmResult> {
  const started = performance.now();
  const result = await db.transaction(async (tx) => {
    const [{ n }] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from activities`));
    if (n > 0) return { leads: 0, activities: 0, opportunities: 0 };
    return generate(tx, now);
  });
  return { ...result, ms: Math.round(performance.now() - started) };
}

async function generate(tx: Tx, now: Date): Promise<Omit<DemoCrmResult, 'ms'>> {
  const rnd = seededRng(20260505);
  const pick = pickOf(rnd);
  const today = shanghaiDay(now);

  // ---- What there is: reps (with the head of their team, else of their region), customers, contacts, products, stages.
  const reps = rowsOf<Rep>(
    await tx.execute(sql`
      select u.id, u.department_id as "departmentId",
        coalesce(nullif(d.head_user_id, u.id), p.head_user_id) as head,
        coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name, 'path', t.path) order by t.id)
                  from user_territories ut join territories t on t.id = ut.territory_id where ut.user_id = u.id), '[]'::json) as territories
      from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id and r.code = 'rep'
      join departments d on d.id = u.department_id left join departments p on p.id = d.parent_id
      where u.status = 'active' order by u.id`),
  ).map((r): Rep => ({ ...r, territories: typeof r.territories === 'string' ? (JSON.parse(r.territories) as Rep['territories']) : r.territories }));
  const customers = rowsOf<Customer>(
    await tx.execute(sql`select c.id, c.owner_id as "ownerId", c.name, c.type, c.territory_path as "territoryPath" from customers c
      where c.status = 'active' and c.owner_id in (${sql.join(reps.map((r) => sql`${r.id}`), sql`, `)}) order by c.id`),
  );
  const contacts = rowsOf<Contact>(
    await tx.execute(sql`select k.id, k.customer_id as "customerId", k.name, k.department, k.title from contacts k
      where k.status = 'active' and k.customer_id in (select c.id from customers c where c.owner_id is not null) order by k.id`),
  );
  const products = rowsOf<{ id: number; name: string }>(await tx.execute(sql`select id, generic_name as name from products where status = 'active' order by id`));
  const stages = rowsOf<{ id: number; kind: 'open' | 'won' | 'lost'; position: number; probability: number }>(
    await tx.execute(sql`select id, kind, position, probability from opportunity_stages where active order by position`),
  );
  const [office] = rowsOf<{ id: number }>(await tx.execute(sql`select id from users where username = 'office'`));
  if (reps.length === 0 || customers.length === 0 || products.length === 0 || stages.length === 0) return { leads: 0, activities: 0, opportunities: 0 };

  const customersOf = new Map<number, Customer[]>();
  for (const c of customers) customersOf.set(c.ownerId, [...(customersOf.get(c.ownerId) ?? []), c]);
  const contactsOf = new Map<number, Contact[]>();
  for (const k of contacts) contactsOf.set(k.customerId, [...(contactsOf.get(k.customerId) ?? []), k]);
  const workingReps = reps.filter((r) => customersOf.has(r.id));
  const someProducts = (max: number) => [...new Set(Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(products).id))];

  // ---- Leads: ~200, a sixth in the pool.
  type LeadPlan = typeof leads.$inferInsert & { events: (typeof leadEvents.$inferInsert)[]; productIds: number[] };
  const leadPlans: LeadPlan[] = [];
  for (let i = 0; i < 200; i++) {
    const rep = pick(workingReps);
    const pooled = rnd() < 0.16;
    const place = rep.territories.length ? pick(rep.territories) : null;
    const organisation = `${place ? shortPlace(place.name) : ''}${pick(LEAD_NAMES)}${pick(LEAD_KINDS)}`;
    const contactName = pick(CONTACT_NAMES);
    const phone = `1${pick(['38', '39', '59', '86', '37'])}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
    const source = weighted(rnd, LEAD_SOURCES);
    const createdAt = new Date(now.getTime() - (1 + rnd() * 120) * DAY_MS);
    const byRep = !pooled && source === 'rep';
    const assignedAt = pooled ? null : new Date(createdAt.getTime() + (byRep ? 0 : rnd() * 2 * DAY_MS));
    const grade = pooled ? 'C' : weighted(rnd, LEAD_GRADES);
    const closed = !pooled && rnd() < 0.08;
    const followRoll = rnd();
    const nextFollowUpOn = pooled || closed ? null : followRoll < 0.25 ? today : followRoll < 0.45 ? shanghaiDay(now, -1 - Math.floor(rnd() * 10)) : followRoll < 0.8 ? shanghaiDay(now, 1 + Math.floor(rnd() * 14)) : null;
    const gradedAt = grade === 'C' ? null : new Date(Math.min(now.getTime(), (assignedAt ?? createdAt).getTime() + (1 + rnd() * 20) * DAY_MS));
    const events: LeadPlan['events'] = [
      { leadId: 0, kind: 'created', at: createdAt, actorId: byRep ? rep.id : office!.id, details: byRep ? { ownerId: rep.id, source } : { source } },
    ];
    if (assignedAt && !byRep) events.push({ leadId: 0, kind: 'assigned', at: assignedAt, actorId: office!.id, details: { ownerId: rep.id, rule: 'territory' } });
    if (gradedAt) events.push({ leadId: 0, kind: 'graded', at: gradedAt, actorId: rep.id, details: { from: 'C', to: grade } });
    if (closed) events.push({ leadId: 0, kind: 'closed', at: new Date(Math.min(now.getTime(), Math.max(gradedAt?.getTime() ?? 0, assignedAt!.getTime()) + DAY_MS)), actorId: rep.id, details: { reason: '暂无采购需求' } });
    leadPlans.push({
      organisation,
      nameKey: normaliseName(organisation),
      customerType: organisation.endsWith('药房') ? 'pharmacy' : organisation.endsWith('公司') ? 'distributor' : organisation.endsWith('医院') ? 'hospital' : 'clinic',
      contactName,
      phone,
      territoryId: pooled && rnd() < 0.5 ? null : (place?.id ?? null),
      territoryPath: pooled && rnd() < 0.5 ? null : (place?.path ?? null),
      source,
      grade,
      gradeChangedAt: gradedAt ?? createdAt,
      lifecycleStage: (grade === 'C' ? pick(['identified', 'lead']) : grade === 'B' ? 'lead' : 'intent') as LifecycleStage,
      nextFollowUpOn,
      ownerId: pooled ? null : rep.id,
      ownerDepartmentId: pooled ? null : rep.departmentId,
      assignedAt,
      lastActedAt: pooled ? null : (gradedAt ?? assignedAt),
      status: closed ? 'closed' : 'open',
      closedReason: closed ? '暂无采购需求' : null,
      searchText: searchText(organisation, contactName, phone),
      createdBy: byRep ? rep.id : office!.id,
      createdAt,
      updatedAt: createdAt,
      events,
      productIds: someProducts(2),
    });
  }
  for (let i = 0; i < leadPlans.length; i += BATCH) {
    const chunk = leadPlans.slice(i, i + BATCH);
    const ids = await tx.insert(leads).values(chunk.map(({ events: _e, productIds: _p, ...row }) => row)).returning({ id: leads.id });
    const events = chunk.flatMap((p, j) => p.events.map((e) => ({ ...e, leadId: ids[j]!.id })));
    const links = chunk.flatMap((p, j) => p.productIds.map((productId) => ({ leadId: ids[j]!.id, productId })));
    await tx.insert(leadEvents).values(events);
    await tx.insert(leadProducts).values(links);
  }

  // ---- Activities: each rep's working days of the last 90 days, and plans for the coming week.
  type ActivityPlan = typeof activities.$inferInsert & { contactIds: number[]; productIds: number[]; comment: { authorId: number; body: string; createdAt: Date } | null };
  const plans: ActivityPlan[] = [];
  for (const rep of workingReps) {
    const own = customersOf.get(rep.id)!;
    const keyAccounts = own.slice(0, Math.min(40, own.length)); // reps spend most of their time on a few accounts
    for (let offset = -90; offset <= 7; offset++) {
      const day = shanghaiDay(now, offset);
      if (isWeekend(day) || offset === 0) continue;
      const future = offset > 0;
      const count = future ? 1 + Math.floor(rnd() * 3) : 5 + Math.floor(rnd() * 4);
      for (let k = 0; k < count; k++) {
        const type = weighted(rnd, TYPE_WEIGHTS);
        const customer = rnd() < 0.8 ? pick(keyAccounts) : pick(own);
        const startsAt = at(day, 9 + Math.floor(rnd() * 8), Math.floor(rnd() * 4) * 15);
        const status = future ? 'planned' : rnd() < 0.02 ? 'cancelled' : 'done';
        const done = status === 'done';
        const people = contactsOf.get(customer.id) ?? [];
        const met = people.length && rnd() < 0.75 ? [...new Set([pick(people), ...(rnd() < 0.2 ? [pick(people)] : [])])] : [];
        let nextFollowUpOn: string | null = null;
        let followUpDoneAt: Date | null = null;
        if (done && rnd() < 0.25) {
          nextFollowUpOn = shanghaiDay(now, offset + 3 + Math.floor(rnd() * 12));
          if (nextFollowUpOn < today && rnd() < 0.75) followUpDoneAt = at(nextFollowUpOn, 10 + Math.floor(rnd() * 6));
        }
        const commented = done && offset > -60 && rnd() < 0.08 && rep.head !== null;
        plans.push({
          type,
          status,
          customerId: customer.id,
          hospitalDepartment: customer.type === 'hospital' && type === 'visit' ? (met[0]?.department ?? null) : null,
          subject: pick(SUBJECTS[type]),
          startsAt,
          endsAt: new Date(startsAt.getTime() + (type === 'phone' ? 15 : type === 'visit' || type === 'meal' || type === 'meeting' ? 60 : 5) * 60_000),
          checkedInAt: done && type === 'visit' ? new Date(startsAt.getTime() + 2 * 60_000) : null,
          checkInPlace: done && type === 'visit' ? customer.name : null,
          description: done ? `${met[0] ? `${met[0].name}${met[0].title ? `（${met[0].title}）` : ''}：` : ''}${pick(OUTCOMES)}` : null,
          materials: done && type === 'visit' ? pick(MATERIALS) : null,
          outcome: done ? pick(OUTCOMES) : null,
          nextStep: done && nextFollowUpOn ? pick(NEXT_STEPS) : null,
          nextFollowUpOn,
          followUpDoneAt,
          ownerId: rep.id,
          ownerDepartmentId: rep.departmentId,
          territoryPath: customer.territoryPath,
          createdBy: rep.id,
          createdAt: future ? new Date(now.getTime() - rnd() * 3 * DAY_MS) : startsAt,
          updatedAt: future ? now : startsAt,
          contactIds: met.map((m) => m.id),
          productIds: rnd() < 0.6 ? someProducts(2) : [],
          comment: commented ? { authorId: rep.head!, body: pick(COMMENTS), createdAt: new Date(startsAt.getTime() + (2 + rnd() * 20) * 3_600_000) } : null,
        });
      }
    }
  }
  for (let i = 0; i < plans.length; i += BATCH) {
    const chunk = plans.slice(i, i + BATCH);
    const ids = await tx.insert(activities).values(chunk.map(({ contactIds: _c, productIds: _p, comment: _m, ...row }) => row)).returning({ id: activities.id });
    const contactLinks = chunk.flatMap((p, j) => p.contactIds.map((contactId) => ({ activityId: ids[j]!.id, contactId })));
    const productLinks = chunk.flatMap((p, j) => p.productIds.map((productId) => ({ activityId: ids[j]!.id, productId })));
    const comments = chunk.flatMap((p, j) => (p.comment ? [{ activityId: ids[j]!.id, ...p.comment }] : []));
    if (contactLinks.length) await tx.insert(activityContacts).values(contactLinks);
    if (productLinks.length) await tx.insert(activityProducts).values(productLinks);
    if (comments.length) await tx.insert(activityComments).values(comments);
  }

  // ---- Opportunities: ~150 across the pipeline, with their stage history.
  const open = stages.filter((s) => s.kind === 'open');
  const won = stages.find((s) => s.kind === 'won')!;
  const lost = stages.find((s) => s.kind === 'lost')!;
  type OppPlan = typeof opportunities.$inferInsert & { history: Omit<typeof opportunityStageHistory.$inferInsert, 'opportunityId'>[]; lines: { productId: number; quantity: number; amountFen: bigint }[] };
  const oppPlans: OppPlan[] = [];
  const productName = new Map(products.map((p) => [p.id, p.name]));
  for (let i = 0; i < 150; i++) {
    const rep = workingReps[i % workingReps.length]!;
    const customer = pick(customersOf.get(rep.id)!.slice(0, 40));
    const roll = rnd();
    const outcome: 'open' | 'won' | 'lost' = roll < 0.6 ? 'open' : roll < 0.8 ? 'won' : 'lost';
    const reached = outcome === 'open' ? 1 + Math.floor(rnd() * open.length) : 1 + Math.floor(rnd() * open.length); // how far along the open stages it went
    const closedAt = outcome === 'open' ? null : new Date(now.getTime() - (1 + rnd() * 80) * DAY_MS);
    const createdAt = new Date((closedAt ?? now).getTime() - (10 + rnd() * 60) * DAY_MS);
    const path = [...open.slice(0, reached), ...(outcome === 'won' ? [won] : outcome === 'lost' ? [lost] : [])];
    const endAt = closedAt ?? new Date(now.getTime() - rnd() * 5 * DAY_MS);
    const history = path.map((s, k) => ({
      fromStageId: k === 0 ? null : path[k - 1]!.id,
      toStageId: s.id,
      at: new Date(createdAt.getTime() + ((endAt.getTime() - createdAt.getTime()) * k) / Math.max(1, path.length - 1)),
      actorId: rep.id,
    }));
    const lines = someProducts(2).map((productId) => {
      const quantity = (1 + Math.floor(rnd() * 50)) * 100;
      return { productId, quantity, amountFen: BigInt(quantity) * BigInt(500 + Math.floor(rnd() * 20_000)) };
    });
    const stage = path[path.length - 1]!;
    oppPlans.push({
      name: `${customer.name} · ${productName.get(lines[0]!.productId)}`,
      customerId: customer.id,
      stageId: stage.id,
      status: outcome,
      probability: stage.probability,
      amountFen: lines.reduce((s, l) => s + l.amountFen, 0n),
      expectedCloseOn: outcome === 'open' ? shanghaiDay(now, -10 + Math.floor(rnd() * 100)) : shanghaiDay(closedAt!, 0),
      competitor: pick(COMPETITORS),
      lostReason: outcome === 'lost' ? pick(LOST_REASONS) : null,
      lostNote: outcome === 'lost' ? pick(['竞品降价 15%', '集采未中标', '客户预算冻结', '关系维护不到位', '资质文件未及时提供']) : null,
      closedAt,
      ownerId: rep.id,
      ownerDepartmentId: rep.departmentId,
      territoryPath: customer.territoryPath,
      createdBy: rep.id,
      createdAt,
      updatedAt: endAt,
      history,
      lines,
    });
  }
  const oppIds = await tx.insert(opportunities).values(oppPlans.map(({ history: _h, lines: _l, ...row }) => row)).returning({ id: opportunities.id });
  await tx.insert(opportunityStageHistory).values(oppPlans.flatMap((p, j) => p.history.map((h) => ({ ...h, opportunityId: oppIds[j]!.id }))));
  await tx.insert(opportunityProducts).values(oppPlans.flatMap((p, j) => p.lines.map((l) => ({ ...l, opportunityId: oppIds[j]!.id }))));

  // ---- One team meeting (会议记录) of 上海一组 with decisions and action items.
  const [team] = rowsOf<{ leadId: number; repIds: number[] }>(
    await tx.execute(sql`select d.head_user_id as "leadId", array(select u.id from users u where u.department_id = d.id and u.id <> d.head_user_id and u.status = 'active' order by u.id) as "repIds"
      from departments d where d.name = '上海一组' and d.head_user_id is not null`),
  );
  let meetings = 0;
  const firstRep = team && team.repIds.length ? team.repIds[0]! : null;
  if (team && firstRep !== null && customersOf.has(firstRep)) {
    const day = shanghaiDay(now, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) - 7); // last Monday week
    const leader = team.leadId;
    const [meeting] = await tx
      .insert(activities)
      .values({
        type: 'meeting',
        status: 'done',
        customerId: customersOf.get(firstRep)![0]!.id,
        subject: '上海一组周例会：重点医院进药推进',
        startsAt: at(day, 9),
        endsAt: at(day, 10, 30),
        location: '公司会议室 301',
        agenda: '1. 上周拜访回顾\n2. 重点医院药事会准备\n3. 本月回款计划',
        decisions: '药事会资料本周五前准备完毕；逾期跟进的客户本周内全部回访。',
        outcome: '明确本周重点工作',
        ownerId: leader,
        ownerDepartmentId: reps.find((r) => r.id === firstRep)!.departmentId,
        territoryPath: customersOf.get(firstRep)![0]!.territoryPath,
        createdBy: leader,
        createdAt: at(day, 11),
        updatedAt: at(day, 11),
      })
      .returning({ id: activities.id });
    await tx.insert(activityAttendees).values([leader, ...team.repIds].map((userId) => ({ activityId: meeting!.id, userId })));
    await tx.insert(activityActionItems).values([
      { activityId: meeting!.id, text: '准备药事会申报资料', ownerId: firstRep, dueOn: shanghaiDay(now, 2), status: 'open' },
      { activityId: meeting!.id, text: '回访所有逾期跟进客户', ownerId: team.repIds[1] ?? firstRep, dueOn: shanghaiDay(now, -1), status: 'open' },
      { activityId: meeting!.id, text: '整理本月回款计划', ownerId: leader, dueOn: shanghaiDay(now, -3), status: 'done', doneAt: at(shanghaiDay(now, -4), 16), doneNote: '已发给财务' },
    ]);
    meetings = 1;
  }
  return { leads: leadPlans.length, activities: plans.length + meetings, opportunities: oppPlans.length };
}
