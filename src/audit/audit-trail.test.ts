/** The hash chain, sealing and verification on the real engines (SQLite, and PostgreSQL when configured). */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase } from '../../test/support/service-context.js';
import type { Db } from '../storage/database.js';
import { genesisHash, recordHash } from './chain.js';
import { toCloudTrailEvent } from './cloudtrail-event.js';
import type { AuditEntry } from './audit-model.js';
import {
  compactParameters,
  hiddenValue,
  identityTypeOf,
  resourceOfArn,
  summarizeResponse,
} from './audit-model.js';
import { parseLookupEventsInput } from './lookup-events.js';
import { UnauthenticatedFailureAggregator, failureSummaryEntry } from './failure-aggregator.js';
import { sealAuditTrail } from './seal.js';
import { loadAuditSigningKey, parseAuditPublicKey, type AuditSigningKey } from './signing-key.js';
import { AuditStore } from './audit-store.js';
import { verifyAuditTrail } from './verify.js';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    eventId: randomUUID(),
    requestId: randomUUID(),
    eventTime: new Date(),
    eventSource: 'securityhub.amazonaws.com',
    eventName: 'GetFindings',
    region: 'us-east-1',
    sourceIp: '127.0.0.1',
    userAgent: 'test',
    identity: {
      type: 'IAMUser',
      principalId: 'AIDATEST',
      arn: 'arn:aws:iam::111122223333:user/admin',
      accountId: '111122223333',
      accessKeyId: 'AKIATEST',
      userName: 'admin',
    },
    readOnly: true,
    errorCode: undefined,
    errorMessage: undefined,
    requestParameters: { MaxResults: 10 },
    responseElements: undefined,
    resource: resourceOfArn('arn:aws:securityhub:us-east-1:111122223333:hub/default'),
    ...overrides,
  };
}

describe('audit record shaping', () => {
  it('hides secrets, truncates long lists and strings, and keeps large inputs to their shape', () => {
    const compacted = compactParameters({
      SecretAccessKey: 'x',
      Nested: { password: 'p', Keep: 'k' },
      Ids: Array.from({ length: 60 }, (_, i) => `id-${i}`),
      Long: 'a'.repeat(2000),
    }) as Record<string, unknown>;
    assert.equal(compacted['SecretAccessKey'], hiddenValue);
    assert.deepEqual(compacted['Nested'], { password: hiddenValue, Keep: 'k' });
    assert.equal((compacted['Ids'] as unknown[]).length, 51);
    assert.equal((compacted['Long'] as string).length, 1025);
    const huge = compactParameters({ Docs: Array.from({ length: 40 }, () => ({ Body: 'b'.repeat(1000) })) });
    assert.deepEqual(huge, { truncated: true, Docs: { count: 40 } });
  });

  it('summarizes write responses by their scalar members and reads by nothing', () => {
    assert.deepEqual(summarizeResponse(false, { SuccessCount: 2, FailedCount: 0, FailedFindings: [] }), {
      SuccessCount: 2,
      FailedCount: 0,
    });
    assert.equal(summarizeResponse(true, { Findings: [] }), undefined);
  });

  it('derives identity types and CloudTrail resource types from ARNs', () => {
    assert.equal(identityTypeOf('arn:aws:iam::111122223333:user/a'), 'IAMUser');
    assert.equal(identityTypeOf('arn:aws:iam::111122223333:root'), 'Root');
    assert.equal(identityTypeOf('arn:aws:sts::111122223333:assumed-role/r/s'), 'AssumedRole');
    assert.equal(identityTypeOf(undefined), 'Unknown');
    assert.deepEqual(resourceOfArn('arn:aws:securityhub:us-east-1:111122223333:automation-rule/abc'), {
      type: 'AWS::SecurityHub::AutomationRule',
      name: 'arn:aws:securityhub:us-east-1:111122223333:automation-rule/abc',
    });
    assert.equal(resourceOfArn('*'), undefined);
  });

  it('validates LookupEvents input with CloudTrail exceptions', () => {
    const name = (body: unknown): string | undefined => {
      try {
        parseLookupEventsInput(body);
        return undefined;
      } catch (error) {
        return (error as { exceptionName?: string }).exceptionName;
      }
    };
    assert.equal(name({}), undefined);
    assert.equal(
      name({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'a' },
          { AttributeKey: 'Username', AttributeValue: 'b' },
        ],
      }),
      'InvalidLookupAttributesException',
    );
    assert.equal(
      name({ LookupAttributes: [{ AttributeKey: 'Nope', AttributeValue: 'a' }] }),
      'InvalidLookupAttributesException',
    );
    assert.equal(name({ MaxResults: 51 }), 'InvalidMaxResultsException');
    assert.equal(name({ StartTime: 20, EndTime: 10 }), 'InvalidTimeRangeException');
    assert.equal(name({ NextToken: 'garbage' }), 'InvalidNextTokenException');
  });
});

describe('unauthenticated failure aggregation', () => {
  it('counts caller-chosen names such as constructor and __proto__ like any other name', () => {
    const aggregator = new UnauthenticatedFailureAggregator({
      windowMs: 60_000,
      recordedPerWindow: 0,
      maxSources: 2,
    });
    const start = new Date('2024-05-01T10:00:00Z');
    for (const eventName of ['constructor', '__proto__', 'constructor', 'toString']) {
      aggregator.admit('10.0.0.9', start, { errorCode: 'UnknownOperation', eventName });
    }
    const [summary] = aggregator.takeClosed(new Date(start.getTime() + 60_000));
    assert.equal(summary?.count, 4);
    assert.deepEqual(Object.entries(summary?.eventNames ?? {}).sort(), [
      ['__proto__', 1],
      ['constructor', 2],
      ['toString', 1],
    ]);
  });
  it('records the first failures of a window one by one and counts the rest into one summary', () => {
    const aggregator = new UnauthenticatedFailureAggregator({
      windowMs: 60_000,
      recordedPerWindow: 3,
      maxSources: 2,
    });
    const start = new Date('2024-05-01T10:00:00Z');
    const at = (ms: number): Date => new Date(start.getTime() + ms);
    const failure = { errorCode: 'InvalidSignatureException', eventName: 'GetFindings' };
    const admitted = Array.from({ length: 1000 }, (_, i) => aggregator.admit('10.0.0.1', at(i), failure));
    assert.equal(admitted.filter(Boolean).length, 3);
    assert.deepEqual(aggregator.takeClosed(at(59_999)), []);
    const [summary, ...rest] = aggregator.takeClosed(at(60_000));
    assert.deepEqual(rest, []);
    assert.equal(summary?.count, 997);
    assert.equal(summary?.sourceIp, '10.0.0.1');
    assert.deepEqual(summary?.errorCodes, { InvalidSignatureException: 997 });
    assert.deepEqual(aggregator.takeClosed(at(120_000)), []);
    const entry = failureSummaryEntry(summary);
    assert.equal(entry.eventName, 'UnauthenticatedFailuresAggregated');
    assert.equal((entry.requestParameters as { count: number }).count, 997);
    // Beyond maxSources addresses, the oldest window closes early rather than growing memory.
    for (const ip of ['a', 'b', 'c']) {
      for (let i = 0; i < 5; i += 1) aggregator.admit(ip, at(200_000), failure);
    }
    assert.deepEqual(
      aggregator.takeClosed(at(200_000)).map((s) => [s.sourceIp, s.count]),
      [['a', 2]],
    );
  });
});

describe('audit hash chain, sealing and verification', () => {
  let db: Db;
  let keyDir: string;
  let key: AuditSigningKey;
  const store = new AuditStore();

  before(async () => {
    db = await openTestDatabase();
    keyDir = mkdtempSync(join(tmpdir(), 'bulwark-audit-key-'));
    key = loadAuditSigningKey(join(keyDir, 'audit-signing.key'), { create: true });
  });
  after(async () => {
    await db?.destroy();
    if (keyDir !== undefined) rmSync(keyDir, { recursive: true, force: true });
  });

  async function problems(trusted = key.publicKey): Promise<string[]> {
    return (await verifyAuditTrail(db, trusted)).problems;
  }

  async function seqOf(eventId: string): Promise<number> {
    const row = await db
      .selectFrom('audit_records')
      .select('seq')
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    return Number(row.seq);
  }

  it('keeps the signing key in a 0600 file and reloads the same key', () => {
    const file = join(keyDir, 'audit-signing.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(
      loadAuditSigningKey(file, { create: false }).publicKey.fingerprint,
      key.publicKey.fingerprint,
    );
    assert.equal(parseAuditPublicKey(key.publicKey.pem).fingerprint, key.publicKey.fingerprint);
  });

  it('chains appends (also concurrent ones) with consecutive sequence numbers and verifies', async () => {
    assert.deepEqual(await problems(), []);
    await store.append(db, entry());
    await db.transaction().execute((tx) =>
      store.append(
        tx,
        entry({
          eventName: 'BatchImportFindings',
          readOnly: false,
          eventTime: new Date(Date.now() - 60_000),
        }),
      ),
    );
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.append(db, entry({ eventName: `Call${i}` }))),
    );
    const rows = await store.readChain(db, 0, 100);
    assert.equal(rows.length, 22);
    rows.forEach((row, index) => assert.equal(Number(row.seq), Number(rows[0]?.seq) + index));
    assert.equal(rows[0]?.prev_hash, genesisHash);
    for (let i = 1; i < rows.length; i += 1) assert.equal(rows[i]?.prev_hash, rows[i - 1]?.hash);
    const report = await verifyAuditTrail(db, key.publicKey);
    assert.deepEqual(report.problems, []);
    assert.equal(report.records, 22);
  });

  it('a record rolled back with its call leaves no gap', async () => {
    await db
      .transaction()
      .execute(async (tx) => {
        await store.append(tx, entry());
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await store.append(db, entry());
    assert.deepEqual(await problems(), []);
  });

  it('stores a failed call whose caller-controlled fields hold NUL bytes (PostgreSQL text refuses them)', async () => {
    const failed = entry({
      eventName: 'GetFindings',
      userAgent: 'agent\u0000x',
      errorCode: 'InvalidInputException',
      errorMessage: 'bad value "a\u0000b"',
      region: 'us\u0000east',
      identity: {
        type: 'Unknown',
        principalId: undefined,
        arn: undefined,
        accountId: undefined,
        accessKeyId: 'AKIA\u0000',
        userName: undefined,
      },
      requestParameters: { Name: 'x\u0000y' },
    });
    await store.append(db, failed);
    const row = await db
      .selectFrom('audit_records')
      .selectAll()
      .where('event_id', '=', failed.eventId)
      .executeTakeFirstOrThrow();
    assert.equal(row.user_agent, 'agent\\0x');
    assert.equal(row.error_message, 'bad value "a\\0b"');
    assert.equal(row.access_key_id, 'AKIA\\0');
    assert.equal(row.region, 'us\\0east');
    assert.deepEqual(await problems(), []);
  });

  it('cuts caller-controlled fields to bounded lengths', async () => {
    const junk = entry({
      userAgent: 'u'.repeat(20_000),
      region: 'r'.repeat(5_000),
      sourceIp: '1'.repeat(500),
      errorCode: 'InvalidSignatureException',
      errorMessage: 'm'.repeat(20_000),
      identity: {
        type: 'Unknown',
        principalId: undefined,
        arn: undefined,
        accountId: undefined,
        accessKeyId: 'K'.repeat(20_000),
        userName: undefined,
      },
    });
    await store.append(db, junk);
    const row = await db
      .selectFrom('audit_records')
      .selectAll()
      .where('event_id', '=', junk.eventId)
      .executeTakeFirstOrThrow();
    assert.ok(row.user_agent.length <= 256, `user agent ${row.user_agent.length}`);
    assert.ok((row.region ?? '').length <= 32, `region ${row.region?.length}`);
    assert.ok(row.source_ip.length <= 64, `source ip ${row.source_ip.length}`);
    assert.ok((row.access_key_id ?? '').length <= 128, `key id ${row.access_key_id?.length}`);
    assert.ok((row.error_message ?? '').length <= 1024);
    assert.deepEqual(await problems(), []);
  });

  it('renders CloudTrail events from the stored columns', async () => {
    const rows = await store.query(db, {
      accountId: '111122223333',
      attributes: { EventName: 'BatchImportFindings' },
      startTime: undefined,
      endTime: undefined,
      after: undefined,
      limit: 5,
    });
    assert.equal(rows.length, 1);
    const event = toCloudTrailEvent(rows[0] as (typeof rows)[number]);
    assert.equal(event['eventName'], 'BatchImportFindings');
    assert.equal(event['eventType'], 'AwsApiCall');
    assert.equal(event['readOnly'], false);
    assert.deepEqual(event['userIdentity'], {
      type: 'IAMUser',
      principalId: 'AIDATEST',
      arn: 'arn:aws:iam::111122223333:user/admin',
      accountId: '111122223333',
      accessKeyId: 'AKIATEST',
      userName: 'admin',
    });
    assert.match(String(event['eventTime']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('seals new records in signed, linked digests, and seals nothing twice', async () => {
    const first = await sealAuditTrail(db, key, new Date());
    assert.ok(first);
    assert.equal(first.body.digestSequence, 1);
    assert.equal(first.body.previousDigestSignature, null);
    assert.equal(await sealAuditTrail(db, key, new Date()), undefined);
    await store.append(db, entry());
    const [a, b] = await Promise.all([
      sealAuditTrail(db, key, new Date()),
      sealAuditTrail(db, key, new Date()),
    ]);
    const second = a ?? b;
    assert.ok(second, 'one of two concurrent sealers seals');
    assert.ok(a === undefined || b === undefined, 'only one of two concurrent sealers seals');
    assert.equal(second.body.startSequence, first.body.endSequence + 1);
    assert.equal(second.body.previousDigestSignature, first.signature);
    const report = await verifyAuditTrail(db, key.publicKey);
    assert.deepEqual(report.problems, []);
    assert.equal(report.digests, 2);
    assert.equal(report.sealedThrough, second.body.endSequence);
  });

  it('names a modified record, and accepts it once restored', async () => {
    const victim = entry({ eventName: 'DescribeHub' });
    await store.append(db, victim);
    const seq = await seqOf(victim.eventId);
    await db.updateTable('audit_records').set({ action: 'Tampered' }).where('seq', '=', seq).execute();
    const found = await problems();
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(
      found[0] ?? '',
      new RegExp(`record seq ${seq} \\(eventID ${victim.eventId}\\) was modified`),
    );
    await assert.rejects(sealAuditTrail(db, key, new Date()), /refusing to seal a broken chain/);
    await db.updateTable('audit_records').set({ action: 'DescribeHub' }).where('seq', '=', seq).execute();
    assert.deepEqual(await problems(), []);
  });

  it('names a deleted record and a deleted newest record', async () => {
    const [a, b, c] = [entry(), entry(), entry()];
    for (const e of [a, b, c]) await store.append(db, e);
    const seqB = await seqOf(b.eventId);
    const saved = await db
      .selectFrom('audit_records')
      .selectAll()
      .where('seq', '=', seqB)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_records').where('seq', '=', seqB).execute();
    assert.match((await problems()).join('\n'), new RegExp(`record seq ${seqB} is missing \\(deleted\\)`));
    await db.insertInto('audit_records').values(saved).execute();
    assert.deepEqual(await problems(), []);
    const seqC = await seqOf(c.eventId);
    const savedC = await db
      .selectFrom('audit_records')
      .selectAll()
      .where('seq', '=', seqC)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_records').where('seq', '=', seqC).execute();
    assert.match((await problems()).join('\n'), new RegExp(`record seq ${seqC}, the newest, is missing`));
    await db.insertInto('audit_records').values(savedC).execute();
    assert.deepEqual(await problems(), []);
  });

  it('names reordered records', async () => {
    const [a, b] = [entry(), entry()];
    for (const e of [a, b]) await store.append(db, e);
    const seqA = await seqOf(a.eventId);
    const seqB = await seqOf(b.eventId);
    const swap = async (): Promise<void> => {
      await db.updateTable('audit_records').set({ seq: -1 }).where('seq', '=', seqA).execute();
      await db.updateTable('audit_records').set({ seq: seqA }).where('seq', '=', seqB).execute();
      await db.updateTable('audit_records').set({ seq: seqB }).where('seq', '=', -1).execute();
    };
    await swap();
    const found = (await problems()).join('\n');
    assert.match(
      found,
      new RegExp(`record seq ${seqA} \\(eventID ${b.eventId}\\) is out of order \\(reordered\\)`),
    );
    await swap();
    assert.deepEqual(await problems(), []);
  });

  it('detects a sealed range rewritten with recomputed hashes, a modified digest and a deleted digest', async () => {
    await sealAuditTrail(db, key, new Date());
    const digests = await store.listDigests(db);
    const last = digests[digests.length - 1];
    assert.ok(last);
    // Rewriting the newest record and fixing up the chain head cannot match the sealed hash.
    const endSeq = Number(last.end_seq);
    const row = await db
      .selectFrom('audit_records')
      .selectAll()
      .where('seq', '=', endSeq)
      .executeTakeFirstOrThrow();
    const { recordHash } = await import('./chain.js');
    const forged = { ...row, action: 'Forged' };
    const forgedHash = recordHash(forged);
    await db
      .updateTable('audit_records')
      .set({ action: 'Forged', hash: forgedHash })
      .where('seq', '=', endSeq)
      .execute();
    await db
      .updateTable('audit_chain_heads')
      .set({ hash: forgedHash })
      .where('name', '=', 'records')
      .execute();
    assert.match(
      (await problems()).join('\n'),
      new RegExp(
        `record seq ${endSeq} .*does not match the hash sealed by digest ${Number(last.digest_seq)}`,
      ),
    );
    await db
      .updateTable('audit_records')
      .set({ action: row.action, hash: row.hash })
      .where('seq', '=', endSeq)
      .execute();
    await db.updateTable('audit_chain_heads').set({ hash: row.hash }).where('name', '=', 'records').execute();
    assert.deepEqual(await problems(), []);

    await db
      .updateTable('audit_digests')
      .set({ body: last.body.replace('"version":1', '"version":1 ') })
      .where('digest_seq', '=', last.digest_seq)
      .execute();
    assert.match(
      (await problems()).join('\n'),
      new RegExp(`digest ${Number(last.digest_seq)}: signature verification failed`),
    );
    await db
      .updateTable('audit_digests')
      .set({ body: last.body })
      .where('digest_seq', '=', last.digest_seq)
      .execute();

    const firstDigest = digests[0];
    assert.ok(firstDigest);
    await db.deleteFrom('audit_digests').where('digest_seq', '=', firstDigest.digest_seq).execute();
    assert.match((await problems()).join('\n'), /digest 1 is missing \(deleted\)/);
    await db.insertInto('audit_digests').values(firstDigest).execute();
    assert.deepEqual(await problems(), []);
  });

  it('rejects digests signed by another key than the trusted one', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'bulwark-audit-key-'));
    try {
      const other = loadAuditSigningKey(join(otherDir, 'k'), { create: true });
      assert.match((await problems(other.publicKey)).join('\n'), /signature verification failed/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

describe('console calls in the audit chain', () => {
  let db: Db;
  let keyDir: string;
  let key: AuditSigningKey;
  const store = new AuditStore();

  before(async () => {
    db = await openTestDatabase();
    keyDir = mkdtempSync(join(tmpdir(), 'bulwark-audit-key-'));
    key = loadAuditSigningKey(join(keyDir, 'audit-signing.key'), { create: true });
  });
  after(async () => {
    await db?.destroy();
    if (keyDir !== undefined) rmSync(keyDir, { recursive: true, force: true });
  });

  it('marks a console call sessionCredentialFromConsole, leaves other records as they hashed before, and detects its removal', async () => {
    const fromConsole = entry({ sessionCredentialFromConsole: true });
    const signed = entry();
    await store.append(db, fromConsole);
    await store.append(db, signed);
    const rows = await store.readChain(db, 0, 10);
    const consoleRow = rows.find((row) => row.event_id === fromConsole.eventId);
    const signedRow = rows.find((row) => row.event_id === signed.eventId);
    assert.ok(consoleRow && signedRow);
    assert.equal(toCloudTrailEvent(consoleRow)['sessionCredentialFromConsole'], 'true');
    assert.equal('sessionCredentialFromConsole' in toCloudTrailEvent(signedRow), false);
    // A record without the marker hashes exactly as records did before the marker existed.
    const fields = signedRow;
    assert.equal(fields.from_console, null);
    const before = createHash('sha256')
      .update(
        JSON.stringify([
          'bulwark-audit-v1',
          fields.event_id,
          fields.request_id,
          Number(fields.event_time),
          fields.event_source,
          fields.action,
          fields.region,
          fields.account_id,
          fields.identity_type,
          fields.principal_id,
          fields.principal_arn,
          fields.user_name,
          fields.access_key_id,
          fields.source_ip,
          fields.user_agent,
          fields.outcome,
          fields.error_code,
          fields.error_message,
          Number(fields.read_only),
          fields.request_parameters,
          fields.response_elements,
          fields.resource_type,
          fields.resource_name,
          fields.prev_hash,
        ]),
      )
      .digest('hex');
    assert.equal(signedRow.hash, before);
    assert.equal(recordHash(signedRow), before);
    assert.deepEqual((await verifyAuditTrail(db, key.publicKey)).problems, []);
    // Dropping the marker from the console record is an edit the verifier sees.
    await db
      .updateTable('audit_records')
      .set({ from_console: null })
      .where('event_id', '=', fromConsole.eventId)
      .execute();
    assert.notDeepEqual((await verifyAuditTrail(db, key.publicKey)).problems, []);
  });
});
