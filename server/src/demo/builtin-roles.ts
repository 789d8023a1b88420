import type { DataScope } from '../kernel/access/access.tables.js';
import { ALL_PERMISSIONS, type Permission, READ_PERMISSIONS } from '../kernel/access/permissions.js';

/**
 * The roles every RxDesk company starts with (DOMAIN.md "who may see what"). Administrators may
 * edit them (except the administrator role) and add their own.
 */
export type BuiltinRole = { code: string; name: string; nameEn: string; dataScope: DataScope; permissions: Permission[] };

const orgRead: Permission[] = ['directory.read', 'departments.read', 'users.read'];
const requestAccounts: Permission[] = ['account_requests.read', 'account_requests.create'];
/** Everybody in sales reads the catalogue, prices, customers and contacts (within their data scope). */
const salesRead: Permission[] = ['products.read', 'prices.read', 'customers.read', 'customer_applications.read', 'contacts.read'];
/** Reps and managers open accounts and keep their customers' contacts and data up to date. */
const salesWork: Permission[] = [...salesRead, 'customer_applications.create', 'contacts.write', 'customers.write', 'customers.export'];
/** Everybody in the field logs activities, works leads and opportunities (own scope for reps). */
const crmWork: Permission[] = ['leads.read', 'leads.write', 'activities.read', 'activities.write', 'opportunities.read', 'opportunities.write'];
/** Managers assign leads, comment on activities and read the workload and pipeline tables. */
const crmManage: Permission[] = [...crmWork, 'leads.assign', 'leads.import', 'activities.comment', 'crm_reports.read'];
/** Order to cash, seen from the sales side (reps in their own customers' scope): enter orders, follow them, ask for returns. */
const o2cSales: Permission[] = ['orders.read', 'orders.write', 'stock.read', 'shipments.read', 'returns.read', 'returns.write', 'invoices.read', 'receipts.read', 'receivables.read'];
/** The sales office also reviews and releases orders and reads the daily clearing. */
const o2cOffice: Permission[] = [...o2cSales, 'orders.review', 'order_reports.read'];
/** Finance invoices, records and allocates receipts, closes months. */
const o2cFinance: Permission[] = ['orders.read', 'stock.read', 'shipments.read', 'returns.read', 'invoices.read', 'invoices.write', 'receipts.read', 'receipts.write', 'receivables.read', 'order_reports.read', 'finance.close'];
/** The warehouse keeps stock, picks, checks and ships, and receives returned goods. */
const o2cWarehouse: Permission[] = ['orders.read', 'stock.read', 'stock.write', 'stock.configure', 'shipments.read', 'shipments.write', 'shipments.check', 'returns.read', 'returns.inspect'];
/** The sales office keeps the master data. */
const officeWork: Permission[] = [...salesWork, 'products.write', 'prices.write', 'customers.import'];

export const BUILTIN_ROLES: BuiltinRole[] = [
  { code: 'admin', name: '系统管理员', nameEn: 'Administrator', dataScope: 'all', permissions: ALL_PERMISSIONS },
  { code: 'sales_office', name: '销售内勤', nameEn: 'Sales office', dataScope: 'all', permissions: [...orgRead, ...officeWork, ...crmWork, 'leads.assign', 'leads.import', 'crm_reports.read', ...o2cOffice] },
  { code: 'sales_office_lead', name: '内勤主管', nameEn: 'Sales office lead', dataScope: 'all', permissions: [...orgRead, ...requestAccounts, ...officeWork, 'customers.assign', 'customers.merge', ...crmManage, 'crm.configure', ...o2cOffice] },
  { code: 'rep', name: '业务员', nameEn: 'Sales rep', dataScope: 'own', permissions: [...orgRead, ...salesWork, ...crmWork, ...o2cSales] },
  { code: 'team_lead', name: '团队主管', nameEn: 'Team lead', dataScope: 'team', permissions: [...orgRead, ...requestAccounts, ...salesWork, ...crmManage, ...o2cSales, 'order_reports.read'] },
  { code: 'regional_manager', name: '区域经理', nameEn: 'Regional manager', dataScope: 'department', permissions: [...orgRead, ...requestAccounts, ...salesWork, 'customers.assign', ...crmManage, ...o2cSales, 'order_reports.read'] },
  { code: 'sales_director', name: '销售总监', nameEn: 'Sales director', dataScope: 'department', permissions: [...orgRead, ...requestAccounts, ...salesWork, 'customers.assign', ...crmManage, ...o2cSales, 'order_reports.read'] },
  { code: 'finance', name: '财务', nameEn: 'Finance', dataScope: 'all', permissions: ['directory.read', 'departments.read', 'products.read', 'prices.read', 'customers.read', 'contacts.read', ...o2cFinance] },
  { code: 'logistics', name: '仓储物流', nameEn: 'Logistics / warehouse', dataScope: 'all', permissions: ['directory.read', 'departments.read', 'products.read', 'customers.read', 'contacts.read', ...o2cWarehouse] },
  { code: 'quality', name: '质量管理', nameEn: 'Quality', dataScope: 'all', permissions: ['directory.read', 'departments.read', 'products.read', 'products.write', 'customers.read', 'customer_applications.read', 'stock.read', 'shipments.read', 'returns.read', 'returns.inspect'] },
  { code: 'management', name: '管理层（只读）', nameEn: 'Management (read-only)', dataScope: 'all', permissions: READ_PERMISSIONS },
  { code: 'agent', name: '代理商', nameEn: 'Agent (portal)', dataScope: 'agent', permissions: [] },
];
