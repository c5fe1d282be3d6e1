/**
 * What differs between the database engines Bulwark runs on (SQLite, PostgreSQL): each engine is one
 * StorageEngine object in dialects/<engine>/index.ts. openDatabase chooses the engine once, from the URL, and
 * records it with the handle it opens; code given that handle (or a transaction of it) asks `storageEngineOf`.
 */
import type { LogConfig } from 'kysely';
import type { Database, Db, DbExecutor } from './database.js';
import type { DialectTraits } from './dialect-traits.js';
import type { FindingsWriter } from './findings-writer.js';
import type { WorkQueueSql } from './work-queue-sql.js';

/** How openDatabase asks an engine to open a database. */
export interface EngineOpenOptions {
  /** PostgreSQL: the schema to live in (created when missing); SQLite has none. */
  schema?: string;
  log?: LogConfig;
}

/** An open (not yet migrated) database of one engine. */
export interface EngineDatabase {
  db: Db;
  /** The engine's fastest findings writer for this database (for the findings store). */
  findingsWriter: FindingsWriter;
}

/** One database engine: how to open it, its column types, and the statements it must write its own way. */
export interface StorageEngine {
  /** The engine's name and the column types its migrations use. */
  readonly traits: DialectTraits;
  /** Whether `url` names a database of this engine. */
  accepts(url: string): boolean;
  /** Opens `url` (a URL this engine accepts). */
  open(url: string, options: EngineOpenOptions): Promise<EngineDatabase>;
  /** The engine's job-claim and outbox-horizon statements. */
  readonly workQueue: WorkQueueSql;
  /** Whether `error` is a conflict with a concurrent writer that running the whole transaction again resolves. */
  isRetryableConflict(error: unknown): boolean;
  /** Brings the planner statistics of `tables` up to date where the engine keeps them by sampling. */
  refreshStatistics(db: DbExecutor, tables: readonly (keyof Database)[]): Promise<void>;
}

/** The engine behind each open database, keyed by its Kysely adapter (which its transactions share). */
const engines = new WeakMap<object, StorageEngine>();

/** Records that `db` was opened by `engine` (openDatabase does, once per database). */
export function recordStorageEngine(db: Db, engine: StorageEngine): void {
  engines.set(db.getExecutor().adapter, engine);
}

/** The engine of a database openDatabase opened, given the database or any transaction on it. */
export function storageEngineOf(db: DbExecutor): StorageEngine {
  const engine = engines.get(db.getExecutor().adapter);
  if (engine === undefined) throw new Error('this database was not opened by openDatabase');
  return engine;
}
