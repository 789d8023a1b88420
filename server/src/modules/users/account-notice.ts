/**
 * 账号开通通知单: the sheet an administrator prints and hands to a new colleague with their account.
 * The initial password is never printed: the administrator writes it by hand in the blank box, so
 * the password exists on paper only and the user must change it at first login.
 */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { departments } from '../../kernel/access/access.tables.js';
import type { Queryable } from '../../kernel/db/client.js';
import type { Locale } from '../../kernel/i18n.js';
import type { PrintTemplate } from '../../kernel/print/document.js';
import { getUser, type UserRow } from './users.service.js';

export type AccountNotice = { company: string; user: UserRow; date: string };

/** The notice's data for a user the actor may see (404 otherwise, as for reading the user). */
export async function getAccountNotice(db: Queryable, actor: Actor, userId: number, timeZone: string, now = new Date()): Promise<AccountNotice> {
  const user = await getUser(db, actor, userId);
  // The company is the root of the user's department tree: the department path '/1/4/9/' starts with its id.
  const [root] = await db
    .select({ name: departments.name })
    .from(departments)
    .where(
      sql`${departments.parentId} is null and exists (select 1 from users u join departments d on d.id = u.department_id where u.id = ${userId} and d.path like '/' || ${departments.id} || '/%')`,
    );
  const [fallback] = root ? [root] : await db.select({ name: departments.name }).from(departments).where(sql`${departments.parentId} is null`).limit(1);
  return { company: fallback?.name ?? '', user, date: companyDate(now, timeZone) };
}

/** Today's date (YYYY-MM-DD) in the company's time zone. */
function companyDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const TEXT = {
  'zh-CN': {
    title: '账号开通通知单',
    file: '账号开通通知单',
    date: '开通日期',
    name: '姓名',
    username: '用户名',
    department: '部门',
    roles: '角色',
    territories: '负责区域',
    none: '无',
    password: '初始密码',
    passwordHint: '由管理员手写；首次登录后须立即修改',
    note: (url: string) => `请用上述用户名和初始密码登录 RxDesk（${url}），首次登录须修改密码。密码请勿告诉他人，本单请妥善保管或阅后销毁。`,
    issuer: '开通人签字：',
    receiver: '领取人签字：',
    signDate: '日期：',
  },
  'en-US': {
    title: 'Account notice',
    file: 'account-notice',
    date: 'Opened on',
    name: 'Name',
    username: 'Username',
    department: 'Department',
    roles: 'Roles',
    territories: 'Territories',
    none: 'None',
    password: 'Initial password',
    passwordHint: 'handwritten by the administrator; change it at first login',
    note: (url: string) => `Log in to RxDesk (${url}) with the username and initial password above; you must change the password at first login. Tell nobody your password; keep this sheet safe or destroy it after reading.`,
    issuer: 'Issued by:',
    receiver: 'Received by:',
    signDate: 'Date:',
  },
} satisfies Record<Locale, unknown>;

export const accountNoticeTemplate: PrintTemplate<AccountNotice & { loginUrl: string }> = {
  fileName: ({ user }, { locale }) => `${TEXT[locale].file}-${user.username}`,
  build: ({ company, user, date, loginUrl }, { locale }) => {
    const t = TEXT[locale];
    const list = (items: { name: string }[]) => (items.length ? items.map((i) => i.name).join(locale === 'zh-CN' ? '、' : ', ') : t.none);
    return {
      company,
      title: t.title,
      reference: locale === 'zh-CN' ? `${t.date}：${date}` : `${t.date}: ${date}`,
      blocks: [
        {
          kind: 'fields',
          columns: 3,
          fields: [
            { label: t.name, value: user.displayName },
            { label: t.username, value: user.username },
            { label: t.department, value: user.department?.name ?? t.none },
            { label: t.roles, value: list(user.roles), wide: true },
            { label: t.territories, value: list(user.territories), wide: true },
          ],
        },
        { kind: 'blank', label: t.password, hint: t.passwordHint },
        { kind: 'paragraph', text: t.note(loginUrl) },
        { kind: 'signatures', labels: [t.issuer, t.receiver], dateLabel: t.signDate },
      ],
    };
  },
};
