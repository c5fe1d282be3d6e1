import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock, openTestWorkQueue, type TestWorkQueue } from '../../test/support/worker-context.js';
import { enqueue, JobQueue, retryDelayMs } from './job-queue.js';

describe('JobQueue', () => {
  let t: TestWorkQueue;
  const clock = manualClock();
  let queue: JobQueue;

  before(async () => {
    t = await openTestWorkQueue();
    queue = new JobQueue(t.db, t.queueSql, clock.now);
  });
  after(async () => {
    await t.db.destroy();
  });

  it('enqueues, claims with a lease and completes', async () => {
    const id = await enqueue(t.db, { name: 'a', payload: { n: 1 } }, clock.now());
    assert.ok(id !== undefined);
    const job = await queue.claim('w1', ['a'], 10_000);
    assert.ok(job);
    assert.deepEqual([job.id, job.name, job.payload, job.attempt, job.owner], [id, 'a', { n: 1 }, 1, 'w1']);
    assert.equal(job.leaseExpiresAt, clock.now() + 10_000);
    assert.equal(await queue.claim('w2', ['a'], 10_000), undefined, 'a leased job is not claimed again');
    assert.equal(await queue.complete(job), true);
    const row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'done');
    assert.equal(row.lease_owner, null);
    assert.equal(await queue.claim('w2', ['a'], 10_000), undefined);
  });

  it('claims only the names asked for, and only due jobs, oldest first', async () => {
    await enqueue(t.db, { name: 'b', runAt: clock.now() + 5000 }, clock.now());
    const first = await enqueue(t.db, { name: 'c' }, clock.now());
    const second = await enqueue(t.db, { name: 'c' }, clock.now());
    assert.equal(await queue.claim('w1', ['b'], 1000), undefined, 'not due yet');
    assert.equal((await queue.claim('w1', ['c'], 1000))?.id, first);
    assert.equal((await queue.claim('w1', ['c'], 1000))?.id, second);
    clock.advance(5000);
    assert.equal((await queue.claim('w1', ['b'], 1000))?.name, 'b');
    await t.db.deleteFrom('jobs').execute();
  });

  it('deduplicates by key', async () => {
    const first = await enqueue(t.db, { name: 'd', dedupeKey: 'k1' }, clock.now());
    const again = await enqueue(t.db, { name: 'd', dedupeKey: 'k1' }, clock.now());
    assert.ok(first !== undefined);
    assert.equal(again, undefined);
    await t.db.deleteFrom('jobs').execute();
  });

  it('retries a failed job after a backoff, then fails it for good after its last attempt', async () => {
    const id = await enqueue(t.db, { name: 'e', maxAttempts: 2 }, clock.now());
    const first = await queue.claim('w1', ['e'], 1000);
    assert.ok(first);
    assert.equal(await queue.fail(first, new Error('boom')), true);
    let row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    assert.deepEqual(
      [row.state, row.last_error, row.run_at],
      ['queued', 'boom', clock.now() + retryDelayMs(1)],
    );
    assert.equal(await queue.claim('w1', ['e'], 1000), undefined, 'backing off');
    clock.advance(retryDelayMs(1));
    const second = await queue.claim('w2', ['e'], 1000);
    assert.equal(second?.attempt, 2);
    assert.equal(await queue.fail(second, new Error('boom again')), true);
    row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    assert.deepEqual([row.state, row.attempts, row.last_error], ['failed', 2, 'boom again']);
    clock.advance(60 * 60_000);
    assert.equal(await queue.claim('w1', ['e'], 1000), undefined);
    await t.db.deleteFrom('jobs').execute();
  });

  it('lets another worker take a job whose lease expired, and fences the old owner out', async () => {
    await enqueue(t.db, { name: 'f' }, clock.now());
    const lost = await queue.claim('dead', ['f'], 1000);
    assert.ok(lost);
    clock.advance(999);
    assert.equal(await queue.claim('w2', ['f'], 1000), undefined, 'lease still valid');
    assert.equal(await queue.renew(lost, 1000), true, 'renewal extends the lease');
    clock.advance(999);
    assert.equal(await queue.claim('w2', ['f'], 1000), undefined, 'renewed lease still valid');
    clock.advance(1);
    const taken = await queue.claim('w2', ['f'], 1000);
    assert.deepEqual([taken?.id, taken?.attempt, taken?.owner], [lost.id, 2, 'w2']);
    assert.equal(await queue.renew(lost, 1000), false, 'the old owner lost the lease');
    assert.equal(await queue.complete(lost), false, 'the old owner cannot complete');
    assert.equal(await queue.fail(lost, 'late'), false, 'the old owner cannot fail it');
    assert.equal(await queue.complete(taken!), true);
    await t.db.deleteFrom('jobs').execute();
  });

  it('marks failed a job whose every lease expired', async () => {
    const id = await enqueue(t.db, { name: 'g', maxAttempts: 1 }, clock.now());
    assert.ok(await queue.claim('dead', ['g'], 1000));
    clock.advance(1000);
    assert.equal(await queue.claim('w2', ['g'], 1000), undefined, 'no attempts left');
    assert.equal(await queue.failAbandoned(), 1);
    const row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    assert.deepEqual([row.state, row.last_error], ['failed', 'lease expired']);
    await t.db.deleteFrom('jobs').execute();
  });

  it('never hands one job to two concurrent claimers', async () => {
    // PostgreSQL: four claimers on four pooled connections race with FOR UPDATE SKIP LOCKED.
    // SQLite: the claims serialize on the single writer connection; each UPDATE … RETURNING is atomic.
    const jobs = 40;
    for (let i = 0; i < jobs; i += 1) await enqueue(t.db, { name: 'h', payload: i }, clock.now());
    const claimers = ['c1', 'c2', 'c3', 'c4'];
    const claimed = await Promise.all(
      claimers.map(async (owner) => {
        const mine: number[] = [];
        for (;;) {
          const job = await queue.claim(owner, ['h'], 60_000);
          if (job === undefined) return mine;
          mine.push(job.id);
        }
      }),
    );
    const all = claimed.flat();
    assert.equal(all.length, jobs, `every job claimed once on ${t.engine}`);
    assert.equal(new Set(all).size, jobs, 'no job claimed twice');
    const rows = await t.db
      .selectFrom('jobs')
      .select(['attempts', 'state'])
      .where('name', '=', 'h')
      .execute();
    assert.ok(rows.every((row) => row.attempts === 1 && row.state === 'running'));
    await t.db.deleteFrom('jobs').execute();
  });
});
