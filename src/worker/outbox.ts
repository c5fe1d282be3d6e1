/** The outbox: events written in the transaction of the change that raised them, read back in order. */
import type { RawBuilder, Transaction } from 'kysely';
import type { Database, Db, DbExecutor } from '../storage/index.js';
import type { BulwarkEvent, BulwarkEventType, StoredEvent } from './events.js';

/** A position in the outbox: events are ordered by (txid, seq). */
export interface OutboxPosition {
  txid: number;
  seq: number;
}

/** Records `event` in `tx`; it becomes visible to subscribers exactly when `tx` commits. */
export async function appendEvent(
  tx: Transaction<Database>,
  event: BulwarkEvent,
  now = Date.now(),
): Promise<void> {
  await appendEvents(tx, [event], now);
}

/** Records several events in `tx`, in order. */
export async function appendEvents(
  tx: Transaction<Database>,
  events: readonly BulwarkEvent[],
  now = Date.now(),
): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insertInto('outbox')
    .values(
      events.map((event) => ({
        type: event.type,
        account_id: event.accountId,
        payload: JSON.stringify(event),
        created_at: now,
      })),
    )
    .execute();
}

/** The last outbox position whose transaction is known to be finished (`horizon` from the dialect), if any. */
export async function lastFinalPosition(
  db: Db,
  horizon: RawBuilder<number>,
): Promise<OutboxPosition | undefined> {
  return db
    .selectFrom('outbox')
    .select(['txid', 'seq'])
    .where('txid', '<', horizon)
    .orderBy('txid', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Events of `types` after `from` up to and including `to`, in order, at most `limit`. */
export async function readEvents(
  db: DbExecutor,
  range: { from: OutboxPosition; to: OutboxPosition; types: readonly BulwarkEventType[]; limit: number },
): Promise<StoredEvent[]> {
  if (range.types.length === 0) return [];
  const rows = await db
    .selectFrom('outbox')
    .select(['seq', 'txid', 'payload', 'created_at'])
    .where((eb) =>
      eb.and([
        eb(eb.refTuple('txid', 'seq'), '>', eb.tuple(range.from.txid, range.from.seq)),
        eb(eb.refTuple('txid', 'seq'), '<=', eb.tuple(range.to.txid, range.to.seq)),
      ]),
    )
    .where('type', 'in', [...range.types])
    .orderBy('txid')
    .orderBy('seq')
    .limit(range.limit)
    .execute();
  return rows.map((row) => ({
    seq: row.seq,
    txid: row.txid,
    createdAt: new Date(row.created_at),
    event: JSON.parse(row.payload) as BulwarkEvent,
  }));
}

/** Whether position `a` comes after `b`. */
export function isAfter(a: OutboxPosition, b: OutboxPosition): boolean {
  return a.txid > b.txid || (a.txid === b.txid && a.seq > b.seq);
}
