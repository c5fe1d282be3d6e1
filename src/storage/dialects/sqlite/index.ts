/**
 * The SQLite engine: one WAL-mode file behind a single connection, prepared-statement findings writes, and
 * planner statistics pinned by the migrations (so nothing to refresh).
 */
import type { StorageEngine } from '../../storage-engine.js';
import { openSqlite } from './open-sqlite.js';
import { isSqliteBusy } from './sqlite-conflicts.js';
import { SqliteFindingsWriter } from './sqlite-findings-writer.js';
import { sqliteWorkQueueSql } from './sqlite-work-queue.js';

export const sqliteEngine: StorageEngine = {
  traits: { engine: 'sqlite', autoIncrementKey: 'integer', bigInteger: 'integer' },
  // Everything that is not another engine's URL: a file path, `sqlite:PATH`, or `:memory:`.
  accepts: () => true,
  open(url, options) {
    const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
    const { db, connection } = openSqlite(file, options.log);
    return Promise.resolve({ db, findingsWriter: new SqliteFindingsWriter(connection) });
  },
  workQueue: sqliteWorkQueueSql,
  isRetryableConflict: isSqliteBusy,
  // No ANALYZE / PRAGMA optimize: the findings' planner statistics are fixed by migrations 0001 and 0021.
  refreshStatistics: () => Promise.resolve(),
};
