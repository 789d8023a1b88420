import type { ReactNode } from 'react';
import { ApartmentOutlined, FileAddOutlined, ShopOutlined, MedicineBoxOutlined, DatabaseOutlined, MoneyCollectOutlined, SearchOutlined, UnorderedListOutlined, AuditOutlined, BranchesOutlined, CheckSquareOutlined, FieldTimeOutlined, FileDoneOutlined, HomeOutlined, NotificationOutlined, SafetyCertificateOutlined, SettingOutlined, SolutionOutlined, TeamOutlined, UserAddOutlined, ContactsOutlined, SwapOutlined, AimOutlined, FunnelPlotOutlined, CalendarOutlined, ScheduleOutlined, FireOutlined, FallOutlined, BarChartOutlined, ControlOutlined, CommentOutlined, ShoppingCartOutlined, InboxOutlined, CarOutlined, RollbackOutlined, AccountBookOutlined } from '@ant-design/icons';
import { PERMISSIONS } from './permissions';

export interface MenuEntry {
  key: string;
  labelKey: string;
  icon: ReactNode;
  path?: string;
  permission?: string;
  /** Shown when the user holds any one of these (a page with two halves, e.g. flows and numbering). */
  anyPermission?: string[];
  children?: MenuEntry[];
}

/** The map of the app. A new module adds its pages here (and its routes in router.tsx). */
export const MENU: MenuEntry[] = [
  { key: '/', path: '/', labelKey: 'menu.home', icon: <HomeOutlined /> },
  {
    key: 'approvals',
    labelKey: 'menu.approvals',
    icon: <SolutionOutlined />,
    children: [
      { key: '/approvals/pending', path: '/approvals/pending', labelKey: 'menu.approvalsPending', icon: <CheckSquareOutlined /> },
      { key: '/approvals/done', path: '/approvals/done', labelKey: 'menu.approvalsDone', icon: <FileDoneOutlined /> },
    ],
  },
  {
    key: 'customers',
    labelKey: 'menu.customers',
    icon: <ShopOutlined />,
    children: [
      { key: '/customers', path: '/customers', labelKey: 'menu.customerList', icon: <UnorderedListOutlined />, permission: PERMISSIONS.customersRead },
      { key: '/customer-applications', path: '/customer-applications', labelKey: 'menu.customerApplications', icon: <FileAddOutlined />, permission: PERMISSIONS.customerApplicationsRead },
      { key: '/contacts', path: '/contacts', labelKey: 'menu.contacts', icon: <ContactsOutlined />, permission: PERMISSIONS.contactsRead },
      { key: '/handover', path: '/handover', labelKey: 'menu.handover', icon: <SwapOutlined />, permission: PERMISSIONS.customersWrite },
    ],
  },
  {
    key: 'crm',
    labelKey: 'menu.crm',
    icon: <AimOutlined />,
    children: [
      { key: '/leads', path: '/leads', labelKey: 'menu.leads', icon: <FunnelPlotOutlined />, permission: PERMISSIONS.leadsRead },
      { key: '/activities', path: '/activities', labelKey: 'menu.activities', icon: <CommentOutlined />, permission: PERMISSIONS.activitiesRead },
      { key: '/activities/calendar', path: '/activities/calendar', labelKey: 'menu.activityCalendar', icon: <CalendarOutlined />, permission: PERMISSIONS.activitiesRead },
      { key: '/follow-ups', path: '/follow-ups', labelKey: 'menu.followUps', icon: <ScheduleOutlined />, permission: PERMISSIONS.activitiesRead },
      { key: '/opportunities', path: '/opportunities', labelKey: 'menu.opportunities', icon: <AimOutlined />, permission: PERMISSIONS.opportunitiesRead },
      { key: '/crm/lifecycle', path: '/crm/lifecycle', labelKey: 'leads.lifecycleMenu', icon: <BarChartOutlined />, permission: PERMISSIONS.crmReportsRead },
      { key: '/crm/hot-prospects', path: '/crm/hot-prospects', labelKey: 'menu.hotProspects', icon: <FireOutlined />, permission: PERMISSIONS.crmReportsRead },
      { key: '/crm/lost-deals', path: '/crm/lost-deals', labelKey: 'menu.lostDeals', icon: <FallOutlined />, permission: PERMISSIONS.crmReportsRead },
      { key: '/crm/workload', path: '/crm/workload', labelKey: 'menu.workload', icon: <BarChartOutlined />, permission: PERMISSIONS.crmReportsRead },
      { key: '/crm/settings', path: '/crm/settings', labelKey: 'menu.crmSettings', icon: <ControlOutlined />, permission: PERMISSIONS.crmConfigure },
      { key: '/crm/stages', path: '/crm/stages', labelKey: 'menu.crmStages', icon: <ControlOutlined />, permission: PERMISSIONS.crmConfigure },
    ],
  },
  {
    key: 'orderLogistics',
    labelKey: 'menu.orderLogistics',
    icon: <ShoppingCartOutlined />,
    children: [
      { key: '/orders', path: '/orders', labelKey: 'menu.orders', icon: <ShoppingCartOutlined />, permission: PERMISSIONS.ordersRead },
      { key: '/orders/review', path: '/orders/review', labelKey: 'menu.orderReview', icon: <ShoppingCartOutlined />, permission: PERMISSIONS.ordersReview },
      { key: '/stock', path: '/stock', labelKey: 'menu.stock', icon: <InboxOutlined />, permission: PERMISSIONS.stockRead },
      { key: '/stock/movements', path: '/stock/movements', labelKey: 'menu.stockMovements', icon: <InboxOutlined />, permission: PERMISSIONS.stockRead },
      { key: '/stock/receive', path: '/stock/receive', labelKey: 'menu.stockReceive', icon: <InboxOutlined />, permission: PERMISSIONS.stockWrite },
      { key: '/stock/warehouses', path: '/stock/warehouses', labelKey: 'menu.warehouses', icon: <InboxOutlined />, permission: PERMISSIONS.stockConfigure },
      { key: '/shipments', path: '/shipments', labelKey: 'menu.shipments', icon: <CarOutlined />, permission: PERMISSIONS.shipmentsRead },
      { key: '/returns', path: '/returns', labelKey: 'menu.returns', icon: <RollbackOutlined />, permission: PERMISSIONS.returnsRead },
    ],
  },
  {
    key: 'financeReceivables',
    labelKey: 'menu.financeReceivables',
    icon: <AccountBookOutlined />,
    children: [
      { key: '/invoices', path: '/invoices', labelKey: 'menu.invoices', icon: <AccountBookOutlined />, permission: PERMISSIONS.invoicesRead },
      { key: '/receipts', path: '/receipts', labelKey: 'menu.receipts', icon: <AccountBookOutlined />, permission: PERMISSIONS.receiptsRead },
      { key: '/receivables', path: '/receivables', labelKey: 'menu.receivables', icon: <AccountBookOutlined />, permission: PERMISSIONS.receivablesRead },
      { key: '/receivables/statement', path: '/receivables/statement', labelKey: 'menu.statements', icon: <AccountBookOutlined />, permission: PERMISSIONS.receivablesRead },
      { key: '/daily-clearing', path: '/daily-clearing', labelKey: 'menu.dailyClearing', icon: <AccountBookOutlined />, permission: PERMISSIONS.orderReportsRead },
      { key: '/closing', path: '/closing', labelKey: 'menu.closing', icon: <AccountBookOutlined />, permission: PERMISSIONS.financeClose },
    ],
  },
  {
    key: 'catalogue',
    labelKey: 'menu.catalogue',
    icon: <MedicineBoxOutlined />,
    children: [
      { key: '/products', path: '/products', labelKey: 'menu.products', icon: <DatabaseOutlined />, permission: PERMISSIONS.productsRead },
      { key: '/prices', path: '/prices', labelKey: 'menu.prices', icon: <MoneyCollectOutlined />, permission: PERMISSIONS.pricesRead },
      { key: '/price-query', path: '/price-query', labelKey: 'menu.priceQuery', icon: <SearchOutlined />, permission: PERMISSIONS.pricesRead },
    ],
  },
  {
    key: 'admin',
    labelKey: 'menu.admin',
    icon: <SettingOutlined />,
    children: [
      { key: '/admin/departments', path: '/admin/departments', labelKey: 'menu.departments', icon: <ApartmentOutlined />, permission: PERMISSIONS.departmentsRead },
      { key: '/admin/users', path: '/admin/users', labelKey: 'menu.users', icon: <TeamOutlined />, permission: PERMISSIONS.usersRead },
      { key: '/admin/roles', path: '/admin/roles', labelKey: 'menu.roles', icon: <SafetyCertificateOutlined />, permission: PERMISSIONS.rolesRead },
      { key: '/account-requests', path: '/account-requests', labelKey: 'menu.accountRequests', icon: <UserAddOutlined />, permission: PERMISSIONS.accountRequestsRead },
      { key: '/admin/approval-flows', path: '/admin/approval-flows', labelKey: 'menu.approvalFlows', icon: <BranchesOutlined />, anyPermission: [PERMISSIONS.approvalsConfigure, PERMISSIONS.documentsConfigure] },
      { key: '/admin/audit', path: '/admin/audit', labelKey: 'menu.audit', icon: <AuditOutlined />, permission: PERMISSIONS.auditRead },
      { key: '/admin/channels', path: '/admin/channels', labelKey: 'menu.channels', icon: <NotificationOutlined />, permission: PERMISSIONS.settingsRead },
      { key: '/admin/jobs', path: '/admin/jobs', labelKey: 'menu.jobs', icon: <FieldTimeOutlined />, permission: PERMISSIONS.jobsRead },
    ],
  },
];

/** Entries the user may open; a section with nothing left inside disappears. */
export function visibleMenu(entries: MenuEntry[], can: (permission: string) => boolean): MenuEntry[] {
  return entries.flatMap((entry) => {
    if (entry.permission && !can(entry.permission)) return [];
    if (entry.anyPermission && !entry.anyPermission.some(can)) return [];
    if (entry.children) {
      const children = visibleMenu(entry.children, can);
      return children.length > 0 ? [{ ...entry, children }] : [];
    }
    return [entry];
  });
}

/** The menu key to highlight for a path, and the section to open. */
export function selectedMenu(entries: MenuEntry[], pathname: string): { selected?: string; open?: string } {
  // The most specific entry wins: /activities/calendar is 拜访日历, not 拜访记录 (/activities).
  let best: { selected?: string; open?: string; length: number } = { length: -1 };
  const visit = (list: MenuEntry[], section?: string) => {
    for (const entry of list) {
      if (entry.children) visit(entry.children, entry.key);
      else if (entry.path && entry.path.length > best.length && (pathname === entry.path || (entry.path !== '/' && pathname.startsWith(`${entry.path}/`)))) {
        best = { selected: entry.key, ...(section ? { open: section } : {}), length: entry.path.length };
      }
    }
  };
  visit(entries);
  const { length: _length, ...found } = best;
  return found;
}
