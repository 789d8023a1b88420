import { sql } from 'drizzle-orm';
import { systemActor } from '../kernel/access/actor.js';
import { type Db, rowsOf } from '../kernel/db/client.js';
import { type NewContact, contactValues, insertContacts } from '../modules/contacts/contacts.service.js';
import type { ContactInfluence } from '../modules/contacts/contacts.tables.js';

/**
 * Demo contacts: each demo customer without contacts gets 1–4 people that fit its type (a
 * hospital's 药剂科主任 and 心内科主任, a pharmacy's 店长, a distributor's 采购经理), with mobiles
 * and some birthdays. Deterministic (seeded by the customer id), idempotent (customers that have
 * contacts are skipped) and bulk: one select, one insert per 1000 contacts.
 */
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = ['建国', '秀英', '志强', '丽娟', '海燕', '伟', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '桂英', '晓东', '文华', '雪梅', '红梅', '国庆', '春华', '宏伟', '欣怡', '子豪', '思远', '佳琪', '浩然', '雨婷', '立新'];

type Role = { department: string | null; title: string; influence: ContactInfluence };
const ROLES: Record<string, Role[]> = {
  hospital: [
    { department: '药剂科', title: '药剂科主任', influence: 'decision_maker' },
    { department: '采购科', title: '采购科长', influence: 'decision_maker' },
    { department: '心内科', title: '心内科主任', influence: 'influencer' },
    { department: '内分泌科', title: '副主任医师', influence: 'influencer' },
    { department: '呼吸科', title: '主治医师', influence: 'user' },
    { department: '药剂科', title: '药库管理员', influence: 'user' },
  ],
  clinic: [
    { department: null, title: '院长', influence: 'decision_maker' },
    { department: '全科', title: '全科医生', influence: 'user' },
    { department: '药房', title: '药房负责人', influence: 'influencer' },
  ],
  pharmacy: [
    { department: null, title: '店长', influence: 'decision_maker' },
    { department: '采购部', title: '采购经理', influence: 'decision_maker' },
    { department: null, title: '执业药师', influence: 'influencer' },
    { department: null, title: '店员', influence: 'user' },
  ],
  distributor: [
    { department: '采购部', title: '采购经理', influence: 'decision_maker' },
    { department: '总经办', title: '总经理', influence: 'decision_maker' },
    { department: '财务部', title: '财务主管', influence: 'influencer' },
    { department: '物流部', title: '仓储主管', influence: 'user' },
  ],
  agent: [
    { department: null, title: '总经理', influence: 'decision_maker' },
    { department: '市场部', title: '市场经理', influence: 'influencer' },
    { department: '商务部', title: '商务内勤', influence: 'user' },
  ],
  other: [
    { department: null, title: '负责人', influence: 'decision_maker' },
    { department: null, title: '联系人', influence: 'other' },
  ],
};
const PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155', '158', '159', '180', '181', '186', '187', '188', '189'];
const PREFERENCES = ['喜欢喝茶', '周二上午门诊，下午可约', '关注学术会议', '不接受周末拜访', '偏好微信沟通', null, null, null];

/** A small deterministic generator so the demo is the same on every machine. */
function seeded(seed: number) {
  let s = seed * 2654435761 % 2 ** 32 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

export async function loadDemoContacts(db: Db): Promise<number> {
  const customersWithout = rowsOf<{ id: number; type: string }>(
    await db.execute(sql`select c.id, c.type from customers c where c.status = 'active' and not exists (select 1 from contacts k where k.customer_id = c.id) order by c.id`),
  );
  if (customersWithout.length === 0) return 0;
  const rows: NewContact[] = [];
  for (const c of customersWithout) {
    const rnd = seeded(c.id);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const roles = ROLES[c.type] ?? ROLES.other!;
    const n = 1 + Math.floor(rnd() * Math.min(4, roles.length));
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      const role = roles[i]!;
      let mobile: string;
      do mobile = pick(PREFIXES) + String(Math.floor(rnd() * 1e8)).padStart(8, '0');
      while (used.has(mobile));
      used.add(mobile);
      const hasBirthday = rnd() < 0.6;
      const birthday = hasBirthday ? `${1960 + Math.floor(rnd() * 35)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}` : null;
      rows.push({
        ...contactValues({
          name: pick([...SURNAMES]) + pick(GIVEN),
          gender: rnd() < 0.5 ? 'male' : 'female',
          department: role.department,
          title: role.title,
          mobile,
          birthday,
          influence: role.influence,
          preferences: pick(PREFERENCES),
        }),
        customerId: c.id,
      });
    }
  }
  await db.transaction((tx) => insertContacts(tx, systemActor(), rows, 'demo'));
  return rows.length;
}
