import type { Locale } from './access/access.tables.js';

export type { Locale };

type Messages = Record<string, { 'zh-CN': string; 'en-US': string }>;

/**
 * Messages of the API's stable error codes, in both languages. `{name}` is replaced by a param.
 * A code without a message here is a bug: the test `errors.test.ts` checks every thrown code has one.
 */
export const messages: Messages = {
  INTERNAL: { 'zh-CN': '服务器内部错误，请稍后重试或联系管理员', 'en-US': 'Internal server error; please retry or contact the administrator' },
  NOT_FOUND: { 'zh-CN': '记录不存在或无权查看', 'en-US': 'The record does not exist or you may not see it' },
  ROUTE_NOT_FOUND: { 'zh-CN': '接口不存在', 'en-US': 'No such API route' },
  VALIDATION_FAILED: { 'zh-CN': '输入有误，请检查标红的字段', 'en-US': 'Some input is invalid; please check the highlighted fields' },
  BAD_REQUEST: { 'zh-CN': '请求格式有误', 'en-US': 'The request is malformed' },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '提交的内容过大', 'en-US': 'The request body is too large' },
  AUTH_REQUIRED: { 'zh-CN': '请先登录', 'en-US': 'Please log in' },
  AUTH_INVALID_CREDENTIALS: { 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong username or password' },
  AUTH_LOCKED: {
    'zh-CN': '登录失败次数过多，请 {minutes} 分钟后再试',
    'en-US': 'Too many failed logins; try again in {minutes} minutes',
  },
  AUTH_USER_DISABLED: { 'zh-CN': '该账号已停用，请联系管理员', 'en-US': 'This account is disabled; contact the administrator' },
  AUTH_PASSWORD_WRONG: { 'zh-CN': '当前密码不正确', 'en-US': 'The current password is wrong' },
  AUTH_PASSWORD_CHANGE_REQUIRED: { 'zh-CN': '请先修改初始密码', 'en-US': 'Please change your initial password first' },
  CSRF_INVALID: { 'zh-CN': '页面已过期，请刷新后重试', 'en-US': 'The page has expired; please reload and retry' },
  FORBIDDEN: { 'zh-CN': '您没有执行此操作的权限', 'en-US': 'You do not have permission to do this' },
  CONFLICT_VERSION: {
    'zh-CN': '该记录已被他人修改，请刷新后再编辑',
    'en-US': 'Someone else changed this record; reload it and edit again',
  },
  USERNAME_TAKEN: { 'zh-CN': '用户名“{username}”已被使用', 'en-US': 'The username "{username}" is already taken' },
  USER_CANNOT_DISABLE_SELF: { 'zh-CN': '不能停用自己的账号', 'en-US': 'You cannot disable your own account' },
  DEPARTMENT_NOT_EMPTY: {
    'zh-CN': '部门下还有 {users} 名用户、{children} 个下级部门，不能删除',
    'en-US': 'The department still has {users} users and {children} sub-departments; it cannot be deleted',
  },
  DEPARTMENT_NAME_TAKEN: { 'zh-CN': '同一上级下已有名为“{name}”的部门', 'en-US': 'A sibling department is already named "{name}"' },
  DEPARTMENT_CYCLE: { 'zh-CN': '不能把部门移到它自己或其下级部门之下', 'en-US': 'A department cannot move under itself or its own sub-department' },
  DEPARTMENT_ROOT_REQUIRED: { 'zh-CN': '公司根部门不能删除或移动', 'en-US': 'The company root department cannot be deleted or moved' },
  ROLE_CODE_TAKEN: { 'zh-CN': '角色编码“{code}”已存在', 'en-US': 'The role code "{code}" already exists' },
  ROLE_IN_USE: { 'zh-CN': '还有 {users} 名用户使用此角色，不能删除', 'en-US': '{users} users still have this role; it cannot be deleted' },
  ROLE_BUILTIN: { 'zh-CN': '系统内置角色不能删除', 'en-US': 'Built-in roles cannot be deleted' },
  ROLE_ADMIN_LOCKOUT: {
    'zh-CN': '此操作会使系统没有可用的管理员',
    'en-US': 'This would leave the system without an active administrator',
  },
  UNKNOWN_PERMISSION: { 'zh-CN': '未知权限：{codes}', 'en-US': 'Unknown permissions: {codes}' },
  UNKNOWN_REFERENCE: { 'zh-CN': '引用的{what}不存在：{ids}', 'en-US': 'Referenced {what} not found: {ids}' },
  DUPLICATE: { 'zh-CN': '记录重复', 'en-US': 'Duplicate record' },
  REFERENCED: { 'zh-CN': '记录仍被引用，不能删除', 'en-US': 'The record is still referenced and cannot be deleted' },
  NOTIFICATION_EVENT_UNKNOWN: { 'zh-CN': '未知的通知事件：{event}', 'en-US': 'Unknown notification event: {event}' },
  CONSTRAINT: { 'zh-CN': '数据不满足规则：{constraint}', 'en-US': 'The data breaks a rule: {constraint}' },
};

/** Words used inside messages (e.g. `{what}`), localised the same way. */
export const words: Messages = {
  department: { 'zh-CN': '部门', 'en-US': 'department' },
  role: { 'zh-CN': '角色', 'en-US': 'role' },
  territory: { 'zh-CN': '区域', 'en-US': 'territory' },
  user: { 'zh-CN': '用户', 'en-US': 'user' },
};

export function translate(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const entry = messages[code] ?? messages.INTERNAL;
  return entry[locale].replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (typeof value === 'string' && words[value]) return words[value][locale];
    return value === undefined ? `{${key}}` : String(value);
  });
}

/** Picks the request language: the user's choice, else Accept-Language, else Chinese. */
export function pickLocale(userLocale: Locale | undefined, acceptLanguage: string | undefined): Locale {
  if (userLocale) return userLocale;
  if (acceptLanguage && /^\s*en\b/i.test(acceptLanguage)) return 'en-US';
  return 'zh-CN';
}
