import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/kernel/access/access.tables.js';
import { conditionHolds } from '../src/kernel/approvals/approvals.service.js';
import { formatNumber, nextDocumentNumber, periodOf } from '../src/kernel/documents/numbering.js';
import { Client, makeUser, roleIdOf, setupTest } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
let admin: Client;
let shTeam: number;
let repRole: number;

beforeAll(async () => {
  t = await setupTest({ demo: true });
  admin = await Client.as(t.app, 'admin');
  const depts = (await admin.get('/api/departments')).json().items as { id: number; name: string }[];
  shTeam = depts.find((d) => d.name === '上海一组')!.id;
  repRole = await roleIdOf(t.db, 'rep');
});
afterAll(() => t.close());

const request = (username: string, over: Record<string, unknown> = {}) => ({
  username,
  displayName: `新人${username}`,
  departmentId: shTeam,
  roleIds: [repRole],
  territoryIds: ['310101'],
  reason: '新入职业务员，负责黄浦区医院',
  ...over,
});

async function pendingTasks(c: Client) {
  return (await c.get('/api/approvals/tasks')).json().items as { id: number; docId: number; docNumber: string; stepName: string; onBehalf: boolean }[];
}

describe('document numbers', () => {
  it('formats patterns with the company date and a zero-padded counter per period', () => {
    const at = new Date('2026-01-31T17:30:00Z'); // already 1 February in Shanghai
    expect(formatNumber('SO-{yyyy}{mm}-{seq:5}', at, 'Asia/Shanghai', 42)).toBe('SO-202602-00042');
    expect(periodOf('SO-{yyyy}{mm}-{seq:5}', at, 'Asia/Shanghai')).toBe('202602');
    expect(periodOf('C{seq:6}', at, 'Asia/Shanghai')).toBe('-');
  });

  it('gives unique, gap-free numbers to parallel creators, and a rolled-back document returns its number', async () => {
    const take = () => t.db.transaction((tx) => nextDocumentNumber(tx, 'test_doc', 'T-{yyyy}-{seq:4}', new Date(), 'Asia/Shanghai'));
    const numbers = await Promise.all(Array.from({ length: 20 }, take));
    const seqs = numbers.map((n) => Number(n.slice(-4))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await expect(
      t.db.transaction(async (tx) => {
        await nextDocumentNumber(tx, 'test_doc', 'T-{yyyy}-{seq:4}', new Date(), 'Asia/Shanghai');
        throw new Error('the document failed half-way');
      }),
    ).rejects.toThrow('half-way');
    expect((await take()).slice(-4)).toBe('0021');
  });

  it('lets an administrator change a document type’s pattern, and refuses a pattern without one counter', async () => {
    const bad = await admin.request({ method: 'PUT', url: '/api/document-types/account_request/number-pattern', payload: { pattern: 'AR-{yyyy}' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields[0].path).toBe('pattern');
    const ok = await admin.request({ method: 'PUT', url: '/api/document-types/account_request/number-pattern', payload: { pattern: 'KH{yy}{mm}{seq:3}' } });
    expect(ok.statusCode).toBe(204);
    const lead = await Client.as(t.app, 'team_lead');
    const created = (await lead.post('/api/account-requests', request('pattern_check'))).json();
    expect(created.number).toMatch(/^KH\d{4}001$/);
    await admin.request({ method: 'PUT', url: '/api/document-types/account_request/number-pattern', payload: { pattern: 'AR-{yyyy}{mm}-{seq:4}' } });
    const types = (await admin.get('/api/document-types')).json().items;
    expect(types.find((x: { type: string }) => x.type === 'account_request').numberPattern).toBe('AR-{yyyy}{mm}-{seq:4}');
  });
});

describe('account request through the approval flow', () => {
  it('goes draft → department head → administrator → account created, with every step on the timeline', async () => {
    const lead = await Client.as(t.app, 'team_lead'); // 孙伟 heads 上海一组 himself: his approver is the head above, 赵磊
    const draft = await lead.post('/api/account-requests', request('new_rep1'));
    expect(draft.statusCode).toBe(200);
    const doc = draft.json();
    expect(doc).toMatchObject({ status: 'draft', requesterName: '孙伟', departmentName: '上海一组' });
    expect(doc.number).toMatch(/^AR-\d{6}-\d{4}$/);

    const submitted = await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ approved: false, request: { status: 'pending' } });

    const east = await Client.as(t.app, 'east_manager');
    const [task] = (await pendingTasks(east)).filter((x) => x.docId === doc.id);
    expect(task).toMatchObject({ docNumber: doc.number, stepName: '部门负责人审批', onBehalf: false });
    expect((await pendingTasks(admin)).some((x) => x.docId === doc.id)).toBe(false); // not yet at step 2
    expect((await east.get(`/api/account-requests/${doc.id}`)).statusCode).toBe(200); // approvers may read it

    expect((await east.post(`/api/approvals/tasks/${task.id}/approve`, { comment: '同意' })).json()).toMatchObject({ requestStatus: 'pending', result: null });
    const [adminTask] = (await pendingTasks(admin)).filter((x) => x.docId === doc.id);
    const done = await admin.post(`/api/approvals/tasks/${adminTask.id}/approve`, { comment: '已开通' });
    expect(done.statusCode).toBe(200);
    const { requestStatus, result } = done.json();
    expect(requestStatus).toBe('approved');
    expect(result.username).toBe('new_rep1');
    expect(result.initialPassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{10}$/);

    const newcomer = await Client.as(t.app, 'new_rep1', result.initialPassword);
    expect((await newcomer.get('/api/auth/me')).json().user).toMatchObject({ displayName: '新人new_rep1', mustChangePassword: true, department: { name: '上海一组' } });
    expect((await lead.get(`/api/account-requests/${doc.id}`)).json()).toMatchObject({ status: 'approved', createdUserId: result.createdUserId });

    const tl = (await lead.get(`/api/documents/account_request/${doc.id}/timeline`)).json();
    expect(tl.events.map((e: { kind: string; transition: string | null }) => `${e.kind}:${e.transition ?? ''}`)).toEqual([
      'created:',
      'transition:submit',
      'approval:submitted',
      'approval:approved_step',
      'approval:approved_step',
      'transition:approve',
    ]);
    expect(tl.approvals[0].tasks.map((x: { approverName: string; status: string }) => `${x.approverName}:${x.status}`)).toEqual(['赵磊:approved', '王敏:approved']);
  });

  it('returns a rejected request to draft with the reason, and the requester can fix and resubmit', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const doc = (await lead.post('/api/account-requests', request('new_rep2'))).json();
    await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version });
    const east = await Client.as(t.app, 'east_manager');
    const [task] = (await pendingTasks(east)).filter((x) => x.docId === doc.id);
    const noReason = await east.post(`/api/approvals/tasks/${task.id}/reject`, {});
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().error.fields[0].path).toBe('comment');
    expect((await east.post(`/api/approvals/tasks/${task.id}/reject`, { comment: '区域不对，请改为徐汇区' })).json().requestStatus).toBe('rejected');

    const back = (await lead.get(`/api/account-requests/${doc.id}`)).json();
    expect(back.status).toBe('draft');
    const tl = (await lead.get(`/api/documents/account_request/${doc.id}/timeline`)).json();
    expect(tl.events.at(-1)).toMatchObject({ kind: 'transition', transition: 'reject', fromState: 'pending', toState: 'draft', comment: '区域不对，请改为徐汇区', actorName: '赵磊' });

    const fixed = await lead.patch(`/api/account-requests/${doc.id}`, { ...request('new_rep2', { territoryIds: ['310104'] }), version: back.version });
    expect(fixed.statusCode).toBe(200);
    const again = await lead.post(`/api/account-requests/${doc.id}/submit`, { version: fixed.json().version });
    expect(again.json().request.status).toBe('pending');
    expect((await pendingTasks(east)).filter((x) => x.docId === doc.id)).toHaveLength(1);
  });

  it('refuses what the state or the person does not allow', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const doc = (await lead.post('/api/account-requests', request('new_rep3'))).json();
    const other = await Client.as(t.app, 'east_manager'); // sees it by scope, but is not the requester
    expect((await other.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version })).statusCode).toBe(403);
    const stale = await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version + 5 });
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');
    const sub = (await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version })).json();
    const edit = await lead.patch(`/api/account-requests/${doc.id}`, { ...request('new_rep3'), version: sub.request.version });
    expect(edit.json().error.code).toBe('DOCUMENT_NOT_EDITABLE');
    const twice = await lead.post(`/api/account-requests/${doc.id}/submit`, { version: sub.request.version });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('单据当前为“审批中”，不能执行“提交”');
    const rep = await Client.as(t.app, 'rep'); // no permission, and out of scope
    expect((await rep.get('/api/account-requests')).statusCode).toBe(403);
    expect((await rep.get(`/api/account-requests/${doc.id}`)).statusCode).toBe(404);
    const otherLead = await makeUser(t.db, { username: 'js_lead', departmentId: (await lead.get('/api/auth/me')).json().user.department.id + 1, roles: ['team_lead'] });
    const js = await Client.as(t.app, 'js_lead', otherLead.password);
    expect((await js.get(`/api/account-requests/${doc.id}`)).statusCode).toBe(404);
    expect((await js.get('/api/documents/account_request/' + doc.id + '/timeline')).statusCode).toBe(404);
    expect((await js.post('/api/documents/account_request/' + doc.id + '/comments', { text: '路过' })).statusCode).toBe(404);

    // cancelling withdraws the pending approval
    const cancelled = await lead.post(`/api/account-requests/${doc.id}/cancel`, { version: sub.request.version, reason: '候选人放弃' });
    expect(cancelled.json().status).toBe('cancelled');
    const east = await Client.as(t.app, 'east_manager');
    expect((await pendingTasks(east)).some((x) => x.docId === doc.id)).toBe(false);
  });

  it('refuses a second pending request for the same username, and a username already taken', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const taken = await lead.post('/api/account-requests', request('rep2'));
    expect(taken.json().error.code).toBe('USERNAME_TAKEN');
    const a = (await lead.post('/api/account-requests', request('twin'))).json();
    await lead.post(`/api/account-requests/${a.id}/submit`, { version: a.version });
    const b = await lead.post('/api/account-requests', request('twin'));
    expect(b.statusCode).toBe(409);
    expect(b.json().error.code).toBe('ACCOUNT_REQUEST_DUPLICATE');
  });

  it('lets exactly one of two “any” approvers decide when both click at once', async () => {
    const flow = (await admin.get('/api/approvals/flows?docType=account_request')).json().items[0];
    const two = await makeUser(t.db, { username: 'admin_b', roles: ['admin'] });
    // A one-step flow: any administrator.
    const put = await admin.request({
      method: 'PUT',
      url: `/api/approvals/flows/${flow.id}`,
      payload: { docType: 'account_request', name: flow.name, priority: 100, conditions: [], active: true, steps: [{ name: '管理员审批', approverKind: 'role', roleId: await roleIdOf(t.db, 'admin'), mode: 'any' }], version: flow.version },
    });
    expect(put.statusCode).toBe(200);
    const lead = await Client.as(t.app, 'team_lead');
    const doc = (await lead.post('/api/account-requests', request('race_rep'))).json();
    await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version });
    const b = await Client.as(t.app, 'admin_b', two.password);
    const taskA = (await pendingTasks(admin)).find((x) => x.docId === doc.id)!;
    const taskB = (await pendingTasks(b)).find((x) => x.docId === doc.id)!;
    const results = await Promise.all([admin.post(`/api/approvals/tasks/${taskA.id}/approve`, {}), b.post(`/api/approvals/tasks/${taskB.id}/approve`, {})]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const created = await t.db.select().from(users).where(eq(users.username, 'race_rep'));
    expect(created).toHaveLength(1);
    // put the default two-step flow back
    const now = (await admin.get('/api/approvals/flows?docType=account_request')).json().items[0];
    await admin.request({
      method: 'PUT',
      url: `/api/approvals/flows/${flow.id}`,
      payload: { docType: 'account_request', name: flow.name, priority: 100, conditions: [], active: true, steps: flow.steps.map((s: { name: string; approverKind: string; roleId: number | null; userId: number | null; mode: string }) => ({ name: s.name, approverKind: s.approverKind, roleId: s.roleId, userId: s.userId, mode: s.mode })), version: now.version },
    });
  });
});

describe('approval notifications', () => {
  type Note = { event: string; title: string; body: string; link: string | null };
  const inbox = async (c: Client): Promise<Note[]> => (await c.get('/api/notifications?pageSize=50')).json().items;

  it('tells approvers when a task waits for them, and the submitter how it ended', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const east = await Client.as(t.app, 'east_manager');
    const doc = (await lead.post('/api/account-requests', request('noticed_rep'))).json();
    await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version });
    const assigned = (await inbox(east)).find((n) => n.event === 'approval.task_assigned' && n.title.includes(doc.number))!;
    expect(assigned).toMatchObject({ title: `待审批：账号申请 ${doc.number}`, link: '/approvals/pending' });
    expect(assigned.body).toContain('孙伟');

    const [task] = (await pendingTasks(east)).filter((x) => x.docId === doc.id);
    await east.post(`/api/approvals/tasks/${task.id}/reject`, { comment: '请补充简历' });
    const rejected = (await inbox(lead)).find((n) => n.event === 'approval.rejected' && n.title.includes(doc.number))!;
    expect(rejected.body).toContain('请补充简历');
    expect(rejected.link).toBe(`/account-requests/${doc.id}`);

    const back = (await lead.get(`/api/account-requests/${doc.id}`)).json();
    await lead.post(`/api/account-requests/${doc.id}/submit`, { version: back.version });
    const [again] = (await pendingTasks(east)).filter((x) => x.docId === doc.id);
    await east.post(`/api/approvals/tasks/${again.id}/approve`, {});
    const adminTask = (await pendingTasks(admin)).find((x) => x.docId === doc.id)!;
    expect((await inbox(admin)).some((n) => n.event === 'approval.task_assigned' && n.title.includes(doc.number))).toBe(true);
    await admin.post(`/api/approvals/tasks/${adminTask.id}/approve`, {});
    expect((await inbox(lead)).some((n) => n.event === 'approval.approved' && n.title === `已审批通过：账号申请 ${doc.number}`)).toBe(true);
  });

  it('sends each approver one daily digest counting what waits for them', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const doc = (await lead.post('/api/account-requests', request('digest_rep'))).json();
    await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version });
    const east = await Client.as(t.app, 'east_manager');
    const waiting = (await pendingTasks(east)).length;
    expect(waiting).toBeGreaterThan(0);
    const run = await admin.post('/api/jobs/approvals.digest/run');
    expect(run.statusCode).toBe(200);
    const digests = (await inbox(east)).filter((n) => n.event === 'approval.digest');
    expect(digests).toHaveLength(1);
    expect(digests[0].title).toBe(`您有 ${waiting} 条待审批`);
  });
});

describe('flows with conditions, and delegation', () => {
  it('routes by conditions: a request with several roles needs the sales director too', async () => {
    const director = await Client.as(t.app, 'director');
    const directorId = (await director.get('/api/auth/me')).json().user.id;
    const created = await admin.post('/api/approvals/flows', {
      docType: 'account_request',
      name: '多角色账号',
      priority: 10,
      conditions: [{ fact: 'roleCount', op: 'gt', value: 1 }],
      active: true,
      steps: [{ name: '销售总监审批', approverKind: 'user', userId: directorId, mode: 'any' }],
    });
    expect(created.statusCode).toBe(200);
    const lead = await Client.as(t.app, 'team_lead');
    const single = (await lead.post('/api/account-requests', request('one_role'))).json();
    await lead.post(`/api/account-requests/${single.id}/submit`, { version: single.version });
    const multi = (await lead.post('/api/account-requests', request('two_roles', { roleIds: [repRole, await roleIdOf(t.db, 'team_lead')] }))).json();
    await lead.post(`/api/account-requests/${multi.id}/submit`, { version: multi.version });
    const tasks = await pendingTasks(director);
    expect(tasks.some((x) => x.docId === multi.id)).toBe(true);
    expect(tasks.some((x) => x.docId === single.id)).toBe(false);
    expect(conditionHolds({ fact: 'roleIds', op: 'contains', value: repRole }, { roleIds: [repRole] })).toBe(true);
    expect(conditionHolds({ fact: 'amount', op: 'gt', value: 100 }, { amount: '500' })).toBe(false);
  });

  it('lets a delegate approve for an absent approver, recorded as on behalf of', async () => {
    const east = await Client.as(t.app, 'east_manager');
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const teamLeadId = (await (await Client.as(t.app, 'team_lead')).get('/api/auth/me')).json().user.id;
    expect((await east.post('/api/approvals/delegations', { delegateId: teamLeadId + 1000, startsOn: today, endsOn: today })).statusCode).toBe(422);
    expect((await east.post('/api/approvals/delegations', { delegateId: teamLeadId, startsOn: today, endsOn: '2000-01-01' })).json().error.code).toBe('DELEGATION_DATES');
    const office = await Client.as(t.app, 'office_lead');
    const officeId = (await office.get('/api/auth/me')).json().user.id;
    const given = await east.post('/api/approvals/delegations', { delegateId: officeId, startsOn: today, endsOn: today });
    expect(given.statusCode).toBe(200);

    const lead = await Client.as(t.app, 'team_lead');
    const doc = (await lead.post('/api/account-requests', request('delegated_rep'))).json();
    await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version });
    const [task] = (await pendingTasks(office)).filter((x) => x.docId === doc.id);
    expect(task.onBehalf).toBe(true);
    expect((await office.post(`/api/approvals/tasks/${task.id}/approve`, { comment: '代批' })).statusCode).toBe(200);
    const tl = (await lead.get(`/api/documents/account_request/${doc.id}/timeline`)).json();
    expect(tl.events.find((e: { transition: string }) => e.transition === 'approved_step')).toMatchObject({ actorName: '陈静', onBehalfOfName: '赵磊', comment: '代批' });

    // after the delegation ends, the delegate no longer sees or decides the approver's tasks
    expect((await east.delete(`/api/approvals/delegations/${given.json().id}`)).statusCode).toBe(204);
    const doc2 = (await lead.post('/api/account-requests', request('after_delegation'))).json();
    await lead.post(`/api/account-requests/${doc2.id}/submit`, { version: doc2.version });
    expect((await pendingTasks(office)).some((x) => x.docId === doc2.id)).toBe(false);
    const eastTask = (await pendingTasks(east)).find((x) => x.docId === doc2.id)!;
    expect((await office.post(`/api/approvals/tasks/${eastTask.id}/approve`, {})).statusCode).toBe(404);
  });

  it('lets a named approver without the read permission open the request, and offers role names to requesters', async () => {
    const finance = await Client.as(t.app, 'finance');
    const financeId = (await finance.get('/api/auth/me')).json().user.id;
    const flow = (
      await admin.post('/api/approvals/flows', {
        docType: 'account_request', name: '财务复核', priority: 5, conditions: [{ fact: 'roleCount', op: 'gte', value: 3 }], active: true,
        steps: [{ name: '财务复核', approverKind: 'user', userId: financeId, mode: 'any' }],
      })
    ).json();
    const lead = await Client.as(t.app, 'team_lead');
    const options = (await lead.get('/api/roles/options')).json().items as { id: number; code: string }[];
    expect(options.map((o) => o.code)).toEqual(expect.arrayContaining(['rep', 'team_lead', 'admin']));
    expect((await lead.get('/api/roles')).statusCode).toBe(403);
    const three = options.filter((o) => ['rep', 'team_lead', 'sales_office'].includes(o.code)).map((o) => o.id);
    const doc = (await lead.post('/api/account-requests', request('three_roles', { roleIds: three }))).json();
    await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version });
    expect((await finance.get('/api/account-requests')).statusCode).toBe(403); // no list for finance
    expect((await finance.get(`/api/account-requests/${doc.id}`)).json().username).toBe('three_roles');
    const other = (await lead.post('/api/account-requests', request('not_for_finance'))).json();
    expect((await finance.get(`/api/account-requests/${other.id}`)).statusCode).toBe(404);
    await admin.request({ method: 'PUT', url: `/api/approvals/flows/${flow.id}`, payload: { ...flow, steps: flow.steps.map((s: { name: string; approverKind: string; userId: number }) => ({ name: s.name, approverKind: s.approverKind, userId: s.userId, mode: 'any' })), active: false, id: undefined } });
  });

  it('finds active colleagues in the directory for every employee, but not for agents', async () => {
    const quality = await Client.as(t.app, 'quality'); // no users.read
    expect((await quality.get('/api/users?q=赵')).statusCode).toBe(403);
    const found = (await quality.get('/api/users/directory?q=赵')).json().items;
    expect(found).toEqual([{ id: expect.any(Number), username: 'east_manager', displayName: '赵磊', departmentName: '华东大区' }]);
    expect((await quality.get(`/api/users/directory?ids=${found[0].id}`)).json().items[0].username).toBe('east_manager');
    const agent = await Client.as(t.app, 'agent');
    expect((await agent.get('/api/users/directory?q=赵')).statusCode).toBe(403);
  });

  it('keeps comments on the timeline and refuses an empty one', async () => {
    const lead = await Client.as(t.app, 'team_lead');
    const doc = (await lead.post('/api/account-requests', request('commented'))).json();
    expect((await lead.post(`/api/documents/account_request/${doc.id}/comments`, { text: '  ' })).statusCode).toBe(400);
    expect((await lead.post(`/api/documents/account_request/${doc.id}/comments`, { text: '下周一入职' })).statusCode).toBe(204);
    const tl = (await lead.get(`/api/documents/account_request/${doc.id}/timeline`)).json();
    expect(tl.events.at(-1)).toMatchObject({ kind: 'comment', comment: '下周一入职', actorName: '孙伟' });
    expect((await lead.get('/api/documents/no_such_type/1/timeline')).statusCode).toBe(404);
  });

  it('refuses to submit when no approval flow applies, rather than creating an account unapproved', async () => {
    await t.db.execute(sql`update approval_flows set active = false where doc_type = 'account_request'`);
    try {
      const lead = await Client.as(t.app, 'team_lead');
      const doc = (await lead.post('/api/account-requests', request('no_flow'))).json();
      const res = await lead.post(`/api/account-requests/${doc.id}/submit`, { version: doc.version });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('APPROVAL_NO_FLOW');
      expect((await lead.get(`/api/account-requests/${doc.id}`)).json().status).toBe('draft');
    } finally {
      await t.db.execute(sql`update approval_flows set active = true where doc_type = 'account_request'`);
    }
  });
});
