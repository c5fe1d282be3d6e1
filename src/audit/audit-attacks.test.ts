/**
 * Attacks by someone who can write the database but holds neither the signing key nor the data directory:
 * each is performed with direct SQL on the real engine, and verification must name it.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase } from '../../test/support/service-context.js';
import type { Db } from '../storage/database.js';
import { AuditAnchor, readAuditAnchor } from './anchor.js';
import { recordHash, type AuditRow } from './chain.js';
import { serializeDigest, signDigest, type DigestBody } from './digest.js';
import type { AuditEntry } from './audit-model.js';
import { sealAuditTrail } from './seal.js';
import { loadAuditSigningKey, toAuditPublicKey, type AuditSigningKey } from './signing-key.js';
import { AuditStore } from './audit-store.js';
import { verifyAuditTrail } from './verify.js';

function entry(eventName = 'BatchImportFindings'): AuditEntry {
  return {
    eventId: randomUUID(),
    requestId: randomUUID(),
    eventTime: new Date(),
    eventSource: 'securityhub.amazonaws.com',
    eventName,
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
    readOnly: false,
    errorCode: undefined,
    errorMessage: undefined,
    requestParameters: undefined,
    responseElements: undefined,
    resource: undefined,
  };
}

describe('audit trail attacks by a database writer', () => {
  let db: Db;
  let dir: string;
  let key: AuditSigningKey;
  let store: AuditStore;
  let anchor: AuditAnchor;
  let runs = 0;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-audit-attack-'));
    key = loadAuditSigningKey(join(dir, 'audit-signing.key'), { create: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh database and data directory per attack. */
  async function fresh(): Promise<void> {
    await db?.destroy();
    db = await openTestDatabase();
    runs += 1;
    anchor = new AuditAnchor([join(dir, `data-${runs}`, 'audit-anchor.jsonl')]);
    store = new AuditStore(anchor);
  }
  after(async () => db?.destroy());

  async function append(count: number, name?: string): Promise<void> {
    for (let i = 0; i < count; i += 1) await store.append(db, entry(name));
  }

  async function seal(): Promise<void> {
    assert.ok(await sealAuditTrail(db, key, new Date(), anchor));
  }

  async function problems(): Promise<string> {
    const anchors = anchor.files.map((file) => readAuditAnchor(file)).filter((a) => a !== undefined);
    return (await verifyAuditTrail(db, key.publicKey, { anchors })).problems.join('\n');
  }

  async function chain(): Promise<AuditRow[]> {
    return db.selectFrom('audit_records').selectAll().orderBy('seq').execute();
  }

  /** Rewrites records from `fromSeq` on with recomputed hashes and moves the chain head, as an attacker would. */
  async function rehashFrom(fromSeq: number): Promise<void> {
    const rows = await chain();
    let prev: string | null = rows.find((r) => Number(r.seq) === fromSeq - 1)?.hash ?? null;
    for (const row of rows.filter((r) => Number(r.seq) >= fromSeq)) {
      const hash = recordHash({ ...row, prev_hash: prev ?? row.prev_hash });
      await db
        .updateTable('audit_records')
        .set({ prev_hash: prev ?? row.prev_hash, hash })
        .where('seq', '=', row.seq)
        .execute();
      prev = hash;
    }
    await db.updateTable('audit_chain_heads').set({ hash: prev }).where('name', '=', 'records').execute();
  }

  it('a record modified after the last digest, with the chain rehashed, is named', async () => {
    await fresh();
    await append(2);
    await seal();
    await append(3);
    assert.equal(await problems(), '');
    const victim = Number((await chain())[3]?.seq);
    await db.updateTable('audit_records').set({ action: 'DescribeHub' }).where('seq', '=', victim).execute();
    await rehashFrom(victim);
    assert.match(await problems(), /record seq 5 .*does not match the hash anchored/);
  });

  it('the newest digest deleted and the digest head moved back is named', async () => {
    await fresh();
    await append(2);
    await seal();
    await append(2);
    await seal();
    assert.equal(await problems(), '');
    const first = await db
      .selectFrom('audit_digests')
      .selectAll()
      .where('digest_seq', '=', 1)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_digests').where('digest_seq', '=', 2).execute();
    await db
      .updateTable('audit_chain_heads')
      .set({ seq: 1, hash: first.signature })
      .where('name', '=', 'digests')
      .execute();
    assert.match(await problems(), /digest 2 .*is missing from the database/);
  });

  it('the unsealed tail truncated and the chain head moved back is named', async () => {
    await fresh();
    await append(2);
    await seal();
    await append(3);
    const rows = await chain();
    await db.deleteFrom('audit_records').where('seq', '>', 2).execute();
    await db
      .updateTable('audit_chain_heads')
      .set({ seq: 2, hash: rows[1]?.hash ?? null })
      .where('name', '=', 'records')
      .execute();
    assert.match(
      await problems(),
      /record seq 5, committed and anchored in .*, is missing: records after seq 2 were truncated/,
    );
  });

  it('digests re-signed with a key swapped into the database are named', async () => {
    await fresh();
    await append(2);
    await seal();
    await append(2);
    await seal();
    // The attacker rewrites a sealed record, then re-signs every digest with a key of their own.
    await db.updateTable('audit_records').set({ action: 'DescribeHub' }).where('seq', '=', 1).execute();
    await rehashFrom(1);
    const rogue = generateKeyPairSync('ed25519');
    const rogueKey = toAuditPublicKey(rogue.publicKey);
    const rows = await chain();
    let previous: { text: string; signature: string } | undefined;
    for (const digest of await db.selectFrom('audit_digests').selectAll().orderBy('digest_seq').execute()) {
      const body = JSON.parse(digest.body) as DigestBody;
      const { digestHash } = await import('./digest.js');
      const forged: DigestBody = {
        ...body,
        lastRecordHash: rows.find((r) => Number(r.seq) === body.endSequence)?.hash ?? '',
        previousDigestHash: previous === undefined ? null : digestHash(previous.text),
        previousDigestSignature: previous?.signature ?? null,
        publicKeyFingerprint: rogueKey.fingerprint,
      };
      const text = serializeDigest(forged);
      const signature = signDigest(text, rogue.privateKey);
      await db
        .updateTable('audit_digests')
        .set({ body: text, signature, public_key: rogueKey.pem })
        .where('digest_seq', '=', digest.digest_seq)
        .execute();
      previous = { text, signature };
    }
    await db
      .updateTable('audit_chain_heads')
      .set({ hash: previous?.signature ?? null })
      .where('name', '=', 'digests')
      .execute();
    assert.match(await problems(), /digest 1: signature verification failed/);
    // Without a key from outside the database, verification refuses to run rather than trust the stored key.
    await assert.rejects(verifyAuditTrail(db, undefined as never), /no trusted public key/);
  });

  it('records left unsealed past the seal interval plus grace are named, whether or not a digest exists', async () => {
    await fresh();
    await append(2);
    const later = new Date(Date.now() + 11 * 60_000);
    const stale = async (): Promise<string> =>
      (await verifyAuditTrail(db, key.publicKey, { now: later })).problems.join('\n');
    assert.match(await stale(), /no digest exists: record seq 1 from .* is still unsealed/);
    await seal();
    await append(1);
    assert.equal(await problems(), '');
    assert.match(await stale(), /digest 1, the newest, is stale: record seq 3 from .* is still unsealed/);
  });

  it('the database rolled back to an older copy is named', async () => {
    await fresh();
    await append(2);
    await seal();
    const snapshot = {
      records: await chain(),
      digests: await db.selectFrom('audit_digests').selectAll().execute(),
      heads: await db.selectFrom('audit_chain_heads').selectAll().execute(),
    };
    await append(2);
    await seal();
    await append(1);
    await db.deleteFrom('audit_records').execute();
    await db.deleteFrom('audit_digests').execute();
    await db.deleteFrom('audit_chain_heads').execute();
    await db.insertInto('audit_records').values(snapshot.records).execute();
    await db.insertInto('audit_digests').values(snapshot.digests).execute();
    await db.insertInto('audit_chain_heads').values(snapshot.heads).execute();
    const found = await problems();
    assert.match(found, /rolled back/);
    assert.match(found, /digest 2 .*is missing from the database/);
  });
});
