import { and, asc, desc, eq, inArray, lte, gte, or, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import { departments, roles, userRoles, users } from '../access/access.tables.js';
import { audit } from '../audit/audit.js';
import type { Db, Queryable, Tx } from '../db/client.js';
import { DomainError, notFound, versionConflict } from '../errors.js';
import { type DocumentBase, type DocumentTypeDef, documentType, recordEvent, transition } from '../documents/lifecycle.js';
import { notify } from '../notify/notify.js';
import {
  approvalDelegations,
  approvalFlowSteps,
  approvalFlows,
  approvalRequests,
  approvalTasks,
  type FlowCondition,
} from './approvals.tables.js';

/**
 * Approval routing (审批流).
 * - On submit, the first active flow of the document type (by priority) whose conditions all hold
 *   for the document's facts is used; with no matching flow the document is approved at once.
 * - Steps run in order. A step's approvers are a role's active users, the head of the submitter's
 *   department (going up the tree when the submitter is the head or the department has none), or a
 *   named user; "any" needs one approval, "all" needs every approver's.
 * - One rejection rejects the request and the document returns to draft.
 * - An approver away names a delegate for a date range (工作代理); the delegate sees the tasks and
 *   acts "on behalf of" the approver, which the timeline and audit log record.
 * - Decisions lock the request row first, so two approvers deciding at once are serialised and the
 *   second finds the step already done.
 */
export type Decision = 'approve' | 'reject';

export function conditionHolds(c: FlowCondition, facts: Record<string, unknown>): boolean {
  const v = facts[c.fact];
  switch (c.op) {
    case 'eq': return v === c.value;
    case 'ne': return v !== c.value;
    case 'gt': return typeof v === 'number' && v > Number(c.value);
    case 'gte': return typeof v === 'number' && v >= Number(c.value);
    case 'lt': return typeof v === 'number' && v < Number(c.value);
    case 'lte': return typeof v === 'number' && v <= Number(c.value);
    case 'in': return Array.isArray(c.value) && (c.value as unknown[]).includes(v);
    case 'contains': return Array.isArray(v) && (v as unknown[]).includes(c.value);
  }
}

/** Today in the company's time zone, as 'YYYY-MM-DD'. */
export function todayIn(timeZone: string, at = new Date()): string {
  return at.toLocaleDateString('sv-SE', { timeZone });
}

async function activeUserIds(tx: Queryable, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await tx.select({ id: users.id }).from(users).where(and(inArray(users.id, ids), eq(users.status, 'active')));
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** The head of the submitter's department, walking up past the submitter and empty heads. */
async function departmentHeadFor(tx: Queryable, submitterId: number): Promise<number | null> {
  const [u] = await tx.select({ departmentId: users.departmentId }).from(users).where(eq(users.id, submitterId));
  let deptId = u?.departmentId ?? null;
  for (let depth = 0; deptId !== null && depth < 20; depth++) {
    const [d] = await tx.select({ parentId: departments.parentId, headUserId: departments.headUserId }).from(departments).where(eq(departments.id, deptId));
    if (!d) return null;
    if (d.headUserId !== null && d.headUserId !== submitterId && (await activeUserIds(tx, [d.headUserId])).length) return d.headUserId;
    deptId = d.parentId;
  }
  return null;
}

async function approversOf(tx: Queryable, step: typeof approvalFlowSteps.$inferSelect, submitterId: number): Promise<number[]> {
  if (step.approverKind === 'user') return activeUserIds(tx, [step.userId!]);
  if (step.approverKind === 'department_head') {
    const head = await departmentHeadFor(tx, submitterId);
    return head === null ? [] : [head];
  }
  const rows = await tx
    .select({ id: users.id })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(and(eq(userRoles.roleId, step.roleId!), eq(users.status, 'active')));
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

async function openStep(tx: Tx, request: { id: number; docType: string; docId: number }, step: typeof approvalFlowSteps.$inferSelect, submitterId: number) {
  const approvers = await approversOf(tx, step, submitterId);
  if (approvers.length === 0) throw new DomainError('APPROVAL_NO_APPROVER', { step: step.name }, 422);
  await tx.insert(approvalTasks).values(approvers.map((approverId) => ({ requestId: request.id, stepSeq: step.seq, stepName: step.name, mode: step.mode, approverId })));
  const def = documentType(request.docType);
  const [doc] = await def.summaries(tx, [request.docId]);
  const [submitter] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, submitterId));
  await notify(tx, {
    userIds: approvers,
    event: 'approval.task_assigned',
    title: { 'zh-CN': `待审批：${def.name['zh-CN']} ${doc?.number ?? ''}`, 'en-US': `To approve: ${def.name['en-US']} ${doc?.number ?? ''}` },
    body: {
      'zh-CN': `${submitter?.name ?? ''} 提交的「${doc?.title ?? ''}」等待您审批（${step.name}）`,
      'en-US': `"${doc?.title ?? ''}" submitted by ${submitter?.name ?? ''} waits for your approval (${step.name})`,
    },
    link: '/approvals/pending',
  });
}

/** Tells the submitter how their document's approval ended. */
async function notifySubmitter(tx: Tx, request: { docType: string; docId: number; submittedBy: number }, outcome: 'approved' | 'rejected', decidedBy: string, comment: string | null) {
  const def = documentType(request.docType);
  const [doc] = await def.summaries(tx, [request.docId]);
  const what = { 'zh-CN': `${def.name['zh-CN']} ${doc?.number ?? ''}`, 'en-US': `${def.name['en-US']} ${doc?.number ?? ''}` };
  await notify(tx, {
    userIds: [request.submittedBy],
    event: `approval.${outcome}`,
    title:
      outcome === 'approved'
        ? { 'zh-CN': `已审批通过：${what['zh-CN']}`, 'en-US': `Approved: ${what['en-US']}` }
        : { 'zh-CN': `已驳回：${what['zh-CN']}`, 'en-US': `Rejected: ${what['en-US']}` },
    body:
      outcome === 'approved'
        ? { 'zh-CN': `「${doc?.title ?? ''}」已由 ${decidedBy} 审批通过${comment ? `：${comment}` : ''}`, 'en-US': `"${doc?.title ?? ''}" was approved by ${decidedBy}${comment ? `: ${comment}` : ''}` }
        : { 'zh-CN': `「${doc?.title ?? ''}」被 ${decidedBy} 驳回：${comment ?? ''}，已退回草稿`, 'en-US': `"${doc?.title ?? ''}" was rejected by ${decidedBy}: ${comment ?? ''}; it is back in draft` },
    link: def.link?.(request.docId) ?? null,
  });
}

export type SubmitOutcome = { approved: boolean; doc: DocumentBase; result?: Record<string, unknown> | void };

/**
 * Sends a document into approval: the caller has already moved it to its pending state.
 * Returns approved=true (after firing the type's 'approve' transition) when no flow applies.
 */
export async function startApproval<D extends DocumentBase>(tx: Tx, actor: Actor, def: DocumentTypeDef<D>, doc: D): Promise<SubmitOutcome> {
  const flows = await tx
    .select()
    .from(approvalFlows)
    .where(and(eq(approvalFlows.docType, def.type), eq(approvalFlows.active, true)))
    .orderBy(asc(approvalFlows.priority), asc(approvalFlows.id));
  const facts = def.facts?.(doc) ?? {};
  const flow = flows.find((f) => f.conditions.every((c) => conditionHolds(c, facts)));
  if (!flow) {
    if (def.requireFlow) throw new DomainError('APPROVAL_NO_FLOW', { type: def.name[actor.locale] }, 422);
    const approved = await transition(tx, actor, def, doc, 'approve', { system: true, comment: null, data: { reason: 'no_flow' } });
    const result = await def.onApproved?.(tx, actor, approved);
    return { approved: true, doc: approved, result };
  }
  const steps = await tx.select().from(approvalFlowSteps).where(eq(approvalFlowSteps.flowId, flow.id)).orderBy(asc(approvalFlowSteps.seq));
  if (steps.length === 0) throw new DomainError('APPROVAL_NO_APPROVER', { step: flow.name }, 422);
  const [request] = await tx
    .insert(approvalRequests)
    .values({ docType: def.type, docId: doc.id, flowId: flow.id, currentStep: steps[0].seq, submittedBy: actor.id })
    .returning();
  await openStep(tx, request, steps[0], actor.id);
  await recordEvent(tx, actor, def.type, doc.id, { kind: 'approval', transition: 'submitted', data: { flow: flow.name, step: steps[0].name } });
  await audit(tx, actor, { action: 'approval.started', entity: def.type, entityId: doc.id, after: { flowId: flow.id, requestId: request.id } });
  return { approved: false, doc };
}

/** Withdraws a pending approval (the submitter cancels the document). */
export async function cancelApproval(tx: Tx, docType: string, docId: number): Promise<void> {
  const [request] = await tx
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.docType, docType), eq(approvalRequests.docId, docId), eq(approvalRequests.status, 'pending')))
    .for('update');
  if (!request) return;
  await tx.update(approvalRequests).set({ status: 'cancelled', decidedAt: new Date() }).where(eq(approvalRequests.id, request.id));
  await tx.update(approvalTasks).set({ status: 'skipped' }).where(and(eq(approvalTasks.requestId, request.id), eq(approvalTasks.status, 'pending')));
}

/** Whom the actor may act for today: themselves and everyone who delegated to them for today. */
export async function principalsOf(db: Queryable, actor: Actor, timeZone: string): Promise<number[]> {
  const today = todayIn(timeZone);
  const rows = await db
    .select({ userId: approvalDelegations.userId })
    .from(approvalDelegations)
    .where(and(eq(approvalDelegations.delegateId, actor.id), lte(approvalDelegations.startsOn, today), gte(approvalDelegations.endsOn, today)));
  return [actor.id, ...rows.map((r) => r.userId)];
}

export type DecisionResult = { requestStatus: 'pending' | 'approved' | 'rejected'; result?: Record<string, unknown> | void };

export async function decide(db: Db, actor: Actor, taskId: number, decision: Decision, comment: string | null, timeZone: string): Promise<DecisionResult> {
  return db.transaction(async (tx) => {
    const [peek] = await tx.select({ requestId: approvalTasks.requestId }).from(approvalTasks).where(eq(approvalTasks.id, taskId));
    if (!peek) throw notFound();
    const [request] = await tx.select().from(approvalRequests).where(eq(approvalRequests.id, peek.requestId)).for('update');
    const [task] = await tx.select().from(approvalTasks).where(eq(approvalTasks.id, taskId)).for('update');
    const principals = await principalsOf(tx, actor, timeZone);
    if (!principals.includes(task.approverId)) throw notFound();
    if (task.status !== 'pending' || request.status !== 'pending') throw new DomainError('APPROVAL_ALREADY_DECIDED', {}, 409);
    if (decision === 'reject' && !comment) {
      throw new DomainError('APPROVAL_REASON_REQUIRED', {}, 422, [{ path: 'comment', code: 'APPROVAL_REASON_REQUIRED' }]);
    }

    const def = documentType(request.docType);
    const doc = await def.load(tx, request.docId);
    if (!doc) throw notFound();
    const onBehalfOf =
      task.approverId === actor.id
        ? null
        : await tx.select({ id: users.id, name: users.displayName }).from(users).where(eq(users.id, task.approverId)).then((r) => r[0]);

    await tx
      .update(approvalTasks)
      .set({ status: decision === 'approve' ? 'approved' : 'rejected', decidedBy: actor.id, comment, decidedAt: new Date() })
      .where(eq(approvalTasks.id, taskId));
    await recordEvent(tx, actor, def.type, doc.id, {
      kind: 'approval',
      transition: decision === 'approve' ? 'approved_step' : 'rejected_step',
      comment,
      onBehalfOf,
      data: { step: task.stepName },
    });
    await audit(tx, actor, {
      action: `approval.${decision}`,
      entity: def.type,
      entityId: doc.id,
      after: { taskId, step: task.stepName, comment, onBehalfOf: onBehalfOf?.id },
    });

    if (decision === 'reject') {
      await tx.update(approvalTasks).set({ status: 'skipped' }).where(and(eq(approvalTasks.requestId, request.id), eq(approvalTasks.status, 'pending')));
      await tx.update(approvalRequests).set({ status: 'rejected', decidedAt: new Date() }).where(eq(approvalRequests.id, request.id));
      await transition(tx, actor, def, doc, 'reject', { system: true, comment, onBehalfOf });
      await notifySubmitter(tx, request, 'rejected', actor.displayName, comment);
      return { requestStatus: 'rejected' };
    }

    // Approve: is the step complete?
    if (task.mode === 'any') {
      await tx
        .update(approvalTasks)
        .set({ status: 'skipped' })
        .where(and(eq(approvalTasks.requestId, request.id), eq(approvalTasks.stepSeq, task.stepSeq), eq(approvalTasks.status, 'pending')));
    } else {
      const open = await tx
        .select({ id: approvalTasks.id })
        .from(approvalTasks)
        .where(and(eq(approvalTasks.requestId, request.id), eq(approvalTasks.stepSeq, task.stepSeq), eq(approvalTasks.status, 'pending')));
      if (open.length > 0) return { requestStatus: 'pending' };
    }
    const [next] = await tx
      .select()
      .from(approvalFlowSteps)
      .where(and(eq(approvalFlowSteps.flowId, request.flowId), sql`${approvalFlowSteps.seq} > ${task.stepSeq}`))
      .orderBy(asc(approvalFlowSteps.seq))
      .limit(1);
    if (next) {
      await tx.update(approvalRequests).set({ currentStep: next.seq }).where(eq(approvalRequests.id, request.id));
      await openStep(tx, request, next, request.submittedBy);
      return { requestStatus: 'pending' };
    }
    await tx.update(approvalRequests).set({ status: 'approved', decidedAt: new Date() }).where(eq(approvalRequests.id, request.id));
    const approved = await transition(tx, actor, def, doc, 'approve', { system: true, comment, onBehalfOf });
    const result = await def.onApproved?.(tx, actor, approved);
    await notifySubmitter(tx, request, 'approved', actor.displayName, comment);
    return { requestStatus: 'approved', result };
  });
}

export type TaskRow = {
  id: number;
  docType: string;
  docTypeName: string;
  docId: number;
  docNumber: string;
  docTitle: string;
  stepName: string;
  approver: { id: number; displayName: string };
  onBehalf: boolean;
  submitter: { id: number; displayName: string };
  submittedAt: Date;
  status: string;
  comment: string | null;
  decidedAt: Date | null;
};

/** The actor's approval to-do list (their own tasks and those of whoever delegated to them today), or their history. */
export async function listTasks(db: Queryable, actor: Actor, status: 'pending' | 'done', timeZone: string): Promise<TaskRow[]> {
  const principals = await principalsOf(db, actor, timeZone);
  const rows = await db
    .select({
      id: approvalTasks.id,
      docType: approvalRequests.docType,
      docId: approvalRequests.docId,
      stepName: approvalTasks.stepName,
      approverId: approvalTasks.approverId,
      approverName: sql<string>`(select u.display_name from users u where u.id = ${approvalTasks.approverId})`,
      submitterId: approvalRequests.submittedBy,
      submitterName: sql<string>`(select u.display_name from users u where u.id = ${approvalRequests.submittedBy})`,
      submittedAt: approvalRequests.submittedAt,
      status: approvalTasks.status,
      comment: approvalTasks.comment,
      decidedAt: approvalTasks.decidedAt,
    })
    .from(approvalTasks)
    .innerJoin(approvalRequests, eq(approvalRequests.id, approvalTasks.requestId))
    .where(
      status === 'pending'
        ? and(inArray(approvalTasks.approverId, principals), eq(approvalTasks.status, 'pending'))
        : and(or(eq(approvalTasks.decidedBy, actor.id), eq(approvalTasks.approverId, actor.id)), inArray(approvalTasks.status, ['approved', 'rejected'])),
    )
    .orderBy(status === 'pending' ? asc(approvalTasks.id) : desc(approvalTasks.decidedAt))
    .limit(500);
  const byType = new Map<string, number[]>();
  for (const r of rows) byType.set(r.docType, [...(byType.get(r.docType) ?? []), r.docId]);
  const summaries = new Map<string, { number: string; title: string }>();
  for (const [type, ids] of byType) {
    for (const s of await documentType(type).summaries(db, ids)) summaries.set(`${type}:${s.id}`, s);
  }
  return rows.map((r) => ({
    id: r.id,
    docType: r.docType,
    docTypeName: documentType(r.docType).name[actor.locale],
    docId: r.docId,
    docNumber: summaries.get(`${r.docType}:${r.docId}`)?.number ?? '',
    docTitle: summaries.get(`${r.docType}:${r.docId}`)?.title ?? '',
    stepName: r.stepName,
    approver: { id: r.approverId, displayName: r.approverName },
    onBehalf: r.approverId !== actor.id,
    submitter: { id: r.submitterId, displayName: r.submitterName },
    submittedAt: r.submittedAt,
    status: r.status,
    comment: r.comment,
    decidedAt: r.decidedAt,
  }));
}

/** The approval trail of one document: every request with its tasks, for the document page. */
export async function approvalTrail(db: Queryable, docType: string, docId: number) {
  const requests = await db
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.docType, docType), eq(approvalRequests.docId, docId)))
    .orderBy(asc(approvalRequests.id));
  if (requests.length === 0) return [];
  const tasks = await db
    .select({
      id: approvalTasks.id,
      requestId: approvalTasks.requestId,
      stepSeq: approvalTasks.stepSeq,
      stepName: approvalTasks.stepName,
      mode: approvalTasks.mode,
      approverName: sql<string>`(select u.display_name from users u where u.id = ${approvalTasks.approverId})`,
      decidedByName: sql<string | null>`(select u.display_name from users u where u.id = ${approvalTasks.decidedBy})`,
      status: approvalTasks.status,
      comment: approvalTasks.comment,
      decidedAt: approvalTasks.decidedAt,
    })
    .from(approvalTasks)
    .where(inArray(approvalTasks.requestId, requests.map((r) => r.id)))
    .orderBy(asc(approvalTasks.stepSeq), asc(approvalTasks.id));
  return requests.map((r) => ({ id: r.id, status: r.status, submittedAt: r.submittedAt, decidedAt: r.decidedAt, tasks: tasks.filter((t) => t.requestId === r.id) }));
}

// ---- Flow configuration -----------------------------------------------------------------------

export type StepInput = { name: string; approverKind: 'role' | 'department_head' | 'user'; roleId?: number | null; userId?: number | null; mode: 'any' | 'all' };
export type FlowInput = { docType: string; name: string; priority: number; conditions: FlowCondition[]; active: boolean; steps: StepInput[] };

export async function listFlows(db: Queryable, docType?: string) {
  const flows = await db
    .select()
    .from(approvalFlows)
    .where(docType ? eq(approvalFlows.docType, docType) : undefined)
    .orderBy(asc(approvalFlows.docType), asc(approvalFlows.priority), asc(approvalFlows.id));
  const steps = flows.length
    ? await db
        .select({
          id: approvalFlowSteps.id,
          flowId: approvalFlowSteps.flowId,
          seq: approvalFlowSteps.seq,
          name: approvalFlowSteps.name,
          approverKind: approvalFlowSteps.approverKind,
          roleId: approvalFlowSteps.roleId,
          roleName: roles.name,
          userId: approvalFlowSteps.userId,
          userName: users.displayName,
          mode: approvalFlowSteps.mode,
        })
        .from(approvalFlowSteps)
        .leftJoin(roles, eq(roles.id, approvalFlowSteps.roleId))
        .leftJoin(users, eq(users.id, approvalFlowSteps.userId))
        .where(inArray(approvalFlowSteps.flowId, flows.map((f) => f.id)))
        .orderBy(asc(approvalFlowSteps.seq))
    : [];
  return flows.map((f) => ({ ...f, steps: steps.filter((s) => s.flowId === f.id).map(({ flowId: _, ...s }) => s) }));
}

function checkFlow(input: FlowInput) {
  documentType(input.docType);
  if (input.steps.length === 0) throw new DomainError('APPROVAL_FLOW_NO_STEPS', {}, 422, [{ path: 'steps', code: 'APPROVAL_FLOW_NO_STEPS' }]);
  input.steps.forEach((s, i) => {
    if (s.approverKind === 'role' && !s.roleId) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: `steps.${i}.roleId`, code: 'APPROVAL_STEP_APPROVER_REQUIRED' }]);
    if (s.approverKind === 'user' && !s.userId) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: `steps.${i}.userId`, code: 'APPROVAL_STEP_APPROVER_REQUIRED' }]);
  });
}

async function writeSteps(tx: Tx, flowId: number, steps: StepInput[]) {
  await tx.delete(approvalFlowSteps).where(eq(approvalFlowSteps.flowId, flowId));
  await tx.insert(approvalFlowSteps).values(
    steps.map((s, i) => ({
      flowId,
      seq: i + 1,
      name: s.name,
      approverKind: s.approverKind,
      roleId: s.approverKind === 'role' ? s.roleId! : null,
      userId: s.approverKind === 'user' ? s.userId! : null,
      mode: s.mode,
    })),
  );
}

export async function createFlow(db: Db, actor: Actor, input: FlowInput) {
  checkFlow(input);
  const id = await db.transaction(async (tx) => {
    const [flow] = await tx
      .insert(approvalFlows)
      .values({ docType: input.docType, name: input.name, priority: input.priority, conditions: input.conditions, active: input.active })
      .returning();
    await writeSteps(tx, flow.id, input.steps);
    await audit(tx, actor, { action: 'approval_flow.created', entity: 'approval_flow', entityId: flow.id, after: input });
    return flow.id;
  });
  return (await listFlows(db)).find((f) => f.id === id)!;
}

export async function updateFlow(db: Db, actor: Actor, id: number, input: FlowInput & { version: number }) {
  checkFlow(input);
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(approvalFlows).where(eq(approvalFlows.id, id)).for('update');
    if (!before) throw notFound();
    if (before.version !== input.version) throw versionConflict();
    // Requests under way keep the steps they were opened with (their tasks carry step name and mode).
    await tx
      .update(approvalFlows)
      .set({ name: input.name, priority: input.priority, conditions: input.conditions, active: input.active, version: before.version + 1, updatedAt: new Date() })
      .where(eq(approvalFlows.id, id));
    await writeSteps(tx, id, input.steps);
    await audit(tx, actor, { action: 'approval_flow.updated', entity: 'approval_flow', entityId: id, before, after: input });
  });
  return (await listFlows(db)).find((f) => f.id === id)!;
}

// ---- Delegation -------------------------------------------------------------------------------

export async function listDelegations(db: Queryable, actor: Actor) {
  return db
    .select({
      id: approvalDelegations.id,
      userId: approvalDelegations.userId,
      delegateId: approvalDelegations.delegateId,
      delegateName: sql<string>`(select u.display_name from users u where u.id = ${approvalDelegations.delegateId})`,
      userName: sql<string>`(select u.display_name from users u where u.id = ${approvalDelegations.userId})`,
      startsOn: approvalDelegations.startsOn,
      endsOn: approvalDelegations.endsOn,
    })
    .from(approvalDelegations)
    .where(or(eq(approvalDelegations.userId, actor.id), eq(approvalDelegations.delegateId, actor.id)))
    .orderBy(desc(approvalDelegations.startsOn));
}

export async function createDelegation(db: Db, actor: Actor, input: { delegateId: number; startsOn: string; endsOn: string }) {
  if (input.delegateId === actor.id) throw new DomainError('DELEGATION_SELF', {}, 422, [{ path: 'delegateId', code: 'DELEGATION_SELF' }]);
  if (input.endsOn < input.startsOn) throw new DomainError('DELEGATION_DATES', {}, 422, [{ path: 'endsOn', code: 'DELEGATION_DATES' }]);
  return db.transaction(async (tx) => {
    if ((await activeUserIds(tx, [input.delegateId])).length === 0) {
      throw new DomainError('UNKNOWN_REFERENCE', { what: 'user', ids: input.delegateId }, 422, [{ path: 'delegateId', code: 'UNKNOWN_REFERENCE', params: { what: 'user', ids: input.delegateId } }]);
    }
    const [row] = await tx.insert(approvalDelegations).values({ userId: actor.id, ...input }).returning();
    await audit(tx, actor, { action: 'delegation.created', entity: 'approval_delegation', entityId: row.id, after: row });
    return row;
  });
}

export async function deleteDelegation(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(approvalDelegations).where(and(eq(approvalDelegations.id, id), eq(approvalDelegations.userId, actor.id))).for('update');
    if (!row) throw notFound();
    await tx.delete(approvalDelegations).where(eq(approvalDelegations.id, id));
    await audit(tx, actor, { action: 'delegation.deleted', entity: 'approval_delegation', entityId: id, before: row });
  });
}

/** The daily digest: every approver with tasks waiting gets one notification counting them. */
export async function sendApprovalDigest(db: Db): Promise<number> {
  const waiting = await db
    .select({ approverId: approvalTasks.approverId, n: sql<number>`count(*)::int`, oldest: sql<Date>`min(${approvalTasks.createdAt})` })
    .from(approvalTasks)
    .where(eq(approvalTasks.status, 'pending'))
    .groupBy(approvalTasks.approverId);
  if (waiting.length === 0) return 0;
  await db.transaction(async (tx) => {
    for (const w of waiting) {
      await notify(tx, {
        userIds: [w.approverId],
        event: 'approval.digest',
        title: { 'zh-CN': `您有 ${w.n} 条待审批`, 'en-US': `${w.n} approvals are waiting for you` },
        body: { 'zh-CN': '请在审批中心处理', 'en-US': 'Please decide them in the approval centre' },
        link: '/approvals/pending',
      });
    }
  });
  return waiting.length;
}
