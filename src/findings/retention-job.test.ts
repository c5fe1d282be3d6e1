import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { openTestDatabase } from '../../test/support/service-context.js';
import type { Db } from '../storage/database.js';
import { findingsRetentionJob } from './retention-job.js';

const dayMs = 86_400_000;
const now = new Date('2026-06-01T00:00:00Z');

async function insertFinding(
  db: Db,
  id: string,
  updatedAt: number,
  account = '111122223333',
): Promise<number> {
  const row = await db
    .insertInto('findings')
    .values({
      region: 'us-east-1',
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
      update_time_ms: updatedAt,
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

function runJob(db: Db, retentionDays: number, batchSize?: number): Promise<void> {
  const job = findingsRetentionJob(retentionDays, batchSize);
  return job.handle(
    {
      db,
      jobId: 1,
      attempt: 1,
      signal: new AbortController().signal,
      logger: pino({ level: 'silent' }),
      now: () => now,
    },
    null,
  );
}

describe('findings retention job', () => {
  let db: Db;

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
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
