import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock, openTestWorkQueue, type TestWorkQueue } from '../../test/support/worker-context.js';
import { nextOccurrence, Scheduler } from './scheduler.js';

describe('nextOccurrence', () => {
  it('stays on the grid and collapses missed occurrences into one', () => {
    assert.equal(nextOccurrence(1000, 100, 1000), 1100);
    assert.equal(nextOccurrence(1000, 100, 1050), 1100);
    assert.equal(nextOccurrence(1000, 100, 1399), 1400);
    assert.equal(nextOccurrence(2000, 100, 1000), 2000);
  });
});

describe('Scheduler', () => {
  let t: TestWorkQueue;
  const clock = manualClock();

  before(async () => {
    t = await openTestWorkQueue();
  });
  after(async () => {
    await t.db.destroy();
  });

  it('enqueues each occurrence once across two schedulers', async () => {
    const schedules = [{ name: 'every-minute', every: 60_000 }];
    const a = new Scheduler(t.db, schedules, clock.now);
    const b = new Scheduler(t.db, schedules, clock.now);
    await Promise.all([a.register(), b.register()]);
    assert.deepEqual(await Promise.all([a.tick(), b.tick()]), [0, 0], 'first occurrence is one period away');
    let total = 0;
    for (let minute = 0; minute < 5; minute += 1) {
      clock.advance(60_000);
      const won = await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      assert.equal(
        won.reduce((x, y) => x + y, 0),
        1,
        `minute ${minute}: exactly one node enqueued`,
      );
      total += 1;
    }
    const jobs = await t.db.selectFrom('jobs').select(['name', 'dedupe_key']).orderBy('id').execute();
    assert.equal(jobs.length, total);
    assert.ok(jobs.every((job) => job.name === 'every-minute'));
    assert.equal(new Set(jobs.map((job) => job.dedupe_key)).size, total);
  });

  it('runs a long-missed schedule once, not once per missed period', async () => {
    await t.db.deleteFrom('jobs').execute();
    const s = new Scheduler(t.db, [{ name: 'every-minute', every: 60_000 }], clock.now);
    clock.advance(60 * 60_000);
    assert.equal(await s.tick(), 1);
    assert.equal(await s.tick(), 0);
    const row = await t.db.selectFrom('schedules').selectAll().executeTakeFirstOrThrow();
    assert.ok(row.next_run_at > clock.now() && row.next_run_at <= clock.now() + 60_000);
  });

  it('brings a firstAfter schedule forward when a scheduler starts; the earliest start wins', async () => {
    await t.db.deleteFrom('jobs').execute();
    const hourly = [{ name: 'hourly-check', every: 3_600_000, firstAfter: 60_000 }];
    const a = new Scheduler(t.db, hourly, clock.now);
    await a.register();
    const row = () =>
      t.db.selectFrom('schedules').selectAll().where('name', '=', 'hourly-check').executeTakeFirstOrThrow();
    assert.equal((await row()).next_run_at, clock.now() + 60_000, 'first occurrence a minute away');
    clock.advance(60_000);
    assert.equal(await a.tick(), 1);
    assert.equal((await row()).next_run_at, clock.now() + 3_600_000, 'then hourly');
    clock.advance(10 * 60_000);
    // A restart brings the next occurrence forward; a second scheduler starting later changes nothing.
    const b = new Scheduler(t.db, hourly, clock.now);
    await b.register();
    const restarted = clock.now() + 60_000;
    assert.equal((await row()).next_run_at, restarted);
    clock.advance(1000);
    await new Scheduler(t.db, hourly, clock.now).register();
    assert.equal((await row()).next_run_at, restarted);
    clock.advance(59_000);
    assert.deepEqual(await Promise.all([a.tick(), b.tick()]).then((won) => won.reduce((x, y) => x + y)), 1);
    // A schedule without firstAfter keeps its grid on a restart.
    const minutely = new Scheduler(t.db, [{ name: 'every-minute', every: 60_000 }], clock.now);
    const gridBefore = (
      await t.db
        .selectFrom('schedules')
        .selectAll()
        .where('name', '=', 'every-minute')
        .executeTakeFirstOrThrow()
    ).next_run_at;
    await minutely.register();
    const gridAfter = (
      await t.db
        .selectFrom('schedules')
        .selectAll()
        .where('name', '=', 'every-minute')
        .executeTakeFirstOrThrow()
    ).next_run_at;
    assert.equal(gridAfter, gridBefore);
  });
});
