// Every table of the product, for Drizzle's typed queries and drizzle-kit's migration generator.
export * from '../access/access.tables.js';
export * from '../auth/auth.tables.js';
export * from '../audit/audit.tables.js';
export * from '../jobs/jobs.tables.js';
export * from '../notify/notify.tables.js';
