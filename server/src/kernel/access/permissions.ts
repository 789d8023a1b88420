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
  'products.read': { group: 'master_data', name: '查看药品目录', nameEn: 'View the drug catalogue' },
  'products.write': { group: 'master_data', name: '维护药品目录和资质', nameEn: 'Maintain the drug catalogue and its documents' },
  'prices.read': { group: 'master_data', name: '查看价格', nameEn: 'View price lists' },
  'prices.write': { group: 'master_data', name: '维护价格', nameEn: 'Maintain price lists' },
  'customers.read': { group: 'master_data', name: '查看客户', nameEn: 'View customers' },
  'customers.write': { group: 'master_data', name: '维护客户资料', nameEn: 'Edit customers' },
  'customers.export': { group: 'master_data', name: '导出客户', nameEn: 'Export customers' },
  'customers.import': { group: 'master_data', name: '导入客户、联系人', nameEn: 'Import customers and contacts' },
  'customers.assign': { group: 'master_data', name: '分配和转移客户', nameEn: 'Assign and transfer customers' },
  'customers.merge': { group: 'master_data', name: '合并重复客户', nameEn: 'Merge duplicate customers' },
  'customer_applications.read': { group: 'master_data', name: '查看开户申请', nameEn: 'View account openings' },
  'customer_applications.create': { group: 'master_data', name: '提交开户申请', nameEn: 'Request account openings' },
  'contacts.read': { group: 'master_data', name: '查看联系人', nameEn: 'View contacts' },
  'contacts.write': { group: 'master_data', name: '维护联系人', nameEn: 'Edit contacts' },
  'leads.read': { group: 'crm', name: '查看潜在客户', nameEn: 'View leads' },
  'leads.write': { group: 'crm', name: '录入和跟进潜在客户', nameEn: 'Capture and work leads' },
  'leads.assign': { group: 'crm', name: '分配潜在客户（线索池）', nameEn: 'Assign leads (pool)' },
  'leads.import': { group: 'crm', name: '导入潜在客户', nameEn: 'Import leads' },
  'activities.read': { group: 'crm', name: '查看拜访记录', nameEn: 'View activities' },
  'activities.write': { group: 'crm', name: '记录拜访和计划', nameEn: 'Log and plan activities' },
  'activities.comment': { group: 'crm', name: '上级批注', nameEn: 'Comment on reps’ activities' },
  'opportunities.read': { group: 'crm', name: '查看销售机会', nameEn: 'View opportunities' },
  'opportunities.write': { group: 'crm', name: '维护销售机会', nameEn: 'Work opportunities' },
  'crm_reports.read': { group: 'crm', name: '查看工作量、热点和战败分析', nameEn: 'View workload, hot prospect and lost-deal reports' },
  'crm.configure': { group: 'crm', name: '设置线索分配、提醒和销售阶段', nameEn: 'Configure lead assignment, reminders and the pipeline' },
  'orders.read': { group: 'order_to_cash', name: '查看订单', nameEn: 'View orders' },
  'orders.write': { group: 'order_to_cash', name: '录入、提交和取消订单', nameEn: 'Enter, submit and cancel orders' },
  'orders.review': { group: 'order_to_cash', name: '复核并下达订单（双人复核）', nameEn: 'Review and release orders (four eyes)' },
  'order_reports.read': { group: 'order_to_cash', name: '查看日清报表', nameEn: 'View the daily clearing report' },
  'stock.read': { group: 'order_to_cash', name: '查看库存', nameEn: 'View stock' },
  'stock.write': { group: 'order_to_cash', name: '入库、盘点调整和调拨', nameEn: 'Receive, adjust and transfer stock' },
  'stock.configure': { group: 'order_to_cash', name: '设置仓库和近效期', nameEn: 'Configure warehouses and near-expiry' },
  'shipments.read': { group: 'order_to_cash', name: '查看发货单', nameEn: 'View shipments' },
  'shipments.write': { group: 'order_to_cash', name: '拣货、发货和签收', nameEn: 'Pick, dispatch and confirm delivery' },
  'shipments.check': { group: 'order_to_cash', name: '发货复核', nameEn: 'Check shipments before dispatch' },
  'returns.read': { group: 'order_to_cash', name: '查看退换货', nameEn: 'View returns' },
  'returns.write': { group: 'order_to_cash', name: '申请退换货', nameEn: 'Request returns and exchanges' },
  'returns.inspect': { group: 'order_to_cash', name: '退货收货和质检', nameEn: 'Receive and inspect returned goods' },
  'invoices.read': { group: 'order_to_cash', name: '查看发票', nameEn: 'View invoices' },
  'invoices.write': { group: 'order_to_cash', name: '开票和红冲', nameEn: 'Issue and credit invoices' },
  'receipts.read': { group: 'order_to_cash', name: '查看回款', nameEn: 'View receipts' },
  'receipts.write': { group: 'order_to_cash', name: '登记和核销回款', nameEn: 'Record and allocate receipts' },
  'receivables.read': { group: 'order_to_cash', name: '查看应收账款、账龄和对账单', nameEn: 'View receivables, aging and statements' },
  'finance.close': { group: 'order_to_cash', name: '月结', nameEn: 'Close months' },
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
