import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ReportSpool, type SpooledReport } from './report-spool.js';

const quiet = () => {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (message: string) => warnings.push(message) } };
};
const report = (n: number) => ({ kind: 'result', target: 'AmazonSSM.X', body: { n } });

describe('ReportSpool', () => {
  const root = mkdtempSync(join(tmpdir(), 'bulwark-spool-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  let counter = 0;
  const fresh = () => join(root, `s${(counter += 1)}`);

  it('delivers oldest first and removes a report only once it was acknowledged', async () => {
    const spool = new ReportSpool(fresh());
    await spool.open();
    for (let n = 1; n <= 3; n += 1) await spool.enqueue(report(n));
    const seen: number[] = [];
    await assert.rejects(
      spool.deliver((item: SpooledReport) => {
        seen.push(item.body['n'] as number);
        if (item.body['n'] === 2) return Promise.reject(new Error('hub down'));
        return Promise.resolve('delivered' as const);
      }),
      /hub down/,
    );
    assert.deepEqual(seen, [1, 2]);
    assert.equal(spool.size, 2, 'the failed report and the newer one stay');
    const second: number[] = [];
    assert.equal(
      await spool.deliver(
        (item) => (second.push(item.body['n'] as number), Promise.resolve('delivered' as const)),
      ),
      2,
    );
    assert.deepEqual(second, [2, 3]);
    assert.equal(spool.size, 0);
  });

  it('survives a restart: a new spool on the same directory sees the same reports in order', async () => {
    const dir = fresh();
    const first = new ReportSpool(dir);
    await first.open();
    const ids = [];
    for (let n = 1; n <= 3; n += 1) ids.push((await first.enqueue(report(n))).reportId);
    writeFileSync(join(dir, '0000000000000009-result-x.json.abc.tmp'), 'half'); // a crashed write
    const second = new ReportSpool(dir);
    await second.open();
    assert.deepEqual(
      (await second.list()).map((entry) => entry.report.reportId),
      ids,
    );
    assert.ok(!readdirSync(dir).some((name) => name.endsWith('.tmp')));
    const next = await second.enqueue(report(4));
    assert.equal(
      (await second.list()).at(-1)?.report.reportId,
      next.reportId,
      'sequence continues after restart',
    );
    for (const name of readdirSync(dir)) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600);
  });

  it('drops the oldest with a warning when over the count or byte bound', async () => {
    const { warnings, logger } = quiet();
    const spool = new ReportSpool(fresh(), { maxReports: 3, logger });
    await spool.open();
    for (let n = 1; n <= 5; n += 1) await spool.enqueue(report(n));
    assert.deepEqual(
      (await spool.list()).map((entry) => entry.report.body['n']),
      [3, 4, 5],
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /dropping the oldest/);

    const bytes = quiet();
    const small = new ReportSpool(fresh(), { maxBytes: 600, logger: bytes.logger });
    await small.open();
    for (let n = 1; n <= 5; n += 1) await small.enqueue({ ...report(n), body: { pad: 'x'.repeat(150), n } });
    assert.ok(small.bytes <= 600);
    assert.equal((await small.list()).at(-1)?.report.body['n'], 5);
    assert.ok(bytes.warnings.length > 0);
  });

  it('a snapshot replaces older pending snapshots of its kind', async () => {
    const { logger } = quiet();
    const spool = new ReportSpool(fresh(), { logger });
    await spool.open();
    await spool.enqueue(report(1));
    await spool.enqueue({
      kind: 'inventory',
      target: 'AmazonSSM.PutInventory',
      body: { v: 1 },
      replacesOlder: true,
    });
    await spool.enqueue({
      kind: 'inventory',
      target: 'AmazonSSM.PutInventory',
      body: { v: 2 },
      replacesOlder: true,
    });
    const list = await spool.list();
    assert.deepEqual(
      list.map((entry) => [entry.report.kind, entry.report.body['v'] ?? entry.report.body['n']]),
      [
        ['result', 1],
        ['inventory', 2],
      ],
    );
  });

  it('a rejected report moves to the rejected directory with the error, and delivery goes on', async () => {
    const { warnings, logger } = quiet();
    const directory = fresh();
    const rejectedDirectory = `${directory}-rejected`;
    const spool = new ReportSpool(directory, { logger, rejectedDirectory, maxReports: 3 });
    await spool.open();
    for (let n = 1; n <= 3; n += 1) await spool.enqueue(report(n));
    const sent: number[] = [];
    const removed = await spool.deliver((spooled) => {
      const n = spooled.body['n'] as number;
      sent.push(n);
      return Promise.resolve(n === 2 ? { rejected: `InvalidInstanceId: report ${n}` } : 'delivered');
    });
    assert.equal(removed, 3);
    assert.deepEqual(sent, [1, 2, 3]);
    assert.equal(spool.size, 0);
    const rejected = await spool.listRejected();
    assert.deepEqual(
      rejected.map((kept) => [kept.body['n'], kept.error]),
      [[2, 'InvalidInstanceId: report 2']],
    );
    assert.equal(readdirSync(rejectedDirectory).length, 1);
    assert.equal(
      statSync(join(rejectedDirectory, readdirSync(rejectedDirectory)[0] ?? '')).mode & 0o777,
      0o600,
    );
    assert.match(warnings.join('\n'), /rejected by the hub \(InvalidInstanceId: report 2\); moved to /);

    // Bounded like the spool: beyond maxReports the oldest rejected report is dropped.
    for (let n = 4; n <= 6; n += 1) await spool.enqueue(report(n));
    await spool.deliver((spooled) => Promise.resolve({ rejected: `no ${String(spooled.body['n'])}` }));
    assert.deepEqual(
      (await spool.listRejected()).map((kept) => kept.body['n']),
      [4, 5, 6],
    );
  });
  it('two deliveries at once send each report once, in order', async () => {
    const { logger } = quiet();
    const spool = new ReportSpool(fresh(), { logger, rejectedDirectory: `${fresh()}-rejected` });
    await spool.open();
    for (let n = 1; n <= 4; n += 1) await spool.enqueue(report(n));
    const sent: number[] = [];
    const send = async (spooled: SpooledReport) => {
      sent.push(spooled.body['n'] as number);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'delivered' as const;
    };
    const counts = await Promise.all([spool.deliver(send), spool.deliver(send)]);
    assert.deepEqual(sent, [1, 2, 3, 4]);
    assert.deepEqual(counts, [4, 0]);
  });
});
