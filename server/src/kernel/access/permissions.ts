import type { DataScope } from './access.tables.js';

/**
 * The permission catalogue: every action a role may be granted. Routes name one of these (or
 * 'public' / 'authenticated'); the authorization matrix test checks each route against each demo role.
 */
export const PERMISSIONS = {
  'directory.read': { group: 'system', name: '查找同事（通讯录）', nameEn: 'Look up colleagues (directory)' },
  'departments.read': { group: 'system', name: '查看部门', nameEn: 'View departments' },
  'departments.write': { group: 'system', name: '管理部门', nameEn: 'Manage departments' },
  'users.read': { group: 'system', name: '查看用户', nameEn: 'View users' },
  'users.write': { group: 'system', name: '管理用户', nameEn: 'Manage users' },
  'roles.read': { group: 'system', name: '查看角色', nameEn: 'View roles' },
  'roles.write': { group: 'system', name: '管理角色', nameEn: 'Manage roles' },
  'audit.read': { group: 'system', name: '查看审计日志', nameEn: 'View the audit log' },
  'audit.verify': { group: 'system', name: '校验审计日志', nameEn: 'Verify the audit log' },
  'documents.configure': { group: 'system', name: '设置单据编号规则', nameEn: 'Configure document numbering' },
  'approvals.configure': { group: 'system', name: '设置审批流', nameEn: 'Configure approval flows' },
  'account_requests.read': { group: 'system', name: '查看账号申请', nameEn: 'View account requests' },
  'account_requests.create': { group: 'system', name: '提交账号申请', nameEn: 'Request accounts' },
  'jobs.read': { group: 'system', name: '查看定时任务', nameEn: 'View scheduled jobs' },
  'jobs.run': { group: 'system', name: '立即执行定时任务', nameEn: 'Run scheduled jobs now' },
  'settings.read': { group: 'system', name: '查看系统设置', nameEn: 'View system settings' },
  'settings.write': { group: 'system', name: '修改系统设置', nameEn: 'Change system settings' },
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];
export const READ_PERMISSIONS = ALL_PERMISSIONS.filter((p) => p.endsWith('.read'));

export function isPermission(code: string): code is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, code);
}

/** What a route requires: a permission, any logged-in user, or nobody (login, health). */
export type RouteAccess = Permission | 'authenticated' | 'public';

export const DATA_SCOPE_NAMES: Record<DataScope, { name: string; nameEn: string }> = {
  own: { name: '本人', nameEn: 'Own' },
  team: { name: '本团队', nameEn: 'Team' },
  department: { name: '本部门及下级', nameEn: 'Department subtree' },
  territory: { name: '负责区域', nameEn: 'Territory' },
  all: { name: '全部', nameEn: 'All' },
  agent: { name: '本公司（代理商）', nameEn: 'Own company (agent)' },
};
