import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, Outlet, useLocation } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { AppLayout } from './AppLayout';
import { LoginPage } from './LoginPage';
import { ForcedPasswordChange } from './ForcedPasswordChange';
import { HomePage } from './HomePage';
import { NotFoundPage } from './NotFoundPage';
import { PERMISSIONS } from './permissions';

// Admin pages are split from the shell so the first screen loads quickly.
const DepartmentsPage = lazy(() => import('../modules/departments/DepartmentsPage'));
const UserListPage = lazy(() => import('../modules/users/UserListPage'));
const UserImportPage = lazy(() => import('../modules/users/UserImportPage'));
const RoleListPage = lazy(() => import('../modules/roles/RoleListPage'));
const AuditLogPage = lazy(() => import('../modules/audit/AuditLogPage'));
const ApprovalTasksPage = lazy(() => import('../modules/approvals/ApprovalTasksPage'));
const DelegationsPage = lazy(() => import('../modules/approvals/DelegationsPage'));
const ApprovalFlowsPage = lazy(() => import('../modules/approvals/ApprovalFlowsPage'));
const AccountRequestListPage = lazy(() => import('../modules/account-requests/AccountRequestListPage'));
const AccountRequestPage = lazy(() => import('../modules/account-requests/AccountRequestPage'));
const ApplicationListPage = lazy(() => import('../modules/customers/applications/ApplicationListPage'));
const ApplicationPage = lazy(() => import('../modules/customers/applications/ApplicationPage'));
const ApplicationFormPage = lazy(() => import('../modules/customers/applications/ApplicationFormPage'));
const CustomerListPage = lazy(() => import('../modules/customers/CustomerListPage'));
const CustomerPage = lazy(() => import('../modules/customers/CustomerPage'));
const ProductListPage = lazy(() => import('../modules/products/ProductListPage'));
const ProductPage = lazy(() => import('../modules/products/ProductPage'));
const ProductImportPage = lazy(() => import('../modules/products/ProductImportPage'));
const PriceListPage = lazy(() => import('../modules/products/PriceListPage'));
const PriceQueryPage = lazy(() => import('../modules/products/PriceQueryPage'));
const CustomerImportPage = lazy(() => import('../modules/customers/CustomerImportPage'));
const HandoverPage = lazy(() => import('../modules/customers/HandoverPage'));
const ContactListPage = lazy(() => import('../modules/contacts/ContactListPage'));
const ContactImportPage = lazy(() => import('../modules/contacts/ContactImportPage'));
const ChannelSettingsPage = lazy(() => import('../modules/notifications/ChannelSettingsPage'));
const JobsPage = lazy(() => import('../modules/jobs/JobsPage'));
const NotificationsPage = lazy(() => import('../modules/notifications/NotificationsPage'));
const OrderListPage = lazy(() => import('../modules/orders/OrderListPage'));
const OrderReviewPage = lazy(() => import('../modules/orders/OrderReviewPage'));
const OrderFormPage = lazy(() => import('../modules/orders/OrderFormPage'));
const OrderPage = lazy(() => import('../modules/orders/OrderPage'));
const StockPage = lazy(() => import('../modules/stock/StockPage'));
const StockMovementsPage = lazy(() => import('../modules/stock/StockMovementsPage'));
const StockReceiptPage = lazy(() => import('../modules/stock/StockReceiptPage'));
const WarehousesPage = lazy(() => import('../modules/stock/WarehousesPage'));
const ShipmentListPage = lazy(() => import('../modules/shipping/ShipmentListPage'));
const ShipmentPage = lazy(() => import('../modules/shipping/ShipmentPage'));
const ShipmentNewPage = lazy(() => import('../modules/shipping/ShipmentNewPage'));
const ReturnListPage = lazy(() => import('../modules/returns/ReturnListPage'));
const ReturnPage = lazy(() => import('../modules/returns/ReturnPage'));
const InvoiceListPage = lazy(() => import('../modules/finance/InvoiceListPage'));
const InvoicePage = lazy(() => import('../modules/finance/InvoicePage'));
const ReceiptListPage = lazy(() => import('../modules/finance/ReceiptListPage'));
const ReceiptPage = lazy(() => import('../modules/finance/ReceiptPage'));
const ReceivablesPage = lazy(() => import('../modules/finance/ReceivablesPage'));
const StatementPage = lazy(() => import('../modules/finance/StatementPage'));
const DailyClearingPage = lazy(() => import('../modules/finance/DailyClearingPage'));
const ClosingPage = lazy(() => import('../modules/finance/ClosingPage'));
const LeadListPage = lazy(() => import('../modules/leads/LeadListPage'));
const LeadPage = lazy(() => import('../modules/leads/LeadPage'));
const LeadImportPage = lazy(() => import('../modules/leads/LeadImportPage'));
const CrmSettingsPage = lazy(() => import('../modules/leads/CrmSettingsPage'));
const LifecyclePage = lazy(() => import('../modules/leads/LifecyclePage'));
const ActivityListPage = lazy(() => import('../modules/activities/ActivityListPage'));
const ActivityPage = lazy(() => import('../modules/activities/ActivityPage'));
const ActivityCalendarPage = lazy(() => import('../modules/activities/ActivityCalendarPage'));
const FollowUpsPage = lazy(() => import('../modules/activities/FollowUpsPage'));
const OpportunityListPage = lazy(() => import('../modules/opportunities/OpportunityListPage'));
const OpportunityPage = lazy(() => import('../modules/opportunities/OpportunityPage'));
const HotProspectsPage = lazy(() => import('../modules/opportunities/HotProspectsPage'));
const LostDealsPage = lazy(() => import('../modules/opportunities/LostDealsPage'));
const StagesPage = lazy(() => import('../modules/opportunities/StagesPage'));
const WorkloadPage = lazy(() => import('../modules/crm-reports/WorkloadPage'));

export function FullPageSpin() {
  return (
    <div style={{ height: '100%', minHeight: 240, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

function SessionUnavailable() {
  const { t } = useTranslation();
  const { retrySession } = useAuth();
  return (
    <Result
      status="500"
      title={t('errors.sessionUnavailable')}
      subTitle={t('errors.network')}
      extra={
        <Button type="primary" onClick={retrySession}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}

/** Everything except /login: a known user, who has set a password of their own. */
function RequireAuth() {
  const { me, sessionError } = useAuth();
  const location = useLocation();
  if (sessionError) return <SessionUnavailable />;
  if (me === undefined) return <FullPageSpin />;
  if (me === null) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.mustChangePassword) return <ForcedPasswordChange />;
  return <AppLayout />;
}

/** The server enforces permissions anyway; this only spares the user a page of errors. */
function RequirePermission({ permission, children }: { permission?: string | string[]; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useTranslation();
  const allowed = permission === undefined || (Array.isArray(permission) ? permission.some(can) : can(permission));
  if (!allowed) return <Result status="403" title="403" subTitle={t('errors.forbiddenPage')} />;
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: <RequireAuth />,
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'approvals',
        element: <Outlet />,
        children: [
          { index: true, element: <Navigate to="/approvals/pending" replace /> },
          { path: 'pending', element: <RequirePermission><ApprovalTasksPage status="pending" key="pending" /></RequirePermission> },
          { path: 'done', element: <RequirePermission><ApprovalTasksPage status="done" key="done" /></RequirePermission> },
        ],
      },
      { path: 'me/delegations', element: <RequirePermission><DelegationsPage /></RequirePermission> },
      {
        path: 'customers',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.customersRead}><CustomerListPage /></RequirePermission> },
          { path: 'import', element: <RequirePermission permission={PERMISSIONS.customersImport}><CustomerImportPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.customersRead}><CustomerPage /></RequirePermission> },
        ],
      },
      {
        path: 'products',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.productsRead}><ProductListPage /></RequirePermission> },
          { path: 'import', element: <RequirePermission permission={PERMISSIONS.productsWrite}><ProductImportPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.productsRead}><ProductPage /></RequirePermission> },
        ],
      },
      { path: 'prices', element: <RequirePermission permission={PERMISSIONS.pricesRead}><PriceListPage /></RequirePermission> },
      { path: 'price-query', element: <RequirePermission permission={PERMISSIONS.pricesRead}><PriceQueryPage /></RequirePermission> },
      {
        path: 'contacts',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.contactsRead}><ContactListPage /></RequirePermission> },
          { path: 'import', element: <RequirePermission permission={PERMISSIONS.customersImport}><ContactImportPage /></RequirePermission> },
        ],
      },
      { path: 'handover', element: <RequirePermission permission={PERMISSIONS.customersWrite}><HandoverPage /></RequirePermission> },
      {
        path: 'leads',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.leadsRead}><LeadListPage /></RequirePermission> },
          { path: 'import', element: <RequirePermission permission={PERMISSIONS.leadsImport}><LeadImportPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.leadsRead}><LeadPage /></RequirePermission> },
        ],
      },
      {
        path: 'activities',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.activitiesRead}><ActivityListPage /></RequirePermission> },
          { path: 'calendar', element: <RequirePermission permission={PERMISSIONS.activitiesRead}><ActivityCalendarPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.activitiesRead}><ActivityPage /></RequirePermission> },
        ],
      },
      { path: 'follow-ups', element: <RequirePermission permission={PERMISSIONS.activitiesRead}><FollowUpsPage /></RequirePermission> },
      {
        path: 'opportunities',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.opportunitiesRead}><OpportunityListPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.opportunitiesRead}><OpportunityPage /></RequirePermission> },
        ],
      },
      {
        path: 'orders',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.ordersRead}><OrderListPage /></RequirePermission> },
          { path: 'review', element: <RequirePermission permission={PERMISSIONS.ordersReview}><OrderReviewPage /></RequirePermission> },
          { path: 'new', element: <RequirePermission permission={PERMISSIONS.ordersWrite}><OrderFormPage /></RequirePermission> },
          { path: ':id/edit', element: <RequirePermission permission={PERMISSIONS.ordersWrite}><OrderFormPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.ordersRead}><OrderPage /></RequirePermission> },
        ],
      },
      {
        path: 'stock',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.stockRead}><StockPage /></RequirePermission> },
          { path: 'movements', element: <RequirePermission permission={PERMISSIONS.stockRead}><StockMovementsPage /></RequirePermission> },
          { path: 'receive', element: <RequirePermission permission={PERMISSIONS.stockWrite}><StockReceiptPage /></RequirePermission> },
          { path: 'warehouses', element: <RequirePermission permission={PERMISSIONS.stockConfigure}><WarehousesPage /></RequirePermission> },
        ],
      },
      {
        path: 'shipments',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.shipmentsRead}><ShipmentListPage /></RequirePermission> },
          { path: 'new', element: <RequirePermission permission={PERMISSIONS.shipmentsWrite}><ShipmentNewPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.shipmentsRead}><ShipmentPage /></RequirePermission> },
        ],
      },
      {
        path: 'returns',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.returnsRead}><ReturnListPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.returnsRead}><ReturnPage /></RequirePermission> },
        ],
      },
      {
        path: 'invoices',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.invoicesRead}><InvoiceListPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.invoicesRead}><InvoicePage /></RequirePermission> },
        ],
      },
      {
        path: 'receipts',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.receiptsRead}><ReceiptListPage /></RequirePermission> },
          { path: ':id', element: <RequirePermission permission={PERMISSIONS.receiptsRead}><ReceiptPage /></RequirePermission> },
        ],
      },
      {
        path: 'receivables',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.receivablesRead}><ReceivablesPage /></RequirePermission> },
          { path: 'statement', element: <RequirePermission permission={PERMISSIONS.receivablesRead}><StatementPage /></RequirePermission> },
        ],
      },
      { path: 'daily-clearing', element: <RequirePermission permission={PERMISSIONS.orderReportsRead}><DailyClearingPage /></RequirePermission> },
      { path: 'closing', element: <RequirePermission permission={PERMISSIONS.financeClose}><ClosingPage /></RequirePermission> },
      {
        path: 'crm',
        element: <Outlet />,
        children: [
          { path: 'hot-prospects', element: <RequirePermission permission={PERMISSIONS.crmReportsRead}><HotProspectsPage /></RequirePermission> },
          { path: 'lost-deals', element: <RequirePermission permission={PERMISSIONS.crmReportsRead}><LostDealsPage /></RequirePermission> },
          { path: 'workload', element: <RequirePermission permission={PERMISSIONS.crmReportsRead}><WorkloadPage /></RequirePermission> },
          { path: 'settings', element: <RequirePermission permission={PERMISSIONS.crmConfigure}><CrmSettingsPage /></RequirePermission> },
          { path: 'lifecycle', element: <RequirePermission permission={PERMISSIONS.crmReportsRead}><LifecyclePage /></RequirePermission> },
          { path: 'stages', element: <RequirePermission permission={PERMISSIONS.crmConfigure}><StagesPage /></RequirePermission> },
        ],
      },
      {
        path: 'account-requests',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.accountRequestsRead}><AccountRequestListPage /></RequirePermission> },
          // Approvers may lack the read permission; the server scopes the row.
          { path: ':id', element: <RequirePermission><AccountRequestPage /></RequirePermission> },
        ],
      },
      {
        path: 'customer-applications',
        element: <Outlet />,
        children: [
          { index: true, element: <RequirePermission permission={PERMISSIONS.customerApplicationsRead}><ApplicationListPage /></RequirePermission> },
          { path: 'new', element: <RequirePermission permission={PERMISSIONS.customerApplicationsCreate}><ApplicationFormPage key="new" /></RequirePermission> },
          // Approvers may lack the read permission; the server scopes the row.
          { path: ':id', element: <RequirePermission><ApplicationPage /></RequirePermission> },
          { path: ':id/edit', element: <RequirePermission permission={PERMISSIONS.customerApplicationsCreate}><ApplicationFormPage key="edit" /></RequirePermission> },
        ],
      },
      {
        path: 'notifications',
        element: (
          <Suspense fallback={<FullPageSpin />}>
            <NotificationsPage />
          </Suspense>
        ),
      },
      {
        path: 'admin',
        element: <Outlet />,
        children: [
          { index: true, element: <Navigate to="/admin/users" replace /> },
          {
            path: 'departments',
            element: (
              <RequirePermission permission={PERMISSIONS.departmentsRead}>
                <DepartmentsPage />
              </RequirePermission>
            ),
          },
          {
            path: 'users',
            element: (
              <RequirePermission permission={PERMISSIONS.usersRead}>
                <UserListPage />
              </RequirePermission>
            ),
          },
          {
            path: 'users/import',
            element: (
              <RequirePermission permission={PERMISSIONS.usersWrite}>
                <UserImportPage />
              </RequirePermission>
            ),
          },
          {
            path: 'roles',
            element: (
              <RequirePermission permission={PERMISSIONS.rolesRead}>
                <RoleListPage />
              </RequirePermission>
            ),
          },
          {
            path: 'approval-flows',
            element: (
              <RequirePermission permission={[PERMISSIONS.approvalsConfigure, PERMISSIONS.documentsConfigure]}>
                <ApprovalFlowsPage />
              </RequirePermission>
            ),
          },
          {
            path: 'audit',
            element: (
              <RequirePermission permission={PERMISSIONS.auditRead}>
                <AuditLogPage />
              </RequirePermission>
            ),
          },
          {
            path: 'channels',
            element: (
              <RequirePermission permission={PERMISSIONS.settingsRead}>
                <ChannelSettingsPage />
              </RequirePermission>
            ),
          },
          {
            path: 'jobs',
            element: (
              <RequirePermission permission={PERMISSIONS.jobsRead}>
                <JobsPage />
              </RequirePermission>
            ),
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
