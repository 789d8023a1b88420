import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/kernel/access/access.tables.js';
import { auditLog } from '../src/kernel/audit/audit.tables.js';
import { notifications } from '../src/kernel/notify/notify.tables.js';
import { companyToday } from '../src/modules/customers/customers.scope.js';
import { customers } from '../src/modules/customers/customers.tables.js';
import { customerDelegations, customerOwnerHistory } from '../src/modules/customers/ownership.tables.js';
import { Client, makeCustomer, makeUser, setupTest, userIdOf } from './support.js';

let t: Awaited<ReturnType<typeof setupTest>>;
const ids: Record<string, number> = {};
const u: Record<string, number> = {};

const day = (offset: number) => {
  const d = new Date(`${companyToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
const names = (res: { json(): { items: { name: string }[] } }) => res.json().items.map((c) => c.name).sort();

beforeAll(async () => {
  t = await setupTest({ demo: true, demoCustomers: false });
  for (const name of ['rep', 'rep2', 'rep_js', 'rep_bj', 'rep_gd', 'east_manager', 'north_manager', 'office_lead']) u[name] = await userIdOf(t.db, name);
  ids.a = (await makeCustomer(t.db, { name: '上海第一人民医院', owner: 'rep', territoryId: '310101' })).id;
  ids.b = (await makeCustomer(t.db, { name: '上海第六人民医院', owner: 'rep', territoryId: '310104' })).id;
  ids.c = (await makeCustomer(t.db, { name: '上海益丰大药房', owner: 'rep', territoryId: '310105', type: 'pharmacy' })).id;
  ids.js = (await makeCustomer(t.db, { name: '南京医药股份有限公司', owner: 'rep_js', territoryId: '320106', type: 'distributor' })).id;
  ids.gd1 = (await makeCustomer(t.db, { name: '广州中山大学附属第一医院', owner: 'rep_gd', territoryId: '440106' })).id;
  ids.gd2 = (await makeCustomer(t.db, { name: '深圳人民医院', owner: 'rep_gd', territoryId: '440303' })).id;
  ids.free = (await makeCustomer(t.db, { name: '杭州第一医院', territoryId: '330102' })).id;
});
afterAll(() => t.close());

describe('assigning customers (分配负责人)', () => {
  it('lets the office lead assign a customer to a rep; the team follows the rep and the rep is told', async () => {
    const lead = await Client.as(t.app, 'office_lead');
    const res = await lead.post('/api/customers/assign', { customerIds: [ids.free], ownerId: u.rep_js, reason: '新开发客户' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().assigned).toBe(1);
    const [row] = await t.db.select().from(customers).where(eq(customers.id, ids.free));
    const [rep] = await t.db.select().from(users).where(eq(users.id, u.rep_js));
    expect(row).toMatchObject({ ownerId: u.rep_js, ownerDepartmentId: rep!.departmentId, version: 2 });
    const history = (await lead.get(`/api/customers/${ids.free}/owner-history`)).json();
    expect(history).toMatchObject([{ fromUserName: null, toUserName: '吴芳', kind: 'assign', reason: '新开发客户', byUserName: '陈静' }]);
    const inbox = await t.db.select().from(notifications).where(and(eq(notifications.userId, u.rep_js), eq(notifications.event, 'customer.assigned')));
    expect(inbox).toHaveLength(1);
  });

  it('assigns several selected customers at once', async () => {
    const lead = await Client.as(t.app, 'office_lead');
    const res = await lead.post('/api/customers/assign', { customerIds: [ids.gd1, ids.gd2], ownerId: u.rep_gd });
    expect(res.json().assigned).toBe(0); // already theirs: nothing changes, no history
    const back = await lead.post('/api/customers/assign', { customerIds: [ids.free, ids.js], ownerId: u.rep_js });
    expect(back.json().assigned).toBe(0);
  });

  it('refuses a disabled rep (422), a rep outside the manager’s region (403), a customer outside the scope (404) and reps (403)', async () => {
    const gone = await makeUser(t.db, { username: 'gone_rep', roles: ['rep'] });
    await t.db.update(users).set({ status: 'disabled' }).where(eq(users.id, gone.id));
    const lead = await Client.as(t.app, 'office_lead');
    const disabled = await lead.post('/api/customers/assign', { customerIds: [ids.a], ownerId: gone.id });
    expect(disabled.statusCode).toBe(422);
    expect(disabled.json().error.fields[0].path).toBe('ownerId');
    const east = await Client.as(t.app, 'east_manager');
    expect((await east.post('/api/customers/assign', { customerIds: [ids.a], ownerId: u.rep_bj })).statusCode).toBe(403);
    expect((await east.post('/api/customers/assign', { customerIds: [ids.gd1], ownerId: u.rep })).statusCode).toBe(404);
    expect((await (await Client.as(t.app, 'rep')).post('/api/customers/assign', { customerIds: [ids.a], ownerId: u.rep2 })).statusCode).toBe(403);
    expect((await lead.post('/api/customers/assign', { customerIds: [], ownerId: u.rep2 })).statusCode).toBe(400);
  });
});

describe('handing over a leaving rep’s customers (工作转移)', () => {
  it('shows the count first, then moves every customer of the rep in one action with history and audit', async () => {
    const east = await Client.as(t.app, 'east_manager');
    expect((await east.get(`/api/customers/transfer/preview?fromUserId=${u.rep}`)).json()).toEqual({ count: 3 });
    expect(names(await (await Client.as(t.app, 'rep')).get('/api/customers'))).toHaveLength(3);
    const res = await east.post('/api/customers/transfer', { fromUserId: u.rep, toUserId: u.rep2, reason: '张伟离职' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ transferred: 3 });
    const rows = await t.db.select().from(customers).where(eq(customers.ownerId, u.rep2));
    expect(rows.map((r) => r.id).sort()).toEqual([ids.a, ids.b, ids.c].sort());
    const history = await t.db.select().from(customerOwnerHistory).where(eq(customerOwnerHistory.kind, 'transfer'));
    expect(history.map((h) => [h.customerId, h.fromUserId, h.toUserId, h.reason])).toEqual(
      expect.arrayContaining([ids.a, ids.b, ids.c].map((id) => [id, u.rep, u.rep2, '张伟离职'])),
    );
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'customer.transferred'));
    expect(audits.map((a) => a.entityId).sort()).toEqual([ids.a, ids.b, ids.c].map(String).sort());
    expect(names(await (await Client.as(t.app, 'rep')).get('/api/customers'))).toEqual([]);
    expect(names(await (await Client.as(t.app, 'rep2')).get('/api/customers'))).toEqual(expect.arrayContaining(['上海第一人民医院', '上海第六人民医院', '上海益丰大药房']));
    expect((await east.get(`/api/customers/transfer/preview?fromUserId=${u.rep}`)).json()).toEqual({ count: 0 });
  });

  it('refuses a manager outside the rep’s department (403) and handing over to oneself (422)', async () => {
    const north = await Client.as(t.app, 'north_manager');
    const res = await north.post('/api/customers/transfer', { fromUserId: u.rep2, toUserId: u.rep_bj, reason: 'x' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('OWNERSHIP_USER_OUT_OF_REACH');
    expect((await north.get(`/api/customers/transfer/preview?fromUserId=${u.rep2}`)).statusCode).toBe(403);
    expect((await north.get(`/api/customers/${ids.a}/owner-history`)).statusCode).toBe(404);
    const east = await Client.as(t.app, 'east_manager');
    expect((await east.post('/api/customers/transfer', { fromUserId: u.rep2, toUserId: u.rep2, reason: 'x' })).statusCode).toBe(422);
    const [still] = await t.db.select().from(customers).where(eq(customers.id, ids.a));
    expect(still!.ownerId).toBe(u.rep2);
  });
});

describe('standing in for a colleague (工作代理)', () => {
  it('lets a rep delegate their own customers: the delegate sees them during the dates only', async () => {
    const rep2 = await Client.as(t.app, 'rep2');
    const repJs = await Client.as(t.app, 'rep_js');
    expect(names(await repJs.get('/api/customers'))).not.toContain('上海第一人民医院');
    const res = await rep2.post('/api/customer-delegations', { fromUserId: u.rep2, toUserId: u.rep_js, startsOn: day(0), endsOn: day(2), reason: '休假' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ state: 'active', fromUserName: '周杰', toUserName: '吴芳' });
    ids.delegation = res.json().id;
    expect(names(await repJs.get('/api/customers'))).toEqual(expect.arrayContaining(['上海第一人民医院', '南京医药股份有限公司']));
    // The delegate works with them: may add a contact.
    expect((await repJs.post('/api/contacts', { name: '代理期间新增', customerId: ids.a })).statusCode).toBe(201);
    const inbox = await t.db.select().from(notifications).where(and(eq(notifications.userId, u.rep_js), eq(notifications.event, 'customer.delegated')));
    expect(inbox).toHaveLength(1);
    // A delegation that starts tomorrow does not show anything today.
    const later = await (await Client.as(t.app, 'rep_gd')).post('/api/customer-delegations', { fromUserId: u.rep_gd, toUserId: u.rep_bj, startsOn: day(1), endsOn: day(5) });
    expect(later.json().state).toBe('upcoming');
    expect(names(await (await Client.as(t.app, 'rep_bj')).get('/api/customers'))).not.toContain('深圳人民医院');
    // A past one neither.
    await t.db.insert(customerDelegations).values({ fromUserId: u.rep_js, toUserId: u.rep_bj, startsOn: day(-10), endsOn: day(-1) });
    expect(names(await (await Client.as(t.app, 'rep_bj')).get('/api/customers'))).not.toContain('南京医药股份有限公司');
  });

  it('refuses an overlapping delegation of the same rep, in the service and in the database', async () => {
    const rep2 = await Client.as(t.app, 'rep2');
    const res = await rep2.post('/api/customer-delegations', { fromUserId: u.rep2, toUserId: u.rep_bj, startsOn: day(1), endsOn: day(3) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('DELEGATION_OVERLAP');
    await expect(t.db.insert(customerDelegations).values({ fromUserId: u.rep2, toUserId: u.rep_bj, startsOn: day(2), endsOn: day(4) })).rejects.toThrow();
    await expect(t.db.insert(customerDelegations).values({ fromUserId: u.rep2, toUserId: u.rep2, startsOn: day(20), endsOn: day(21) })).rejects.toThrow();
    // Right after the range is fine.
    expect((await rep2.post('/api/customer-delegations', { fromUserId: u.rep2, toUserId: u.rep_bj, startsOn: day(3), endsOn: day(4) })).statusCode).toBe(201);
  });

  it('lets only one of two simultaneous overlapping delegations through', async () => {
    const rep = await Client.as(t.app, 'rep');
    const [x, y] = await Promise.all([
      rep.post('/api/customer-delegations', { fromUserId: u.rep, toUserId: u.rep2, startsOn: day(10), endsOn: day(12) }),
      rep.post('/api/customer-delegations', { fromUserId: u.rep, toUserId: u.rep_js, startsOn: day(11), endsOn: day(13) }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([201, 409]);
  });

  it('refuses delegating someone else’s customers unless a manager in reach, and delegating to oneself', async () => {
    const rep = await Client.as(t.app, 'rep');
    expect((await rep.post('/api/customer-delegations', { fromUserId: u.rep_gd, toUserId: u.rep, startsOn: day(30), endsOn: day(31) })).statusCode).toBe(403);
    const self = await rep.post('/api/customer-delegations', { fromUserId: u.rep, toUserId: u.rep, startsOn: day(30), endsOn: day(31) });
    expect(self.statusCode).toBe(422);
    const east = await Client.as(t.app, 'east_manager');
    expect((await east.post('/api/customer-delegations', { fromUserId: u.rep_js, toUserId: u.rep, startsOn: day(30), endsOn: day(31) })).statusCode).toBe(201);
    expect((await east.post('/api/customer-delegations', { fromUserId: u.rep_gd, toUserId: u.rep, startsOn: day(30), endsOn: day(31) })).statusCode).toBe(403);
    expect((await east.post('/api/customer-delegations', { fromUserId: u.rep_js, toUserId: u.rep, startsOn: day(5), endsOn: day(1) })).statusCode).toBe(422);
  });

  it('ends the delegate’s access when the delegation is cancelled', async () => {
    const rep2 = await Client.as(t.app, 'rep2');
    const res = await rep2.post(`/api/customer-delegations/${ids.delegation}/cancel`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state).toBe('cancelled');
    expect(names(await (await Client.as(t.app, 'rep_js')).get('/api/customers'))).not.toContain('上海第一人民医院');
    expect((await rep2.post(`/api/customer-delegations/${ids.delegation}/cancel`)).statusCode).toBe(409);
    expect((await (await Client.as(t.app, 'rep_gd')).post(`/api/customer-delegations/${ids.delegation}/cancel`)).statusCode).toBe(404);
    const mine = (await rep2.get('/api/customer-delegations')).json() as { fromUserId: number }[];
    expect(mine.every((d) => d.fromUserId === u.rep2 || (d as unknown as { toUserId: number }).toUserId === u.rep2)).toBe(true);
    expect(mine.length).toBeGreaterThanOrEqual(2);
  });
});

describe('the stand-in invariant', () => {
  it('never leaves two active stand-ins of one rep overlapping, whatever is set and cancelled in whatever order', async () => {
    let seed = 20261125;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const reps = ['rep_sd', 'rep_fj'];
    const clients = Object.fromEntries(await Promise.all(reps.map(async (r) => [r, await Client.as(t.app, r)] as const)));
    const ids2: Record<string, number> = { rep_sd: await userIdOf(t.db, 'rep_sd'), rep_fj: await userIdOf(t.db, 'rep_fj') };
    const created: number[] = [];
    for (let i = 0; i < 40; i++) {
      const who = reps[Math.floor(rnd() * reps.length)]!;
      if (created.length > 0 && rnd() < 0.25) {
        const id = created.splice(Math.floor(rnd() * created.length), 1)[0]!;
        await clients[who]!.post(`/api/customer-delegations/${id}/cancel`);
        continue;
      }
      const start = 40 + Math.floor(rnd() * 30);
      const res = await clients[who]!.post('/api/customer-delegations', {
        fromUserId: ids2[who],
        toUserId: u.rep,
        startsOn: day(start),
        endsOn: day(start + Math.floor(rnd() * 6)),
      });
      expect([201, 409]).toContain(res.statusCode);
      if (res.statusCode === 201) created.push(res.json().id);
    }
    const rows = await t.db.select().from(customerDelegations);
    const active = rows.filter((r) => r.cancelledAt === null);
    for (const a of active)
      for (const b of active) {
        if (a.id >= b.id || a.fromUserId !== b.fromUserId) continue;
        expect(a.endsOn < b.startsOn || b.endsOn < a.startsOn, `${a.id} and ${b.id} overlap`).toBe(true);
      }
  });
});
