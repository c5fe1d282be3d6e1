/** What code outside src/storage/ and src/app/ may use of storage: table types and the work-queue seam's types. */
export type { Database, Db, DbExecutor, JobsTable, OutboxTable } from './database.js';
export type { JobClaim, JobRow, WorkQueueSql } from './work-queue-sql.js';
