/**
 * Who may call what: every /api route × every builtin role. The authorization test fails when a
 * route is missing here or an entry names a route that no longer exists, so a new route cannot
 * ship without a decision on who may use it.
 */
export const ROLE_LOGINS = {
  admin: 'admin',
  sales_office: 'office',
  sales_office_lead: 'office_lead',
  rep: 'rep',
  team_lead: 'team_lead',
  regional_manager: 'east_manager',
  sales_director: 'director',
  finance: 'finance',
  logistics: 'logistics',
  quality: 'quality',
  management: 'management',
  agent: 'agent',
} as const;
export type RoleCode = keyof typeof ROLE_LOGINS;
export const ALL_ROLES = Object.keys(ROLE_LOGINS) as RoleCode[];

const allBut = (...except: RoleCode[]) => ALL_ROLES.filter((r) => !except.includes(r));
const orgReaders = allBut('agent');
const userReaders: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director', 'management'];

const productReaders = allBut('agent');
const productWriters: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'quality'];
const priceReaders: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director', 'finance', 'management'];
const priceWriters: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead'];

/** customers.read: everybody but the agent portal (its own company comes with the portal issue). */
export const customerReaders: RoleCode[] = allBut('agent');
/** customers.write / export / contacts.write / account openings: the sales side. */
export const customerWriters: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director'];

/** customers.import: the sales office and its lead (and administrators). */
export const customerImporters: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead'];
/** Batch routes: whoever may import some kind (the service checks the batch's kind and uploader). */
const importers: RoleCode[] = [...new Set<RoleCode>([...productWriters, ...customerImporters, 'logistics'])];
/** contacts.read: the sales side, finance and logistics (they ship and invoice to these people), management. */
export const contactReaders: RoleCode[] = allBut('quality', 'agent');
/** customers.assign: administrators, the office lead and managers over reps (within their subtree). */
export const customerAssigners: RoleCode[] = ['admin', 'sales_office_lead', 'regional_manager', 'sales_director'];
/** customers.merge: administrators and the office lead. */
export const customerMergers: RoleCode[] = ['admin', 'sales_office_lead'];

/** leads / activities / opportunities .read and .write: the sales side (reps in their own scope); management reads. */
export const crmWorkers: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director'];
export const crmReaders: RoleCode[] = [...crmWorkers, 'management'];
/** leads.assign and leads.import: managers over reps and the sales office. */
export const leadAssigners: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'team_lead', 'regional_manager', 'sales_director'];
/** activities.comment (上级批注): managers over reps and the office lead. */
export const activityCommenters: RoleCode[] = ['admin', 'sales_office_lead', 'team_lead', 'regional_manager', 'sales_director'];
/** crm_reports.read: managers, the sales office, management. */
export const crmReportReaders: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'team_lead', 'regional_manager', 'sales_director', 'management'];
/** crm.configure: the office lead and administrators. */
export const crmConfigurers: RoleCode[] = ['admin', 'sales_office_lead'];

/** invoices.read / receipts.read / receivables.read: the sales side (own scope for reps), the office, finance, management. */
export const moneyReaders: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director', 'finance', 'management'];
/** invoices.write / receipts.write: finance (and administrators). */
export const moneyWriters: RoleCode[] = ['admin', 'finance'];
/** stock.read: the sales side, finance, the warehouse, quality and management; stock.write / .configure: the warehouse. */
export const stockReaders: RoleCode[] = allBut('agent');
export const stockWriters: RoleCode[] = ['admin', 'logistics'];

const accountRequesters: RoleCode[] = ['admin', 'sales_office_lead', 'team_lead', 'regional_manager', 'sales_director'];

/** order_reports.read (日清报表): the office, managers over reps, finance, management. */
export const orderReportReaders: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'team_lead', 'regional_manager', 'sales_director', 'finance', 'management'];
/** finance.close (月结): finance and administrators. */
export const periodClosers: RoleCode[] = ['admin', 'finance'];
/** shipments.read / returns.read: everybody inside the company (rows scoped by customer). */
const shipmentReaders: RoleCode[] = allBut('agent');
/** shipments.write / shipments.check: the warehouse (logistics) and administrators. */
const shipmentWorkers: RoleCode[] = ['admin', 'logistics'];
/** returns.write: the sales side (reps for their own customers). */
const returnRequesters: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director'];
/** returns.inspect: the warehouse receives, quality inspects. */
const returnInspectors: RoleCode[] = ['admin', 'logistics', 'quality'];
/** orders.read: the sales side, finance and logistics (they ship and invoice orders), management. */
export const orderReaders: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director', 'finance', 'logistics', 'management'];
/** orders.write: the sales side (reps for their own customers). */
export const orderWriters: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead', 'rep', 'team_lead', 'regional_manager', 'sales_director'];
/** orders.review (双人复核): the sales office and its lead. */
export const orderReviewers: RoleCode[] = ['admin', 'sales_office', 'sales_office_lead'];

export const MATRIX: Record<string, 'public' | 'authenticated' | RoleCode[]> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'authenticated',
  'GET /api/auth/me': 'authenticated',
  'PATCH /api/auth/me/preferences': 'authenticated',
  'POST /api/auth/me/password': 'authenticated',
  'GET /api/territories': 'authenticated',

  'GET /api/departments': orgReaders,
  'POST /api/departments': ['admin'],
  'PATCH /api/departments/:id': ['admin'],
  'DELETE /api/departments/:id': ['admin'],

  'GET /api/users': userReaders,
  'GET /api/users/directory': allBut('agent'),
  'GET /api/users/export.xlsx': userReaders,
  'GET /api/users/:id': userReaders,
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'POST /api/users/:id/disable': ['admin'],
  'POST /api/users/:id/enable': ['admin'],
  'POST /api/users/:id/reset-password': ['admin'],
  'GET /api/users/:id/print': ['admin'],
  'GET /api/users/:id/print.pdf': ['admin'],

  'GET /api/permissions': ['admin', 'management'],
  'GET /api/roles/options': 'authenticated',
  'GET /api/roles': ['admin', 'management'],
  'POST /api/roles': ['admin'],
  'PATCH /api/roles/:id': ['admin'],
  'DELETE /api/roles/:id': ['admin'],

  'GET /api/documents/:type/:id/timeline': 'authenticated',
  'POST /api/documents/:type/:id/comments': 'authenticated',
  'GET /api/documents/:type/:id/attachments': 'authenticated',
  'POST /api/documents/:type/:id/attachments': 'authenticated',
  'GET /api/attachments/:id/download': 'authenticated',
  'DELETE /api/attachments/:id': 'authenticated',
  'GET /api/document-types': ['admin'],
  'PUT /api/document-types/:type/number-pattern': ['admin'],

  'GET /api/approvals/tasks': 'authenticated',
  'POST /api/approvals/tasks/:id/approve': 'authenticated',
  'POST /api/approvals/tasks/:id/reject': 'authenticated',
  'GET /api/approvals/flows': ['admin'],
  'POST /api/approvals/flows': ['admin'],
  'PUT /api/approvals/flows/:id': ['admin'],
  'GET /api/approvals/delegations': 'authenticated',
  'POST /api/approvals/delegations': 'authenticated',
  'DELETE /api/approvals/delegations/:id': 'authenticated',

  'GET /api/account-requests': [...accountRequesters, 'management'],
  'GET /api/account-requests/:id': 'authenticated',
  'POST /api/account-requests': accountRequesters,
  'PATCH /api/account-requests/:id': accountRequesters,
  'POST /api/account-requests/:id/submit': accountRequesters,
  'POST /api/account-requests/:id/cancel': accountRequesters,

  'GET /api/products': productReaders,
  'GET /api/products/options': productReaders,
  'GET /api/products/export.xlsx': productReaders,
  'GET /api/products/:id': productReaders,
  'POST /api/products': productWriters,
  'PATCH /api/products/:id': productWriters,
  'GET /api/product-lines': productReaders,
  'POST /api/product-lines': productWriters,
  'PATCH /api/product-lines/:id': productWriters,
  'GET /api/products/:id/documents': productReaders,
  'POST /api/products/:id/documents': productWriters,
  'PATCH /api/product-documents/:id': productWriters,
  'DELETE /api/product-documents/:id': productWriters,

  'GET /api/prices': priceReaders,
  'GET /api/prices/export.xlsx': priceReaders,
  'GET /api/prices/resolve': priceReaders,
  'GET /api/prices/:id': priceReaders,
  'POST /api/prices': priceWriters,
  'PATCH /api/prices/:id': priceWriters,
  'DELETE /api/prices/:id': priceWriters,

  'GET /api/customers': customerReaders,
  'GET /api/customers/export': customerWriters,
  'GET /api/customers/options': customerReaders,
  'GET /api/customers/duplicates': customerReaders,
  'GET /api/customers/:id': customerReaders,
  'PATCH /api/customers/:id': customerWriters,
  'POST /api/customers/assign': customerAssigners,
  'GET /api/customers/transfer/preview': customerAssigners,
  'POST /api/customers/transfer': customerAssigners,
  'GET /api/customers/:id/owner-history': customerReaders,
  // 工作代理: a rep arranges their own (customers.write); the service lets managers in reach arrange others'.
  'GET /api/customer-delegations': customerWriters,
  'POST /api/customer-delegations': customerWriters,
  'POST /api/customer-delegations/:id/cancel': customerWriters,
  'GET /api/customers/:id/merge-preview': customerMergers,
  'POST /api/customers/:id/merge': customerMergers,

  'GET /api/contacts': contactReaders,
  'GET /api/contacts/export': customerWriters,
  'GET /api/customers/:id/contacts': contactReaders,
  'GET /api/contacts/:id': contactReaders,
  'POST /api/contacts': customerWriters,
  'PATCH /api/contacts/:id': customerWriters,
  'POST /api/contacts/:id/move': customerWriters,
  'POST /api/contacts/:id/left': customerWriters,

  'GET /api/customers/:id/qualifications': customerReaders,
  'POST /api/customers/:id/qualifications': customerWriters,
  'POST /api/customers/:id/qualifications/:qualificationId/renew': customerWriters,
  'PATCH /api/customers/:id/qualifications/:qualificationId': customerWriters,
  'GET /api/customers/:id/eligibility': customerReaders,

  'GET /api/customer-applications': [...customerWriters, 'quality', 'management'],
  'GET /api/customer-applications/export': [...customerWriters, 'quality', 'management'],
  'GET /api/customer-applications/:id': 'authenticated',
  'POST /api/customer-applications': customerWriters,
  'PATCH /api/customer-applications/:id': customerWriters,
  'POST /api/customer-applications/:id/submit': customerWriters,
  'POST /api/customer-applications/:id/cancel': customerWriters,
  'POST /api/customer-applications/:id/documents/:documentId/files': customerWriters,

  'GET /api/crm/settings': 'authenticated',
  'PUT /api/crm/settings': crmConfigurers,
  'GET /api/leads': crmReaders,
  'GET /api/leads/export.xlsx': crmReaders,
  'POST /api/leads': crmWorkers,
  'POST /api/leads/assign': leadAssigners,
  'GET /api/leads/:id': crmReaders,
  'PATCH /api/leads/:id': crmWorkers,
  'POST /api/leads/:id/grade': crmWorkers,
  'POST /api/leads/:id/stage': crmWorkers,
  'POST /api/leads/:id/close': crmWorkers,
  'POST /api/leads/:id/reopen': crmWorkers,
  'POST /api/leads/:id/claim': crmWorkers,
  'POST /api/leads/:id/release': crmWorkers,
  'POST /api/leads/:id/convert': crmWorkers,
  'POST /api/public/inquiries': 'public',
  'GET /api/crm/lifecycle': crmReportReaders,
  'GET /api/customers/:id/source-lead': customerReaders,
  'GET /api/imports/leads/template.xlsx': leadAssigners,
  'POST /api/imports/leads': leadAssigners,

  'GET /api/opportunity-stages': crmReaders,
  'POST /api/opportunity-stages': crmConfigurers,
  'PUT /api/opportunity-stages/order': crmConfigurers,
  'PATCH /api/opportunity-stages/:id': crmConfigurers,
  'GET /api/opportunities': crmReaders,
  'GET /api/opportunities/export': crmReaders,
  'GET /api/opportunities/board': crmReaders,
  'GET /api/opportunities/:id': crmReaders,
  'POST /api/opportunities': crmWorkers,
  'PATCH /api/opportunities/:id': crmWorkers,
  'POST /api/opportunities/:id/stage': crmWorkers,
  'GET /api/crm/hot-prospects': crmReportReaders,
  'GET /api/crm/hot-prospects/export': crmReportReaders,
  'GET /api/crm/lost-deals': crmReportReaders,
  'GET /api/crm/lost-deals/export': crmReportReaders,
  'GET /api/crm/workload': crmReportReaders,
  'GET /api/crm/workload/export.xlsx': crmReportReaders,

  'GET /api/reminders': 'authenticated',
  'POST /api/reminders': 'authenticated',
  'DELETE /api/reminders/:id': 'authenticated',

  'GET /api/audit': ['admin', 'management'],
  'GET /api/audit/verify': ['admin'],

  // Imports: the kind's permission (users.write, products.write, customers.import) for the template and upload; batch
  // routes are open to whoever may import some kind, check the batch's kind in the service and show a batch to its
  // uploader and to administrators only.
  'GET /api/imports/users/template.xlsx': ['admin'],
  'POST /api/imports/users': ['admin'],
  'GET /api/imports/products/template.xlsx': productWriters,
  'POST /api/imports/products': productWriters,
  // customers.import: the sales office moves its spreadsheet of existing customers in.
  'GET /api/imports/customers/template.xlsx': customerImporters,
  'POST /api/imports/customers': customerImporters,
  'GET /api/imports/batches/:id': [...new Set<RoleCode>([...importers, ...leadAssigners])], // leads.import holders too
  'POST /api/imports/batches/:id/commit': [...new Set<RoleCode>([...importers, ...leadAssigners])], // leads.import holders too
  'GET /api/imports/batches/:id/errors.xlsx': [...new Set<RoleCode>([...importers, ...leadAssigners])], // leads.import holders too
  // stock.write: the warehouse receives a production / purchase receipt from Excel.
  'GET /api/imports/stock_receipts/template.xlsx': stockWriters,
  'POST /api/imports/stock_receipts': stockWriters,
  'GET /api/imports/contacts/template.xlsx': customerImporters,
  'POST /api/imports/contacts': customerImporters,
  'GET /api/notifications': 'authenticated',
  'GET /api/notifications/unread-count': 'authenticated',
  'POST /api/notifications/:id/read': 'authenticated',
  'POST /api/notifications/read-all': 'authenticated',
  'GET /api/notifications/preferences': 'authenticated',
  'PUT /api/notifications/preferences': 'authenticated',
  'GET /api/notification-settings': ['admin', 'management'],
  'PUT /api/notification-settings': ['admin'],

  'GET /api/activities': crmReaders,
  'GET /api/activities/export.xlsx': crmReaders,
  'GET /api/activities/:id': crmReaders,
  'POST /api/activities': crmWorkers,
  'PATCH /api/activities/:id': crmWorkers,
  'POST /api/activities/:id/complete': crmWorkers,
  'POST /api/activities/:id/check-in': crmWorkers,
  'POST /api/activities/:id/cancel': crmWorkers,
  'POST /api/activities/:id/follow-up-done': crmWorkers,
  'GET /api/activities/:id/comments': crmReaders,
  'POST /api/activities/:id/comments': activityCommenters,
  'POST /api/activities/:id/action-items': crmWorkers,
  'PATCH /api/action-items/:id': crmWorkers,
  'GET /api/action-items': crmReaders,
  'GET /api/follow-ups': crmReaders,

  'GET /api/warehouses': stockReaders,
  'POST /api/warehouses': stockWriters,
  'PATCH /api/warehouses/:id': stockWriters,
  'GET /api/stock/settings': stockReaders,
  'PUT /api/stock/settings': stockWriters,
  'POST /api/stock/receipts': stockWriters,
  'POST /api/stock/adjustments': stockWriters,
  'POST /api/stock/transfers': stockWriters,
  'GET /api/stock/balances': stockReaders,
  'GET /api/stock/balances/export.xlsx': stockReaders,
  'GET /api/stock/products/:id/batches': stockReaders,
  'GET /api/stock/movements': stockReaders,
  'GET /api/stock/movements/export.xlsx': stockReaders,
  'GET /api/stock/availability': orderReaders,

  'GET /api/jobs': ['admin', 'management'],
  'GET /api/jobs/runs': ['admin', 'management'],
  'POST /api/jobs/:name/run': ['admin'],

  // Helper D (finance): invoices, receipts, receivables
  'GET /api/invoices': moneyReaders,
  'GET /api/invoices/export': moneyReaders,
  'GET /api/invoices/invoiceable': moneyReaders,
  'GET /api/invoices/red-pending': moneyReaders,
  'GET /api/invoices/:id': moneyReaders,
  'POST /api/invoices': moneyWriters,
  'POST /api/invoices/:id/issue': moneyWriters,
  'POST /api/invoices/:id/cancel': moneyWriters,
  'POST /api/invoices/:id/red': moneyWriters,
  'POST /api/invoices/import-tax': moneyWriters,
  'GET /api/receipts': moneyReaders,
  'GET /api/receipts/export': moneyReaders,
  'GET /api/receipts/:id': moneyReaders,
  'POST /api/receipts': moneyWriters,
  'POST /api/receipts/:id/auto-allocate': moneyWriters,
  'POST /api/receipts/:id/allocations': moneyWriters,
  'POST /api/receipts/:id/allocations/:allocationId/remove': moneyWriters,
  'POST /api/receipts/:id/void': moneyWriters,
  'GET /api/receivables/aging': moneyReaders,
  'GET /api/receivables/aging/export': moneyReaders,
  'GET /api/receivables/overdue': moneyReaders,
  'GET /api/receivables/overdue/export': moneyReaders,
  'GET /api/customers/:id/statement': moneyReaders,
  'GET /api/customers/:id/statement/print': moneyReaders,
  'GET /api/customers/:id/statement/print.pdf': moneyReaders,
  'GET /api/customers/:id/statement/export': moneyReaders,
  'GET /api/customers/:id/credit': moneyReaders,
  'GET /api/daily-clearing': orderReportReaders,
  'GET /api/daily-clearing/export.xlsx': orderReportReaders,
  'GET /api/period-closings': periodClosers,
  'GET /api/period-closings/:period/warnings': periodClosers,
  'POST /api/period-closings': periodClosers,
  'POST /api/period-closings/:period/reopen': periodClosers,
  // 发货 shipments and 退换货 returns (modules/shipping, modules/returns).
  'GET /api/shipments': shipmentReaders,
  'GET /api/shipments/export': shipmentReaders,
  'GET /api/shipments/shippable-orders': shipmentWorkers,
  'GET /api/shipments/shippable': shipmentWorkers,
  'GET /api/shipments/:id': shipmentReaders,
  'POST /api/shipments': shipmentWorkers,
  'POST /api/shipments/:id/check': shipmentWorkers,
  'POST /api/shipments/:id/dispatch': shipmentWorkers,
  'POST /api/shipments/:id/deliver': shipmentWorkers,
  'POST /api/shipments/:id/cancel': shipmentWorkers,
  'GET /api/shipments/:id/delivery-note': shipmentReaders,
  'GET /api/shipments/:id/delivery-note.pdf': shipmentReaders,
  'GET /api/shipments/:id/picking-list': shipmentReaders,
  'GET /api/shipments/:id/picking-list.pdf': shipmentReaders,
  'GET /api/returns': shipmentReaders,
  'GET /api/returns/export': shipmentReaders,
  'GET /api/returns/returnable': returnRequesters,
  'GET /api/returns/warehouses': returnInspectors,
  'GET /api/returns/:id': shipmentReaders,
  'POST /api/returns': returnRequesters,
  'POST /api/returns/:id/submit': returnRequesters,
  'POST /api/returns/:id/cancel': returnRequesters,
  'POST /api/returns/:id/receive': returnInspectors,
  'POST /api/returns/:id/inspect': returnInspectors,
  'POST /api/returns/:id/exchange-shipment': shipmentWorkers,
  'GET /api/orders': orderReaders,
  'GET /api/orders/export': orderReaders,
  'GET /api/orders/last-prices': orderReaders,
  'GET /api/orders/entry-context': orderWriters,
  'GET /api/orders/:id': orderReaders,
  'GET /api/orders/:id/chain': orderReaders,
  'POST /api/orders': orderWriters,
  'PUT /api/orders/:id': orderWriters,
  'POST /api/orders/:id/submit': orderWriters,
  'POST /api/orders/:id/review': orderReviewers,
  'POST /api/orders/:id/cancel': orderWriters,
  'POST /api/orders/:id/close-backorder': orderWriters,
  'POST /api/orders/:id/reserve': orderWriters,
};
