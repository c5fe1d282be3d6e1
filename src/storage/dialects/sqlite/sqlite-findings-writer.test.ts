import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Db } from '../../database.js';
import type { FindingRows, FindingsWriter } from '../../findings-writer.js';
import { KyselyFindingsWriter } from '../../kysely-findings-writer.js';
import { openDatabase } from '../../open-database.js';
import { SqliteFindingsWriter } from './sqlite-findings-writer.js';

function rows(
  id: string,
  pk: number | undefined,
  types: string[],
  resources: string[],
  held?: number,
): FindingRows {
  return {
    pk,
    held,
    expectedVersion: pk === undefined ? undefined : 0,
    columns: {
      region: 'us-east-1',
      product_arn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      finding_id: id,
      aws_account_id: '111122223333',
      generator_id: 'g',
      title: `title ${id} ${String(pk)}`,
      severity_label: 'HIGH',
      severity_rank: 3,
      severity_normalized: 70,
      workflow_status: 'NEW',
      record_state: 'ACTIVE',
      compliance_status: null,
      verification_state: null,
      product_name: 'Default',
      company_name: 'Personal',
      created_at_ms: 1,
      updated_at_ms: pk === undefined ? 2 : 3,
      first_observed_at_ms: null,
      last_observed_at_ms: 4,
      customer_updated: 0,
      version: pk === undefined ? 0 : 1,
      stored_at_ms: pk === undefined ? 10 : 20,
    },
    document: JSON.stringify({ Id: id, version: pk === undefined ? 1 : 2 }),
    types,
    resources: resources.map((r) => ({ type: 'Other', id: r })),
    history: {
      update_time_ms: 10,
      finding_created: pk === undefined ? 1 : 0,
      source_type: 'BATCH_IMPORT_FINDINGS',
      source_identity: 'me',
      updates: pk === undefined ? '' : '[]',
    },
  };
}

async function contents(db: Db): Promise<unknown> {
  return {
    findings: await db.selectFrom('findings').selectAll().orderBy('pk').execute(),
    documents: await db.selectFrom('finding_documents').selectAll().orderBy('finding_pk').execute(),
    types: await db.selectFrom('finding_types').selectAll().orderBy('finding_pk').orderBy('type').execute(),
    resources: await db
      .selectFrom('finding_resources')
      .selectAll()
      .orderBy('finding_pk')
      .orderBy('resource_id')
      .execute(),
    // seq order across findings of one call may differ between writers; per finding it is the write order
    history: await db
      .selectFrom('finding_history')
      .select([
        'finding_pk',
        'update_time_ms',
        'finding_created',
        'source_type',
        'source_identity',
        'updates',
      ])
      .orderBy('finding_pk')
      .orderBy('seq')
      .execute(),
  };
}

async function writeScenario(db: Db, writer: FindingsWriter): Promise<unknown> {
  await db.transaction().execute(async (tx) => {
    await writer.write(tx, [
      rows('a', undefined, ['t1', 't2'], ['r1'], 1),
      rows('b', undefined, [], ['r1', 'r2']),
    ]);
  });
  // 'a' keeps its held flag (undefined), 'b' gets one.
  await db.transaction().execute(async (tx) => {
    await writer.write(tx, [
      rows('a', 1, ['t3'], ['r3']),
      rows('b', 2, [], ['r1'], 1),
      rows('c', undefined, ['t1'], ['r1']),
    ]);
  });
  return contents(db);
}

test('the prepared-statement writer stores exactly what the portable writer stores', async () => {
  const sqlite = await openDatabase(':memory:');
  const portable = await openDatabase(':memory:');
  try {
    assert.ok(sqlite.findingsWriter instanceof SqliteFindingsWriter);
    assert.deepEqual(
      await writeScenario(sqlite.db, sqlite.findingsWriter),
      await writeScenario(portable.db, new KyselyFindingsWriter()),
    );
    const flags = await sqlite.db
      .selectFrom('findings')
      .select(['finding_id', 'held', 'stored_at_ms'])
      .orderBy('pk')
      .execute();
    assert.deepEqual(flags, [
      { finding_id: 'a', held: 1, stored_at_ms: 20 },
      { finding_id: 'b', held: 1, stored_at_ms: 20 },
      { finding_id: 'c', held: 0, stored_at_ms: 10 },
    ]);
  } finally {
    await sqlite.db.destroy();
    await portable.db.destroy();
  }
});

test('the prepared-statement writer refuses to run outside a transaction', async () => {
  const { db, findingsWriter } = await openDatabase(':memory:');
  try {
    await assert.rejects(findingsWriter.write(db, [rows('a', undefined, [], ['r'])]), /inside a transaction/);
  } finally {
    await db.destroy();
  }
});
