/** The explicit request context every mutating service call receives first. */
import type { Transaction } from 'kysely';
import type { Actor } from './actor.js';
import type { Database } from '../storage/database.js';

/** Who calls, for which account and Region, under which request id, at what time, inside which transaction. */
export interface Ctx {
  actor: Actor;
  accountId: string;
  region: string;
  requestId: string;
  now: Date;
  tx: Transaction<Database>;
}
