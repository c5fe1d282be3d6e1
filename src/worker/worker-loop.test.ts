import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { openTestWorkQueue, silentLogger, type TestWorkQueue } from '../../test/support/worker-context.js';
import { enqueue, JobQueue } from './job-queue.js';
import { WorkerLoop } from './worker-loop.js';

describe('WorkerLoop', () => {
  let t: TestWorkQueue;

  before(async () => {
    t = await openTestWorkQueue();
  });
  after(async () => {
    await t.db.destroy();
  });

  it('runs a job longer than its lease by renewing it, and stops after finishing the job in hand', async () => {
    const queue = new JobQueue(t.db, t.queueSql);
    let started = false;
    let finished = false;
    const loop = new WorkerLoop({
      db: t.db,
      owner: 'loop',
      logger: silentLogger,
      pollMs: 20,
      leaseMs: 150,
      jobs: {
        queue,
        definitions: [
          {
            name: 'slow',
            async handle(ctx) {
              started = true;
              await sleep(500);
              assert.equal(ctx.signal.aborted, false, 'the lease was never lost');
              finished = true;
            },
          },
        ],
      },
    });
    const id = await enqueue(t.db, { name: 'slow' });
    await loop.start();
    while (!started) await sleep(10);
    await sleep(300);
    assert.equal(await queue.claim('intruder', ['slow'], 1000), undefined, 'renewed lease keeps the job');
    await loop.stop();
    assert.equal(finished, true, 'stop waited for the job');
    const row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    assert.deepEqual([row.state, row.attempts], ['done', 1]);
  });

  it('records a failing job for retry', async () => {
    const loop = new WorkerLoop({
      db: t.db,
      owner: 'loop',
      logger: silentLogger,
      pollMs: 20,
      leaseMs: 1000,
      jobs: {
        queue: new JobQueue(t.db, t.queueSql),
        definitions: [{ name: 'broken', handle: () => Promise.reject(new Error('nope')) }],
      },
    });
    const id = await enqueue(t.db, { name: 'broken' });
    await loop.start();
    let row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    while (row.attempts === 0 || row.state === 'running') {
      await sleep(10);
      row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    }
    await loop.stop();
    assert.deepEqual([row.state, row.last_error], ['queued', 'nope']);
  });
});
