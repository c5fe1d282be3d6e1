/** What code outside src/storage/ and src/app/ may use of storage: table types, the work-queue seam's types, the findings writer seam and the engine of an open database, the retrying transaction with its conflict error, small column helpers. */
export type { Database, Db, DbExecutor, JobsTable, OutboxTable } from './database.js';
export type { JobClaim, JobRow, WorkQueueSql } from './work-queue-sql.js';
export type { FindingColumns, FindingRows, FindingsWriter } from './findings-writer.js';
export { KyselyFindingsWriter } from './kysely-findings-writer.js';
export { storageEngineOf, type StorageEngine } from './storage-engine.js';
export { inRetryingTransaction } from './retrying-transaction.js';
export { WriteConflictError } from './write-conflict.js';
export { chunk } from './chunk.js';
export { dateOrUndefined } from './epoch-column.js';
