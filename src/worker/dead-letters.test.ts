import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  manualClock,
  openTestWorkQueue,
  settleOutbox,
  silentLogger,
  type TestWorkQueue,
} from '../../test/support/worker-context.js';
import { outboxDeadLetterPayloadsSchema } from '../storage/migrations/0020-outbox-dead-letter-payloads.js';
import {
  countDeadLetters,
  discardDeadLetters,
  listDeadLetters,
  parseDeadLetterId,
  requestRedrive,
} from './dead-letters.js';
import { EventDispatcher, type EventSubscriber } from './event-dispatcher.js';
import type { FindingsImported } from './events.js';
import { housekeepingJob } from './housekeeping-job.js';
import { appendEvents } from './outbox.js';
import { retryDelayMs } from './job-queue.js';

const dayMs = 86_400_000;
const imported = (n: number): FindingsImported => ({
  type: 'FindingsImported',
  accountId: '111122223333',
  region: 'us-east-1',
  findings: [
    {
      productArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      findingId: `f-${n}`,
    },
  ],
});

describe('outbox dead letters', () => {
  let t: TestWorkQueue;
  let clock: ReturnType<typeof manualClock>;
  /** While set, the subscriber's handler throws this message (after writing, which must roll back). */
  let breakage: string | undefined;

  const subscriber: EventSubscriber = {
    name: 'ledger',
    events: ['FindingsImported'],
    async handle(ctx) {
      await sql`insert into test_dead_letter_ledger (seq) values (${ctx.seq})`.execute(ctx.tx);
      if (breakage !== undefined) throw new Error(breakage);
    },
  };
  const dispatcher = (owner = 'w1') =>
    new EventDispatcher(t.db, t.queueSql, [subscriber], {
      owner,
      leaseMs: 30_000,
      logger: silentLogger,
      maxFailures: 3,
      clock: clock.now,
    });
  const ledger = async () =>
    (await sql<{ seq: number }>`select seq from test_dead_letter_ledger order by seq`.execute(t.db)).rows.map(
      (r) => Number(r.seq),
    );
  const outboxSeqs = async () =>
    (await t.db.selectFrom('outbox').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));

  /** Runs rounds (waiting out each backoff) until every event has been handled or dead-lettered. */
  async function drain(d: EventDispatcher, rounds: number): Promise<void> {
    for (let i = 1; i <= rounds; i += 1) {
      await d.dispatchOnce();
      clock.advance(retryDelayMs(i));
    }
  }

  /** Runs the hourly housekeeping job at the clock's time. */
  async function prune(): Promise<void> {
    await housekeepingJob([subscriber.name]).handle(
      {
        db: t.db,
        jobId: 1,
        attempt: 1,
        signal: new AbortController().signal,
        logger: silentLogger,
        now: () => new Date(clock.now()),
      },
      undefined,
    );
  }

  before(async () => {
    t = await openTestWorkQueue();
    await sql`create table test_dead_letter_ledger (seq bigint not null)`.execute(t.db);
  });
  beforeEach(async () => {
    clock = manualClock(Date.now());
    breakage = undefined;
    await t.db.deleteFrom('outbox').execute();
    await t.db.deleteFrom('outbox_cursors').execute();
    await t.db.deleteFrom('outbox_dead_letters').execute();
    await sql`delete from test_dead_letter_ledger`.execute(t.db);
  });
  after(async () => {
    await t.db.destroy();
  });

  it('keeps a failing event with its payload past the outbox prune, lists it, and handles it once when redriven', async () => {
    await t.db.transaction().execute((tx) => appendEvents(tx, [imported(1), imported(2)], clock.now()));
    const [first, second] = await outboxSeqs();
    assert.ok(first !== undefined && second !== undefined);
    breakage = 'the ledger is broken';
    const d = dispatcher();
    await d.register();
    await settleOutbox(t);
    await drain(d, 8);
    assert.deepEqual(await ledger(), [], 'failed handlings left no writes');
    assert.equal(await countDeadLetters(t.db), 2);

    // A day and more later the housekeeping job prunes the outbox: the cursor is past both events.
    clock.advance(2 * dayMs);
    await prune();
    assert.deepEqual(await outboxSeqs(), [], 'the outbox no longer holds the events');

    const letters = await listDeadLetters(t.db);
    assert.deepEqual(
      letters.map((l) => [l.id, l.eventType, l.accountId, l.error, l.attempts, l.redriveRequestedAt]),
      [
        [`ledger:${first}`, 'FindingsImported', '111122223333', 'the ledger is broken', 3, undefined],
        [`ledger:${second}`, 'FindingsImported', '111122223333', 'the ledger is broken', 3, undefined],
      ],
    );
    assert.deepEqual(letters[0]?.event, imported(1), 'the payload is kept whole');
    assert.deepEqual(letters[1]?.event, imported(2));

    // The handler is fixed; the operator redrives the first letter.
    breakage = undefined;
    assert.equal(await d.dispatchOnce(), 0, 'nothing is redriven before someone asks');
    const queued = await requestRedrive(t.db, { keys: [parseDeadLetterId(`ledger:${first}`)] }, clock.now());
    assert.deepEqual(queued, { done: [`ledger:${first}`], missing: [], withoutPayload: [] });
    assert.equal((await listDeadLetters(t.db))[0]?.redriveRequestedAt?.getTime(), clock.now());
    assert.equal(await d.dispatchOnce(), 1);
    assert.equal(await d.dispatchOnce(), 0, 'a redrive is handled once');
    assert.deepEqual(await ledger(), [first]);
    assert.deepEqual(
      (await listDeadLetters(t.db)).map((l) => l.id),
      [`ledger:${second}`],
    );

    assert.deepEqual(await requestRedrive(t.db, { all: true }, clock.now()), {
      done: [`ledger:${second}`],
      missing: [],
      withoutPayload: [],
    });
    assert.equal(await d.dispatchOnce(), 1);
    assert.deepEqual(await ledger(), [first, second]);
    assert.equal(await countDeadLetters(t.db), 0);
  });

  it('a redrive that fails again leaves the letter dead with the new error and one more attempt', async () => {
    await t.db.transaction().execute((tx) => appendEvents(tx, [imported(1)], clock.now()));
    breakage = 'first cause';
    const d = dispatcher();
    await d.register();
    await settleOutbox(t);
    await drain(d, 5);
    const [letter] = await listDeadLetters(t.db);
    assert.ok(letter !== undefined);
    breakage = 'second cause';
    await requestRedrive(t.db, { keys: [letter] }, clock.now());
    assert.equal(await d.dispatchOnce(), 0);
    const [again] = await listDeadLetters(t.db);
    assert.deepEqual(
      [again?.id, again?.error, again?.attempts, again?.redriveRequestedAt],
      [letter.id, 'second cause', 4, undefined],
    );
    assert.equal(await d.dispatchOnce(), 0, 'it is not retried until redriven again');
    assert.deepEqual(await ledger(), []);
  });

  it('two workers racing on one redrive handle it once', async () => {
    await t.db.transaction().execute((tx) => appendEvents(tx, [imported(1)], clock.now()));
    breakage = 'down';
    const a = dispatcher('worker-a');
    const b = dispatcher('worker-b');
    await a.register();
    await settleOutbox(t);
    await drain(a, 5);
    breakage = undefined;
    await requestRedrive(t.db, { all: true }, clock.now());
    const [byA, byB] = await Promise.all([a.dispatchOnce(), b.dispatchOnce()]);
    assert.equal(byA + byB, 1);
    assert.equal((await ledger()).length, 1);
    assert.equal(await countDeadLetters(t.db), 0);
  });

  it('discards letters for good and names ids that match nothing', async () => {
    await t.db.transaction().execute((tx) => appendEvents(tx, [imported(1), imported(2)], clock.now()));
    breakage = 'down';
    const d = dispatcher();
    await d.register();
    await settleOutbox(t);
    await drain(d, 8);
    const [one, two] = await listDeadLetters(t.db);
    assert.ok(one !== undefined && two !== undefined);
    const result = await discardDeadLetters(t.db, [one, { subscriber: 'ledger', seq: 999_999 }]);
    assert.deepEqual(result, { done: [one.id], missing: ['ledger:999999'], withoutPayload: [] });
    assert.deepEqual(
      (await listDeadLetters(t.db)).map((l) => l.id),
      [two.id],
    );
    breakage = undefined;
    assert.equal(await d.dispatchOnce(), 0, 'a discarded event is never handled');
    assert.deepEqual(await ledger(), []);
  });

  it('migration 0020 copies the events of earlier dead letters from the outbox; a pruned one can only be discarded', async () => {
    const migration = outboxDeadLetterPayloadsSchema(t.traits);
    await migration.down?.(t.db);
    try {
      await t.db.transaction().execute((tx) => appendEvents(tx, [imported(7)], clock.now()));
      const [kept] = await outboxSeqs();
      assert.ok(kept !== undefined);
      await sql`insert into outbox_dead_letters (subscriber, seq, error, failed_at)
        values ('ledger', ${kept}, 'old failure', 1), ('ledger', ${kept + 1000}, 'pruned long ago', 2)`.execute(
        t.db,
      );
    } finally {
      await migration.up(t.db);
    }
    const letters = await listDeadLetters(t.db);
    assert.deepEqual(
      letters.map((l) => [l.error, l.eventType, l.event, l.attempts]),
      [
        ['old failure', 'FindingsImported', imported(7), 0],
        ['pruned long ago', undefined, undefined, 0],
      ],
    );
    const [, pruned] = letters;
    assert.ok(pruned !== undefined);
    assert.deepEqual(await requestRedrive(t.db, { all: true }, clock.now()), {
      done: [letters[0]?.id],
      missing: [],
      withoutPayload: [pruned.id],
    });
  });

  it('refuses ids that are not <subscriber>:<seq>', () => {
    assert.deepEqual(parseDeadLetterId('controls-evaluation:42'), {
      subscriber: 'controls-evaluation',
      seq: 42,
    });
    for (const bad of ['42', ':42', 'ledger:', 'ledger:4x', 'ledger:-1']) {
      assert.throws(() => parseDeadLetterId(bad), /is not a dead-letter id/);
    }
  });
});
