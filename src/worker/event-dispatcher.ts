/**
 * Runs the outbox through its subscribers: each event once per subscriber, in outbox order per subscriber, and
 * dead letters an operator asked to redrive.
 */
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database, Db, WorkQueueSql } from '../storage/index.js';
import type { BulwarkEventType, EventOfType, StoredEvent } from './events.js';
import { isAfter, lastFinalPosition, readEvents, type OutboxPosition } from './outbox.js';
import {
  insertDeadLetter,
  readRedriveRequests,
  returnToDeadLetters,
  takeRedriveRequest,
  type RedriveRequest,
} from './dead-letters.js';
import { retryDelayMs } from './job-queue.js';

/** What a subscriber's handler receives: the transaction that also records the event as handled. */
export interface SubscriberContext {
  tx: Transaction<Database>;
  now: Date;
  /** The event's place in the outbox (a stable idempotency key if the handler talks to the outside world). */
  seq: number;
  logger: Logger;
}

/**
 * A reaction to events. `handle` runs in a transaction that commits together with the subscriber's cursor
 * moving past the event, so its database writes take effect exactly once. Effects outside the database
 * (mail, webhooks) are at least once and should use `ctx.seq` to deduplicate.
 */
export interface EventSubscriber<T extends BulwarkEventType = BulwarkEventType> {
  name: string;
  events: readonly T[];
  handle(ctx: SubscriberContext, event: EventOfType<T>): Promise<void>;
}

/** How a dispatcher behaves. */
export interface DispatcherOptions {
  /** This worker's id (lease owner). */
  owner: string;
  leaseMs: number;
  /** Events read per subscriber per round; default 100. */
  batchSize?: number;
  /** Failures of one event before it is dead-lettered (kept with its payload) and skipped; default 5. */
  maxFailures?: number;
  logger: Logger;
  clock?: () => number;
}

/** Thrown inside a handling transaction when another worker moved the cursor first; rolls the handler back. */
class CursorMoved extends Error {}

interface LeasedCursor {
  position: OutboxPosition;
  failures: number;
}

const initialPosition: OutboxPosition = { txid: 0, seq: 0 };

/**
 * Dispatches outbox events. A worker leases one subscriber's cursor at a time, reads the next final events
 * of the types it takes, and handles each in its own transaction that moves the cursor from exactly the
 * position read (compare-and-set) — so two workers can never both commit the same (subscriber, event).
 */
export class EventDispatcher {
  private readonly batchSize: number;
  private readonly maxFailures: number;
  private readonly clock: () => number;
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly sql: WorkQueueSql,
    private readonly subscribers: readonly EventSubscriber[],
    private readonly options: DispatcherOptions,
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.maxFailures = options.maxFailures ?? 5;
    this.clock = options.clock ?? Date.now;
    const names = new Set<string>();
    for (const subscriber of subscribers) {
      if (names.has(subscriber.name)) throw new Error(`two subscribers are named ${subscriber.name}`);
      names.add(subscriber.name);
    }
  }

  /** Creates the cursors of new subscribers at the start of the outbox (nothing already raised is missed). */
  async register(): Promise<void> {
    const now = this.clock();
    for (const subscriber of this.subscribers) {
      await this.db
        .insertInto('outbox_cursors')
        .values({
          subscriber: subscriber.name,
          last_txid: initialPosition.txid,
          last_seq: initialPosition.seq,
          lease_owner: null,
          lease_expires_at: null,
          failures: 0,
          retry_at: 0,
          last_error: null,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('subscriber').doNothing())
        .execute();
    }
  }

  /** Asks a running `dispatchOnce` to stop after the event it is handling. */
  stop(): void {
    this.stopping = true;
  }

  /** One round over every subscriber and the redrives asked for; returns how many events were handled. */
  async dispatchOnce(): Promise<number> {
    if (this.subscribers.length === 0) return 0;
    let handled = await this.redriveOnce();
    const final = await lastFinalPosition(this.db, this.sql.finishedTxidHorizon());
    if (final === undefined) return handled;
    for (const subscriber of this.subscribers) {
      if (this.stopping) break;
      handled += await this.dispatchSubscriber(subscriber, final);
    }
    return handled;
  }

  /**
   * Handles the dead letters an operator asked to redrive: each in a transaction that also deletes its row, so a
   * redriven event takes effect once; one that fails again is dead again with its new error.
   */
  private async redriveOnce(): Promise<number> {
    // A cheap read first, so idle polling writes nothing.
    const waiting = await this.db
      .selectFrom('outbox_dead_letters')
      .select('subscriber')
      .distinct()
      .where('redrive_requested_at', 'is not', null)
      .where('payload', 'is not', null)
      .execute();
    if (waiting.length === 0) return 0;
    const names = new Set(waiting.map((row) => row.subscriber));
    let handled = 0;
    for (const subscriber of this.subscribers) {
      if (!names.has(subscriber.name)) continue;
      for (const request of await readRedriveRequests(this.db, subscriber.name, this.batchSize)) {
        if (this.stopping) return handled;
        if (await this.redriveOne(subscriber, request)) handled += 1;
      }
    }
    return handled;
  }

  private async redriveOne(subscriber: EventSubscriber, request: RedriveRequest): Promise<boolean> {
    const { stored } = request;
    try {
      return await this.db.transaction().execute(async (tx) => {
        if (!(await takeRedriveRequest(tx, request))) return false;
        if (!subscriber.events.includes(stored.event.type)) {
          throw new Error(`${subscriber.name} no longer takes ${stored.event.type} events`);
        }
        await subscriber.handle(
          { tx, now: new Date(this.clock()), seq: stored.seq, logger: this.options.logger },
          stored.event,
        );
        return true;
      });
    } catch (error) {
      this.options.logger.error(
        { err: error, subscriber: subscriber.name, seq: stored.seq },
        'redriven event failed again',
      );
      await returnToDeadLetters(this.db, request, { error: errorMessage(error), now: this.clock() });
      return false;
    }
  }

  private async dispatchSubscriber(subscriber: EventSubscriber, final: OutboxPosition): Promise<number> {
    // A cheap read first, so idle polling writes nothing.
    const peek = await this.db
      .selectFrom('outbox_cursors')
      .select(['last_txid', 'last_seq', 'retry_at'])
      .where('subscriber', '=', subscriber.name)
      .executeTakeFirst();
    if (peek === undefined || peek.retry_at > this.clock()) return 0;
    if (!isAfter(final, { txid: peek.last_txid, seq: peek.last_seq })) return 0;
    const cursor = await this.lease(subscriber.name);
    if (cursor === undefined) return 0;
    let handled = 0;
    try {
      let position = cursor.position;
      const events = await readEvents(this.db, {
        from: position,
        to: final,
        types: subscriber.events,
        limit: this.batchSize,
      });
      for (const stored of events) {
        if (this.stopping) return handled;
        const outcome = await this.handleOne(subscriber, stored, position, cursor.failures);
        if (outcome === 'lost') return handled;
        if (outcome === 'failed') return handled;
        position = { txid: stored.txid, seq: stored.seq };
        cursor.failures = 0;
        handled += 1;
      }
      // Every event of its types up to `final` is handled: skip the others in one step.
      if (events.length < this.batchSize && isAfter(final, position)) {
        await this.db.transaction().execute((tx) => this.advance(tx, subscriber.name, position, final));
      }
      return handled;
    } catch (error) {
      if (error instanceof CursorMoved) return handled;
      throw error;
    } finally {
      await this.release(subscriber.name);
    }
  }

  private async handleOne(
    subscriber: EventSubscriber,
    stored: StoredEvent,
    from: OutboxPosition,
    failures: number,
  ): Promise<'handled' | 'lost' | 'failed'> {
    const to = { txid: stored.txid, seq: stored.seq };
    try {
      await this.db.transaction().execute(async (tx) => {
        await subscriber.handle(
          { tx, now: new Date(this.clock()), seq: stored.seq, logger: this.options.logger },
          stored.event,
        );
        await this.advance(tx, subscriber.name, from, to);
      });
      return 'handled';
    } catch (error) {
      if (error instanceof CursorMoved) return 'lost';
      await this.recordFailure(subscriber.name, stored, from, failures + 1, error);
      return 'failed';
    }
  }

  /** Moves the cursor from `from` to `to` in `tx`; throws CursorMoved when it is no longer at `from`. */
  private async advance(
    tx: Transaction<Database>,
    subscriber: string,
    from: OutboxPosition,
    to: OutboxPosition,
  ): Promise<void> {
    const now = this.clock();
    const result = await tx
      .updateTable('outbox_cursors')
      .set({
        last_txid: to.txid,
        last_seq: to.seq,
        failures: 0,
        retry_at: 0,
        last_error: null,
        lease_expires_at: now + this.options.leaseMs,
        updated_at: now,
      })
      .where('subscriber', '=', subscriber)
      .where('last_txid', '=', from.txid)
      .where('last_seq', '=', from.seq)
      .where('lease_owner', '=', this.options.owner)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) throw new CursorMoved(`cursor of ${subscriber} moved`);
  }

  private async recordFailure(
    subscriber: string,
    stored: StoredEvent,
    from: OutboxPosition,
    failures: number,
    error: unknown,
  ): Promise<void> {
    const message = errorMessage(error);
    const now = this.clock();
    this.options.logger.error(
      { err: error, subscriber, seq: stored.seq, failures },
      'event subscriber failed',
    );
    if (failures >= this.maxFailures) {
      try {
        await this.db.transaction().execute(async (tx) => {
          await insertDeadLetter(tx, subscriber, stored, { error: message, attempts: failures, now });
          await this.advance(tx, subscriber, from, { txid: stored.txid, seq: stored.seq });
        });
      } catch (deadLetterError) {
        if (!(deadLetterError instanceof CursorMoved)) throw deadLetterError;
      }
      return;
    }
    await this.db
      .updateTable('outbox_cursors')
      .set({ failures, retry_at: now + retryDelayMs(failures), last_error: message, updated_at: now })
      .where('subscriber', '=', subscriber)
      .where('last_txid', '=', from.txid)
      .where('last_seq', '=', from.seq)
      .where('lease_owner', '=', this.options.owner)
      .execute();
  }

  private async lease(subscriber: string): Promise<LeasedCursor | undefined> {
    const now = this.clock();
    const row = await this.db
      .updateTable('outbox_cursors')
      .set({ lease_owner: this.options.owner, lease_expires_at: now + this.options.leaseMs, updated_at: now })
      .where('subscriber', '=', subscriber)
      .where('retry_at', '<=', now)
      .where((eb) =>
        eb.or([
          eb('lease_owner', 'is', null),
          eb('lease_owner', '=', this.options.owner),
          eb('lease_expires_at', '<=', now),
        ]),
      )
      .returning(['last_txid', 'last_seq', 'failures'])
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return { position: { txid: row.last_txid, seq: row.last_seq }, failures: row.failures };
  }

  private async release(subscriber: string): Promise<void> {
    await this.db
      .updateTable('outbox_cursors')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('subscriber', '=', subscriber)
      .where('lease_owner', '=', this.options.owner)
      .execute();
  }
}

/** What a failure records: the error's message, bounded. */
function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}
