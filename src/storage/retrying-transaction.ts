/** Runs a unit of work in a transaction, again from the start when a concurrent writer made it conflict. */
import type { Transaction } from 'kysely';
import type { Database, Db } from './database.js';
import { storageEngineOf } from './storage-engine.js';
import { WriteConflictError } from './write-conflict.js';

const maxAttempts = 5;

/**
 * `body` must do all its work in `tx` (it is rolled back and run again on a conflict). On SQLite a transaction
 * conflicts only when another process (an admin command) holds the file's write lock; on PostgreSQL two calls
 * inserting the same new key race on its unique index, and two calls updating the same row race on its version
 * (WriteConflictError): the loser's next attempt reads the winner's row and decides again.
 */
export async function inRetryingTransaction<T>(
  db: Db,
  body: (tx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const engine = storageEngineOf(db);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(body);
    } catch (error) {
      const conflict = error instanceof WriteConflictError || engine.isRetryableConflict(error);
      if (attempt >= maxAttempts || !conflict) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
