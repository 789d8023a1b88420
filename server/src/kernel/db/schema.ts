// Every table of the product, for Drizzle's typed queries and drizzle-kit's migration generator.
export * from '../access/access.tables.js';
export * from '../auth/auth.tables.js';
export * from '../audit/audit.tables.js';
export * from '../documents/documents.tables.js';
export * from '../approvals/approvals.tables.js';
export * from '../../modules/account-requests/account-requests.tables.js';
export * from '../files/files.tables.js';
export * from '../excel/import.tables.js';
export * from '../jobs/jobs.tables.js';
export * from '../notify/notify.tables.js';
export * from '../reminders/reminders.tables.js';
export * from '../../modules/customers/customers.tables.js';
export * from '../../modules/products/products.tables.js';
export * from '../../modules/customers/qualifications.tables.js';
export * from '../../modules/customers/applications.tables.js';
export * from '../../modules/customers/ownership.tables.js';
export * from '../../modules/contacts/contacts.tables.js';
