/**
 * The periodic verification job on the real engine: its stored verdict is absent before the first run, intact
 * after it, flips to failed when a sealed record is changed with direct SQL, and back once the record is
 * restored; an older run never replaces a newer one; records appended and sealed while it runs (a live node)
 * are no problem; the operation answers only the verdict.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { silentLogger } from '../../test/support/worker-context.js';
import type { Db } from '../storage/database.js';
import type { AuditEntry } from './audit-model.js';
import { AuditStore } from './audit-store.js';
import { AuditAnchor } from './anchor.js';
import { sealAuditTrail } from './seal.js';
import { loadAuditSigningKey, type AuditSigningKey } from './signing-key.js';
import {
  AuditVerificationStore,
  auditVerifyIntervalMs,
  auditVerifyJob,
  auditVerifyJobName,
  verifyAndRecord,
} from './verification.js';
import { getAuditTrailVerificationOperation } from './verification-routes.js';

function entry(accountId: string): AuditEntry {
  return {
    eventId: randomUUID(),
    requestId: randomUUID(),
    eventTime: new Date(),
    eventSource: 'securityhub.amazonaws.com',
    eventName: 'BatchImportFindings',
    region: 'us-east-1',
    sourceIp: '127.0.0.1',
    userAgent: 'test',
    identity: {
      type: 'IAMUser',
      principalId: 'AIDATEST',
      arn: `arn:aws:iam::${accountId}:user/admin`,
      accountId,
      accessKeyId: 'AKIATEST',
      userName: 'admin',
    },
    readOnly: false,
    errorCode: undefined,
    errorMessage: undefined,
    requestParameters: undefined,
    responseElements: undefined,
    resource: undefined,
  };
}

describe('audit trail verification job', () => {
  let db: Db;
  let dir: string;
  let key: AuditSigningKey;
  let anchor: AuditAnchor;
  let store: AuditStore;
  const verifications = new AuditVerificationStore();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-audit-verify-'));
    key = loadAuditSigningKey(join(dir, 'audit-signing.key'), { create: true });
    anchor = new AuditAnchor([join(dir, 'audit-anchor.jsonl')]);
    store = new AuditStore(anchor);
    db = await openTestDatabase();
  });
  after(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the job as a worker would. */
  async function runJob(now = new Date()): Promise<void> {
    const job = auditVerifyJob(key.publicKey, anchor.files);
    await job.handle(
      {
        db,
        jobId: 1,
        attempt: 1,
        signal: new AbortController().signal,
        logger: silentLogger,
        now: () => now,
      },
      null,
    );
  }

  /** What GetAuditTrailVerification answers (as account `accountId`). */
  async function answer(accountId = '111122223333', now = new Date()): Promise<unknown> {
    const call = getAuditTrailVerificationOperation(verifications).prepare({
      labels: {},
      query: new URLSearchParams(),
      body: {},
    });
    return inCtx(db, (ctx) => call.run(ctx), { accountId, now });
  }

  it('is hourly, brought forward soon after a scheduler starts', () => {
    const job = auditVerifyJob(key.publicKey, anchor.files);
    assert.equal(job.name, auditVerifyJobName);
    assert.equal(job.every, auditVerifyIntervalMs);
    assert.ok(job.firstAfter !== undefined && job.firstAfter <= 5 * 60_000);
  });

  it('stores nothing before the first run, and the operation answers a null verification', async () => {
    assert.equal(await verifications.latest(db), undefined);
    assert.deepEqual(await answer(), { Verification: null });
  });

  it('flips to FAILED when a sealed record is tampered with in SQL, and back when it is restored', async () => {
    for (let i = 0; i < 3; i += 1) await store.append(db, entry('111122223333'));
    for (let i = 0; i < 2; i += 1) await store.append(db, entry('444455556666'));
    assert.ok(await sealAuditTrail(db, key, new Date(), anchor));
    const first = new Date();
    await runJob(first);
    const intact = await verifications.latest(db);
    assert.ok(intact !== undefined);
    assert.equal(intact.ok, true, intact.problems.join('\n'));
    assert.equal(intact.records, 5);
    assert.equal(intact.digests, 1);
    assert.equal(intact.sealedThrough, 5);
    assert.equal(intact.problemCount, 0);
    assert.equal(intact.unsealedTooLong, false);
    assert.equal(intact.keyFingerprint, key.publicKey.fingerprint);
    assert.equal(intact.checkedAt.getTime(), first.getTime());
    assert.deepEqual(await answer(), {
      Verification: {
        CheckedAt: first.toISOString(),
        Status: 'INTACT',
        SealedThrough: 5,
        UnsealedTooLong: false,
        Overdue: false,
      },
    });

    const victim = await db
      .selectFrom('audit_records')
      .select(['seq', 'action', 'event_id'])
      .where('account_id', '=', '444455556666')
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('audit_records')
      .set({ action: 'DisableSecurityHub' })
      .where('seq', '=', victim.seq)
      .execute();
    const second = new Date(first.getTime() + 1000);
    await runJob(second);
    const failed = await verifications.latest(db);
    assert.ok(failed !== undefined);
    assert.equal(failed.ok, false);
    assert.ok(failed.problemCount >= 1);
    assert.equal(failed.problems.length, failed.problemCount);
    assert.match(failed.problems.join('\n'), new RegExp(`record seq ${Number(victim.seq)} .*was modified`));
    // Another account sees the verdict, never the problem naming account 444455556666's eventID or the counts.
    const seen = await answer('111122223333', second);
    assert.deepEqual(seen, {
      Verification: {
        CheckedAt: second.toISOString(),
        Status: 'FAILED',
        SealedThrough: 5,
        UnsealedTooLong: false,
        Overdue: false,
      },
    });
    assert.doesNotMatch(JSON.stringify(seen), new RegExp(String(victim.event_id)));

    await db
      .updateTable('audit_records')
      .set({ action: victim.action })
      .where('seq', '=', victim.seq)
      .execute();
    await runJob(new Date(second.getTime() + 1000));
    const restored = await verifications.latest(db);
    assert.equal(restored?.ok, true, restored?.problems.join('\n'));
    assert.equal(restored?.problemCount, 0);
  });

  it('names records left unsealed too long, and calls a verdict two runs old overdue', async () => {
    await store.append(db, entry('111122223333'));
    const later = new Date(Date.now() + 60 * 60_000);
    await runJob(later);
    const stale = await verifications.latest(db);
    assert.equal(stale?.ok, false);
    assert.equal(stale?.unsealedTooLong, true);
    assert.match(stale?.problems.join('\n') ?? '', /still unsealed/);
    const wire = (await answer('111122223333', new Date(later.getTime() + 3 * auditVerifyIntervalMs))) as {
      Verification: Record<string, unknown>;
    };
    assert.equal(wire.Verification['Status'], 'FAILED');
    assert.equal(wire.Verification['UnsealedTooLong'], true);
    assert.equal(wire.Verification['Overdue'], true);
    assert.ok(await sealAuditTrail(db, key, new Date(), anchor));
  });

  it('keeps the latest-started run: an older run finishing later does not replace it', async () => {
    const newest = await verifications.latest(db);
    assert.ok(newest !== undefined);
    await verifyAndRecord(db, key.publicKey, anchor.files, new Date(newest.checkedAt.getTime() - 60_000));
    assert.equal((await verifications.latest(db))?.checkedAt.getTime(), newest.checkedAt.getTime());
  });

  it('finds no problem in records appended and sealed while it runs (a live node)', async () => {
    for (let i = 0; i < 20; i += 1) await store.append(db, entry('111122223333'));
    let writing = true;
    const writer = (async () => {
      let written = 0;
      while (writing || written < 10) {
        await store.append(db, entry('444455556666'));
        written += 1;
        if (written % 5 === 0) await sealAuditTrail(db, key, new Date(), anchor);
      }
      return written;
    })();
    const results = [];
    for (let round = 0; round < 5; round += 1) {
      results.push(await verifyAndRecord(db, key.publicKey, anchor.files, new Date()));
    }
    writing = false;
    assert.ok((await writer) >= 10);
    for (const result of results) assert.deepEqual(result.problems, []);
    assert.equal(
      (await verifyAndRecord(db, key.publicKey, anchor.files, new Date())).records,
      Number(
        (
          await db
            .selectFrom('audit_records')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  });
});
