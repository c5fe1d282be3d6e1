import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { findingsServices } from '../../test/support/findings-services.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import type { Db } from '../storage/database.js';
import { findingsRetentionJob } from './retention-job.js';

const dayMs = 86_400_000;
const now = new Date('2026-06-01T00:00:00Z');

/** A finding stored at `updatedAt` (unless `options.storedAt` says when Bulwark stored it). */
async function insertFinding(
  db: Db,
  id: string,
  updatedAt: number,
  account = '111122223333',
  options: { storedAt?: number; held?: boolean; region?: string } = {},
): Promise<number> {
  const row = await db
    .insertInto('findings')
    .values({
      region: options.region ?? 'us-east-1',
      product_arn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      finding_id: id,
      aws_account_id: account,
      generator_id: 'g',
      title: id,
      severity_label: 'LOW',
      severity_rank: 1,
      severity_normalized: 1,
      workflow_status: 'NEW',
      record_state: 'ACTIVE',
      compliance_status: null,
      verification_state: null,
      product_name: null,
      company_name: null,
      created_at_ms: updatedAt,
      updated_at_ms: updatedAt,
      first_observed_at_ms: null,
      last_observed_at_ms: null,
      customer_updated: 0,
      version: 0,
      stored_at_ms: options.storedAt ?? updatedAt,
      held: options.held === true ? 1 : 0,
    })
    .returning('pk')
    .executeTakeFirstOrThrow();
  await db.insertInto('finding_documents').values({ finding_pk: row.pk, document: '{}' }).execute();
  await db.insertInto('finding_types').values({ finding_pk: row.pk, type: 'T' }).execute();
  await db
    .insertInto('finding_resources')
    .values({ finding_pk: row.pk, resource_type: 'Other', resource_id: id })
    .execute();
  await db
    .insertInto('finding_history')
    .values({
      finding_pk: row.pk,
      update_time_ms: options.storedAt ?? updatedAt,
      finding_created: 1,
      source_type: 'BATCH_IMPORT_FINDINGS',
      source_identity: 'x',
      updates: '[]',
    })
    .execute();
  return row.pk;
}

async function counts(db: Db): Promise<number[]> {
  const tables = [
    'findings',
    'finding_documents',
    'finding_types',
    'finding_resources',
    'finding_history',
  ] as const;
  const result: number[] = [];
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    result.push(Number(row.n));
  }
  return result;
}

function runJob(db: Db, retentionDays: number, batchSize?: number, at = now): Promise<void> {
  const job = findingsRetentionJob(retentionDays, batchSize);
  return job.handle(
    {
      db,
      jobId: 1,
      attempt: 1,
      signal: new AbortController().signal,
      logger: pino({ level: 'silent' }),
      now: () => at,
    },
    null,
  );
}

async function clear(db: Db): Promise<void> {
  for (const table of [
    'findings',
    'finding_documents',
    'finding_types',
    'finding_resources',
    'finding_history',
    'hubs',
  ] as const) {
    await db.deleteFrom(table).execute();
  }
}

async function findingIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('findings').select('finding_id').orderBy('finding_id').execute();
  return rows.map((row) => row.finding_id);
}

describe('findings retention job', () => {
  let db: Db;

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  it('ages a finding by when Bulwark last stored it, not by its own UpdatedAt', async () => {
    await clear(db);
    // Imported yesterday, but the scanner says it was last updated ten years ago: kept.
    await insertFinding(db, 'imported-history', now.getTime() - 3650 * dayMs, undefined, {
      storedAt: now.getTime() - dayMs,
    });
    // UpdatedAt claims today, but nothing wrote it for 91 days: deleted.
    await insertFinding(db, 'stale-write', now.getTime(), undefined, {
      storedAt: now.getTime() - 91 * dayMs,
    });
    await runJob(db, 90);
    assert.deepEqual(await findingIds(db), ['imported-history']);
  });

  it('keeps held findings while their hub is enabled; unheld and disabled-hub findings age out', async () => {
    await clear(db);
    const account = '444455556666';
    await db
      .insertInto('hubs')
      .values({
        account_id: account,
        region: 'us-east-1',
        hub_arn: `arn:aws:securityhub:us-east-1:${account}:hub/default`,
        subscribed_at: now.toISOString(),
        auto_enable_controls: 1,
        control_finding_generator: 'SECURITY_CONTROL',
      })
      .execute();
    const old = now.getTime() - 400 * dayMs;
    // A control that has stayed PASSED for over a year: its finding was last written then.
    await insertFinding(db, 'passed-control', old, account, { held: true });
    await insertFinding(db, 'archived-control', old, account, { held: false });
    // The same account's hub in another Region was disabled long ago.
    await insertFinding(db, 'disabled-hub-control', old, account, { held: true, region: 'eu-west-1' });
    await insertFinding(db, 'no-hub-account', old, '777788889999', { held: true });
    await runJob(db, 90, 1);
    assert.deepEqual(await findingIds(db), ['passed-control']);
    await clear(db);
  });

  it('is an hourly job named findings-retention', () => {
    const job = findingsRetentionJob(90);
    assert.equal(job.name, 'findings-retention');
    assert.equal(job.every, 3_600_000);
  });

  it('keeps everything when retention is 0', async () => {
    await insertFinding(db, 'ancient', now.getTime() - 3650 * dayMs);
    await runJob(db, 0);
    assert.deepEqual(await counts(db), [1, 1, 1, 1, 1]);
    await db.deleteFrom('findings').execute();
    for (const table of [
      'finding_documents',
      'finding_types',
      'finding_resources',
      'finding_history',
    ] as const) {
      await db.deleteFrom(table).execute();
    }
  });

  it('deletes only findings older than N days, with their child rows, in bounded batches', async () => {
    const old = 25;
    for (let i = 0; i < old; i += 1) await insertFinding(db, `old-${i}`, now.getTime() - 91 * dayMs - i);
    const keptPks = [
      await insertFinding(db, 'recent', now.getTime() - dayMs),
      await insertFinding(db, 'just-inside', now.getTime() - 90 * dayMs + 1),
    ];
    // Count the delete statements against findings: batches of at most 10 need three transactions for 25.
    const batches: number[] = [];
    const counting = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: (args) => {
        const rows = args.result.rows;
        if (
          rows.length > 0 &&
          rows.every((r) => typeof r === 'object' && r !== null && 'pk' in r && Object.keys(r).length === 1)
        ) {
          batches.push(rows.length);
        }
        return Promise.resolve(args.result);
      },
    });
    await runJob(counting, 90, 10);
    assert.ok(batches.length >= 3 && batches.every((n) => n <= 10), `batches ${JSON.stringify(batches)}`);
    assert.deepEqual(await counts(db), [2, 2, 2, 2, 2]);
    const left = await db.selectFrom('findings').select('pk').orderBy('pk').execute();
    assert.deepEqual(
      left.map((r) => r.pk),
      keptPks,
    );
    const orphans = await db
      .selectFrom('finding_documents')
      .select('finding_pk')
      .where('finding_pk', 'not in', keptPks)
      .execute();
    assert.deepEqual(orphans, []);
  });

  it('deletes old findings of every account (batches spanning accounts), keeping recent ones', async () => {
    await db.deleteFrom('findings').execute();
    for (const table of [
      'finding_documents',
      'finding_types',
      'finding_resources',
      'finding_history',
    ] as const) {
      await db.deleteFrom(table).execute();
    }
    const accounts = ['111111111111', '222222222222', '333333333333'];
    const kept: number[] = [];
    for (const [a, account] of accounts.entries()) {
      for (let i = 0; i < 4 + a; i += 1)
        await insertFinding(db, `old-${account}-${i}`, now.getTime() - 100 * dayMs - i, account);
      kept.push(await insertFinding(db, `new-${account}`, now.getTime() - dayMs, account));
    }
    await runJob(db, 90, 3);
    assert.deepEqual(await counts(db), [3, 3, 3, 3, 3]);
    const left = await db.selectFrom('findings').select('pk').orderBy('pk').execute();
    assert.deepEqual(
      left.map((r) => r.pk),
      kept,
    );
  });
});

describe('findings retention over the findings service', () => {
  let db: Db;
  const services = findingsServices();
  const account = '111122223333';
  const t0 = new Date('2026-01-01T00:00:00Z');
  const day = (n: number): Date => new Date(t0.getTime() + n * dayMs);

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  /** A control finding in the shape Bulwark writes (its own product, written by its service role). */
  const controlFinding = (id: string, accountId: string, at: Date, recordState: 'ACTIVE' | 'ARCHIVED') => ({
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:us-east-1:${accountId}:security-control/SSM.1/finding/${id}`,
    ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    GeneratorId: 'security-control/SSM.1',
    AwsAccountId: accountId,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: t0.toISOString(),
    UpdatedAt: at.toISOString(),
    Severity: { Label: 'INFORMATIONAL' },
    Title: 'SSM.1',
    Description: 'control',
    Resources: [{ Type: 'Other', Id: id }],
    Compliance: { Status: 'PASSED' },
    RecordState: recordState,
  });

  async function ids(): Promise<string[]> {
    const rows = await db.selectFrom('findings').select('finding_id').orderBy('finding_id').execute();
    return rows.map((row) => row.finding_id.replace(/^.*\//, ''));
  }

  it('keeps an imported finding with an old UpdatedAt for the retention period after its import', async () => {
    await inCtx(db, (ctx) => services.hub.enable(ctx, { EnableDefaultStandards: false }), { now: t0 });
    const historical = {
      ...controlFinding('x', account, t0, 'ACTIVE'),
      Id: 'imported/historical',
      ProductArn: `arn:aws:securityhub:us-east-1:${account}:product/${account}/default`,
      GeneratorId: 'scanner',
      CreatedAt: '2016-03-01T00:00:00Z',
      UpdatedAt: '2016-03-01T00:00:00Z',
    };
    const result = await inCtx(db, (ctx) => services.findings.importFindings(ctx, [historical]), {
      now: t0,
    });
    assert.equal(result.SuccessCount, 1);
    await runJob(db, 90, undefined, day(1));
    assert.deepEqual(await ids(), ['historical']);
    await runJob(db, 90, undefined, day(91));
    assert.deepEqual(await ids(), []);
  });

  it('never deletes the current finding of an enabled control; once archived it ages out', async () => {
    await inCtx(
      db,
      (ctx) =>
        services.findings.importServiceFindings(ctx, [controlFinding('passed', account, t0, 'ACTIVE')]),
      { now: t0 },
    );
    // PASSED for a year and never rewritten: still there.
    await runJob(db, 90, undefined, day(365));
    assert.deepEqual(await ids(), ['passed']);
    // The control is disabled: its finding is archived, and goes 90 days later.
    await inCtx(
      db,
      (ctx) =>
        services.findings.importServiceFindings(ctx, [
          controlFinding('passed', account, day(365), 'ARCHIVED'),
        ]),
      { now: day(365) },
    );
    await runJob(db, 90, undefined, day(454));
    assert.deepEqual(await ids(), ['passed']);
    await runJob(db, 90, undefined, day(456));
    assert.deepEqual(await ids(), []);
  });

  it("deletes a disabled hub's held findings once the retention period after the disabling has passed", async () => {
    await inCtx(
      db,
      (ctx) => services.findings.importServiceFindings(ctx, [controlFinding('held', account, t0, 'ACTIVE')]),
      { now: t0 },
    );
    await inCtx(db, (ctx) => services.hub.disable(ctx), { now: day(200) });
    await runJob(db, 90, undefined, day(289));
    assert.deepEqual(await ids(), ['held']);
    await runJob(db, 90, undefined, day(291));
    assert.deepEqual(await ids(), []);
  });
});
