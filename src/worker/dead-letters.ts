/**
 * Dead letters: outbox events a subscriber gave up on, kept with their payload until an operator acts — a
 * redrive (a worker handles the event again) or a discard. The outbox may prune the event; the row keeps it.
 */
import type { Selectable, Transaction } from 'kysely';
import type { Database, Db, DbExecutor } from '../storage/index.js';
import type { BulwarkEvent, StoredEvent } from './events.js';

/** One dead letter, as `bulwark events dead-letters list` shows it. */
export interface DeadLetter {
  /** `<subscriber>:<seq>`: what `redrive` and `discard` take. */
  id: string;
  subscriber: string;
  seq: number;
  /** The event's type, or undefined when its payload was pruned before dead letters kept payloads. */
  eventType: string | undefined;
  accountId: string | undefined;
  /** The event as raised, or undefined when it was lost to pruning before dead letters kept payloads. */
  event: BulwarkEvent | undefined;
  eventCreatedAt: Date | undefined;
  /** The last handler error. */
  error: string;
  failedAt: Date;
  /** Failed handlings, redrives included. */
  attempts: number;
  /** When a redrive was requested and is waiting for a worker; undefined while the letter is just dead. */
  redriveRequestedAt: Date | undefined;
}

/** The identity of a dead letter. */
export interface DeadLetterKey {
  subscriber: string;
  seq: number;
}

type DeadLetterRow = Selectable<Database['outbox_dead_letters']>;

/** `<subscriber>:<seq>` of a dead letter. */
export function deadLetterId(key: DeadLetterKey): string {
  return `${key.subscriber}:${key.seq}`;
}

/** Parses `<subscriber>:<seq>`; throws naming the argument when it is not one. */
export function parseDeadLetterId(text: string): DeadLetterKey {
  const colon = text.lastIndexOf(':');
  const seq = Number(text.slice(colon + 1));
  if (colon <= 0 || !/^\d+$/.test(text.slice(colon + 1)) || !Number.isSafeInteger(seq)) {
    throw new Error(
      `${JSON.stringify(text)} is not a dead-letter id (<subscriber>:<seq>, as list prints it)`,
    );
  }
  return { subscriber: text.slice(0, colon), seq };
}

/** Records that `subscriber` gave up on `stored` after `attempts` failures, keeping the event itself. */
export async function insertDeadLetter(
  tx: Transaction<Database>,
  subscriber: string,
  stored: StoredEvent,
  failure: { error: string; attempts: number; now: number },
): Promise<void> {
  await tx
    .insertInto('outbox_dead_letters')
    .values({
      subscriber,
      seq: stored.seq,
      txid: stored.txid,
      type: stored.event.type,
      account_id: stored.event.accountId,
      payload: JSON.stringify(stored.event),
      created_at: stored.createdAt.getTime(),
      error: failure.error,
      failed_at: failure.now,
      attempts: failure.attempts,
      redrive_requested_at: null,
    })
    .onConflict((oc) => oc.columns(['subscriber', 'seq']).doNothing())
    .execute();
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: deadLetterId(row),
    subscriber: row.subscriber,
    seq: Number(row.seq),
    eventType: row.type ?? undefined,
    accountId: row.account_id ?? undefined,
    event: row.payload === null ? undefined : (JSON.parse(row.payload) as BulwarkEvent),
    eventCreatedAt: row.created_at === null ? undefined : new Date(Number(row.created_at)),
    error: row.error,
    failedAt: new Date(Number(row.failed_at)),
    attempts: row.attempts,
    redriveRequestedAt:
      row.redrive_requested_at === null ? undefined : new Date(Number(row.redrive_requested_at)),
  };
}

/** Dead letters, oldest event first; `subscriber` narrows to one subscriber. */
export async function listDeadLetters(
  db: DbExecutor,
  options: { subscriber?: string; limit?: number } = {},
): Promise<DeadLetter[]> {
  const rows = await db
    .selectFrom('outbox_dead_letters')
    .selectAll()
    .$if(options.subscriber !== undefined, (qb) => qb.where('subscriber', '=', options.subscriber ?? ''))
    .orderBy('seq')
    .orderBy('subscriber')
    .$if(options.limit !== undefined, (qb) => qb.limit(options.limit ?? 0))
    .execute();
  return rows.map(toDeadLetter);
}

/** How many dead letters are kept (redrives not yet handled included): what `bulwark_outbox_dead_letters` shows. */
export async function countDeadLetters(db: DbExecutor): Promise<number> {
  const row = await db
    .selectFrom('outbox_dead_letters')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** What a redrive or discard request did to each id it named. */
export interface DeadLetterActionResult {
  /** Dead letters acted on. */
  done: string[];
  /** Ids that name no dead letter. */
  missing: string[];
  /** Dead letters that cannot be redriven: their event was pruned before dead letters kept payloads. */
  withoutPayload: string[];
}

/** Asks the workers to handle dead letters again (`keys`, or every one with `all`); returns what was queued. */
export async function requestRedrive(
  db: Db,
  selection: { keys: readonly DeadLetterKey[] } | { all: true },
  now: number,
): Promise<DeadLetterActionResult> {
  return db.transaction().execute(async (tx) => {
    const rows =
      'all' in selection
        ? await tx.selectFrom('outbox_dead_letters').select(['subscriber', 'seq', 'payload']).execute()
        : await selectKeys(tx, selection.keys);
    const result = resultFor(selection, rows);
    for (const row of rows) {
      if (row.payload === null) {
        result.withoutPayload.push(deadLetterId(row));
        continue;
      }
      await tx
        .updateTable('outbox_dead_letters')
        .set({ redrive_requested_at: now })
        .where('subscriber', '=', row.subscriber)
        .where('seq', '=', row.seq)
        .execute();
      result.done.push(deadLetterId(row));
    }
    return result;
  });
}

/** Deletes dead letters for good (the event is not handled). */
export async function discardDeadLetters(
  db: Db,
  keys: readonly DeadLetterKey[],
): Promise<DeadLetterActionResult> {
  return db.transaction().execute(async (tx) => {
    const rows = await selectKeys(tx, keys);
    const result = resultFor({ keys }, rows);
    for (const row of rows) {
      await tx
        .deleteFrom('outbox_dead_letters')
        .where('subscriber', '=', row.subscriber)
        .where('seq', '=', row.seq)
        .execute();
      result.done.push(deadLetterId(row));
    }
    return result;
  });
}

async function selectKeys(
  tx: Transaction<Database>,
  keys: readonly DeadLetterKey[],
): Promise<{ subscriber: string; seq: number; payload: string | null }[]> {
  if (keys.length === 0) return [];
  return tx
    .selectFrom('outbox_dead_letters')
    .select(['subscriber', 'seq', 'payload'])
    .where((eb) =>
      eb.or(keys.map((key) => eb.and([eb('subscriber', '=', key.subscriber), eb('seq', '=', key.seq)]))),
    )
    .execute();
}

function resultFor(
  selection: { keys: readonly DeadLetterKey[] } | { all: true },
  found: readonly DeadLetterKey[],
): DeadLetterActionResult {
  const present = new Set(found.map(deadLetterId));
  const missing =
    'all' in selection ? [] : [...new Set(selection.keys.map(deadLetterId))].filter((id) => !present.has(id));
  return { done: [], missing, withoutPayload: [] };
}

/** A dead letter a worker is asked to handle again. */
export interface RedriveRequest {
  subscriber: string;
  stored: StoredEvent;
  requestedAt: number;
  attempts: number;
}

/** The redrive requests of `subscriber`, oldest event first, at most `limit`. */
export async function readRedriveRequests(
  db: DbExecutor,
  subscriber: string,
  limit: number,
): Promise<RedriveRequest[]> {
  const rows = await db
    .selectFrom('outbox_dead_letters')
    .selectAll()
    .where('subscriber', '=', subscriber)
    .where('redrive_requested_at', 'is not', null)
    .where('payload', 'is not', null)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    subscriber: row.subscriber,
    stored: {
      seq: Number(row.seq),
      txid: Number(row.txid ?? 0),
      createdAt: new Date(Number(row.created_at ?? row.failed_at)),
      event: JSON.parse(row.payload ?? 'null') as BulwarkEvent,
    },
    requestedAt: Number(row.redrive_requested_at),
    attempts: row.attempts,
  }));
}

/**
 * Takes a redrive request in `tx` by deleting its row, only if it is still the request that was read; false when
 * another worker took it first (its delete holds the row until it commits, so the event is handled once).
 */
export async function takeRedriveRequest(
  tx: Transaction<Database>,
  request: RedriveRequest,
): Promise<boolean> {
  const result = await tx
    .deleteFrom('outbox_dead_letters')
    .where('subscriber', '=', request.subscriber)
    .where('seq', '=', request.stored.seq)
    .where('redrive_requested_at', '=', request.requestedAt)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

/** A redrive that failed again: the letter is dead again with the new error, until the next request. */
export async function returnToDeadLetters(
  db: DbExecutor,
  request: RedriveRequest,
  failure: { error: string; now: number },
): Promise<void> {
  await db
    .updateTable('outbox_dead_letters')
    .set({
      error: failure.error,
      failed_at: failure.now,
      attempts: request.attempts + 1,
      redrive_requested_at: null,
    })
    .where('subscriber', '=', request.subscriber)
    .where('seq', '=', request.stored.seq)
    .where('redrive_requested_at', '=', request.requestedAt)
    .execute();
}

/** Where /metrics gauges are registered (the HTTP layer's Metrics). */
export interface GaugeRegistry {
  registerGauge(name: string, help: string, read: () => Promise<number>): void;
}

/** Registers `bulwark_outbox_dead_letters`: alert on it above 0, then list, fix and redrive or discard. */
export function registerDeadLetterGauge(registry: GaugeRegistry, db: Db): void {
  registry.registerGauge(
    'bulwark_outbox_dead_letters',
    'Outbox events a subscriber gave up on, kept until redriven or discarded (bulwark events dead-letters list)',
    () => countDeadLetters(db),
  );
}
