import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  openTestWorkQueue,
  settleOutbox,
  silentLogger,
  type TestWorkQueue,
} from '../../test/support/worker-context.js';
import { onlyOn } from '../../test/support/engine-only.js';
import { EventDispatcher, type EventSubscriber } from './event-dispatcher.js';
import type { FindingsImported, FindingsUpdated } from './events.js';
import { appendEvent, appendEvents } from './outbox.js';

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
const updated = (n: number): FindingsUpdated => ({ ...imported(n), type: 'FindingsUpdated' });

/** A subscriber that writes a ledger row per event in the handling transaction (its "own writes"). */
function ledgerSubscriber(
  name: string,
  events: EventSubscriber['events'],
  seen: string[] = [],
): EventSubscriber {
  return {
    name,
    events,
    async handle(ctx, event) {
      seen.push('findings' in event ? (event.findings[0]?.findingId ?? '') : event.type);
      await sql`insert into test_ledger (subscriber, seq) values (${name}, ${ctx.seq})`.execute(ctx.tx);
    },
  };
}

describe('EventDispatcher', () => {
  let t: TestWorkQueue;

  const settle = () => settleOutbox(t);

  before(async () => {
    t = await openTestWorkQueue();
    await sql`create table test_ledger (subscriber text not null, seq bigint not null)`.execute(t.db);
  });
  beforeEach(async () => {
    await t.db.deleteFrom('outbox').execute();
    await t.db.deleteFrom('outbox_cursors').execute();
    await t.db.deleteFrom('outbox_dead_letters').execute();
    await sql`delete from test_ledger`.execute(t.db);
  });
  after(async () => {
    await t.db.destroy();
  });

  const dispatcher = (owner: string, subscribers: EventSubscriber[], batchSize = 100) =>
    new EventDispatcher(t.db, t.queueSql, subscribers, {
      owner,
      leaseMs: 30_000,
      logger: silentLogger,
      batchSize,
    });

  const ledger = async () =>
    (
      await sql<{
        subscriber: string;
        seq: number;
      }>`select subscriber, seq from test_ledger order by subscriber, seq`.execute(t.db)
    ).rows.map((r) => `${r.subscriber}:${Number(r.seq)}`);

  it('delivers each event of its types to each subscriber once, in order', async () => {
    await t.db.transaction().execute((tx) => appendEvents(tx, [imported(1), updated(2), imported(3)]));
    const allSeen: string[] = [];
    const importsSeen: string[] = [];
    const d = dispatcher('w1', [
      ledgerSubscriber('all', ['FindingsImported', 'FindingsUpdated'], allSeen),
      ledgerSubscriber('imports', ['FindingsImported'], importsSeen),
    ]);
    await d.register();
    await settle();
    assert.equal(await d.dispatchOnce(), 5);
    assert.equal(await d.dispatchOnce(), 0, 'nothing twice');
    assert.deepEqual(allSeen, ['f-1', 'f-2', 'f-3']);
    assert.deepEqual(importsSeen, ['f-1', 'f-3']);
    const cursor = await t.db
      .selectFrom('outbox_cursors')
      .selectAll()
      .where('subscriber', '=', 'imports')
      .executeTakeFirstOrThrow();
    const last = await t.db
      .selectFrom('outbox')
      .select(['seq'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(cursor.last_seq, last.seq, 'the cursor moved past the event it does not take');
    assert.equal(cursor.lease_owner, null, 'the lease is released after the round');
  });

  it('handles every event exactly once with two dispatchers racing', async () => {
    const events = 60;
    for (let i = 0; i < events; i += 1) {
      await t.db.transaction().execute((tx) => appendEvent(tx, i % 2 === 0 ? imported(i) : updated(i)));
    }
    const subscribers = () => [
      ledgerSubscriber('s1', ['FindingsImported', 'FindingsUpdated']),
      ledgerSubscriber('s2', ['FindingsImported']),
    ];
    const a = dispatcher('worker-a', subscribers(), 7);
    const b = dispatcher('worker-b', subscribers(), 7);
    await a.register();
    await b.register();
    // Drain until everything is delivered (bounded): on PostgreSQL delivery waits while any transaction on the
    // server that began earlier is still open, which other test files running at the same time may cause.
    const expected = events + events / 2;
    const deadline = Date.now() + 20_000;
    let delivered = 0;
    const drain = async (d: EventDispatcher) => {
      let total = 0;
      while (delivered < expected && Date.now() < deadline) {
        const n = await d.dispatchOnce();
        total += n;
        delivered += n;
        if (n === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return total;
    };
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    assert.equal(byA + byB, expected);
    assert.equal((await a.dispatchOnce()) + (await b.dispatchOnce()), 0, 'nothing is delivered twice');
    const rows = await ledger();
    assert.equal(rows.length, events + events / 2);
    assert.equal(new Set(rows).size, rows.length, 'no (subscriber, event) handled twice');
  });

  it('rolls back a handler whose cursor another worker moved first', async () => {
    await t.db.transaction().execute((tx) => appendEvent(tx, imported(1)));
    const subscriber = ledgerSubscriber('s', ['FindingsImported']);
    const overtaken: EventSubscriber = {
      ...subscriber,
      async handle(ctx, event) {
        await subscriber.handle(ctx, event);
        // This worker's lease expires mid-event; another worker takes the cursor and moves it past the event.
        // PostgreSQL: that happens on another connection and commits; SQLite (one connection): in this transaction.
        const mover = t.engine === 'postgres' ? t.db : ctx.tx;
        await mover.updateTable('outbox_cursors').set({ lease_owner: 'other', last_seq: 999 }).execute();
      },
    };
    const d = dispatcher('w1', [overtaken]);
    await d.register();
    await settle();
    assert.equal(await d.dispatchOnce(), 0);
    assert.deepEqual(await ledger(), [], 'the overtaken handler’s write was rolled back');
  });

  it('retries a failing event with backoff, then dead-letters it and moves on', async () => {
    await t.db.transaction().execute((tx) => appendEvents(tx, [imported(1), imported(2)]));
    let calls = 0;
    const flaky: EventSubscriber = {
      name: 'flaky',
      events: ['FindingsImported'],
      async handle(ctx, event) {
        if ('findings' in event && event.findings[0]?.findingId === 'f-1') {
          calls += 1;
          await sql`insert into test_ledger (subscriber, seq) values ('flaky', ${ctx.seq})`.execute(ctx.tx);
          throw new Error('cannot handle f-1');
        }
        await sql`insert into test_ledger (subscriber, seq) values ('flaky', ${ctx.seq})`.execute(ctx.tx);
      },
    };
    const d = new EventDispatcher(t.db, t.queueSql, [flaky], {
      owner: 'w1',
      leaseMs: 30_000,
      logger: silentLogger,
      maxFailures: 3,
    });
    await d.register();
    await settle();
    assert.equal(await d.dispatchOnce(), 0);
    let cursor = await t.db.selectFrom('outbox_cursors').selectAll().executeTakeFirstOrThrow();
    assert.equal(cursor.failures, 1);
    assert.equal(cursor.last_error, 'cannot handle f-1');
    assert.equal(await d.dispatchOnce(), 0, 'backing off');
    for (let i = 0; i < 2; i += 1) {
      await t.db.updateTable('outbox_cursors').set({ retry_at: 0 }).execute();
      await d.dispatchOnce();
    }
    assert.equal(calls, 3);
    const dead = await t.db.selectFrom('outbox_dead_letters').selectAll().execute();
    assert.deepEqual(
      dead.map((row) => [row.subscriber, row.error]),
      [['flaky', 'cannot handle f-1']],
    );
    assert.equal(await d.dispatchOnce(), 1, 'the next event is handled');
    assert.equal((await ledger()).length, 1, 'failed attempts left no writes');
    cursor = await t.db.selectFrom('outbox_cursors').selectAll().executeTakeFirstOrThrow();
    assert.equal(cursor.failures, 0);
  });

  it(
    'never passes an event whose transaction is still open (PostgreSQL)',
    onlyOn('postgres', 'SQLite has one writer, so seq order is commit order'),
    async () => {
      const seen: string[] = [];
      const d = dispatcher('w1', [ledgerSubscriber('s', ['FindingsImported'], seen)]);
      await d.register();
      let releaseSlow!: () => void;
      const slowMayCommit = new Promise<void>((resolve) => (releaseSlow = resolve));
      let slowAppended!: () => void;
      const appended = new Promise<void>((resolve) => (slowAppended = resolve));
      // The slow transaction takes the lower seq but commits last.
      const slow = t.db.transaction().execute(async (tx) => {
        await appendEvent(tx, imported(1));
        slowAppended();
        await slowMayCommit;
      });
      await appended;
      await t.db.transaction().execute((tx) => appendEvent(tx, imported(2)));
      assert.equal(await d.dispatchOnce(), 0, 'f-2 waits behind the open transaction that wrote f-1');
      releaseSlow();
      await slow;
      await settle();
      assert.equal(await d.dispatchOnce(), 2);
      assert.deepEqual(seen, ['f-1', 'f-2']);
    },
  );
});
