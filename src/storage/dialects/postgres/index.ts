/** The PostgreSQL engine: a connection pool, the portable findings writer, SKIP LOCKED job claims, ANALYZE. */
import { sql } from 'kysely';
import type { StorageEngine } from '../../storage-engine.js';
import { KyselyFindingsWriter } from '../../kysely-findings-writer.js';
import { openPostgres } from './open-postgres.js';
import { isPostgresRetryableConflict } from './postgres-conflicts.js';
import { postgresWorkQueueSql } from './postgres-work-queue.js';

export const postgresEngine: StorageEngine = {
  traits: { engine: 'postgres', autoIncrementKey: 'bigserial', bigInteger: 'bigint' },
  accepts: (url) => /^postgres(ql)?:\/\//.test(url),
  async open(url, options) {
    if (options.schema !== undefined) {
      if (!/^[a-z_][a-z0-9_]*$/.test(options.schema))
        throw new Error(`invalid schema name ${options.schema}`);
      const bootstrap = openPostgres(url, { maxConnections: 1 });
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(bootstrap);
      await bootstrap.destroy();
    }
    const db = openPostgres(url, {
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    return { db, findingsWriter: new KyselyFindingsWriter() };
  },
  workQueue: postgresWorkQueueSql,
  isRetryableConflict: isPostgresRetryableConflict,
  // ANALYZE samples ~30k rows per table and does not block writes. Autovacuum normally refreshes the statistics,
  // but it may be off or lag behind a bulk import, and stale statistics (rows=1) mislead the planner.
  async refreshStatistics(db, tables) {
    if (tables.length === 0) return;
    await sql`analyze ${sql.join(tables.map((table) => sql.table(table)))}`.execute(db);
  },
};
