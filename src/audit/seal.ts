/** Sealing: signs a digest over the records appended since the last digest, after checking their chain. */
import type { Db } from '../storage/database.js';
import type { AuditAnchor } from './anchor.js';
import { ChainWalker } from './chain-walker.js';
import { digestHash, serializeDigest, signDigest, type DigestBody } from './digest.js';
import type { AuditSigningKey } from './signing-key.js';
import { AuditStore } from './audit-store.js';

/** A digest written by {@link sealAuditTrail}. */
export interface SealedDigest {
  body: DigestBody;
  signature: string;
}

const batchSize = 2000;

/**
 * Seals the records appended since the last digest with a digest signed by `key`, and appends it to `anchor`. Returns undefined when
 * there is nothing new (or another sealer sealed concurrently). Refuses (throws) to sign a segment whose chain
 * is broken, so a digest never vouches for tampered records. The chain is read and checked outside any
 * transaction; only the final compare-and-insert holds the digest head, briefly.
 */
export async function sealAuditTrail(
  db: Db,
  key: AuditSigningKey,
  now: Date,
  anchor?: AuditAnchor,
): Promise<SealedDigest | undefined> {
  const store = new AuditStore();
  const { records: recordsHead, digests: digestHead } = await store.heads(db);
  const previous =
    digestHead.seq === 0
      ? undefined
      : await db
          .selectFrom('audit_digests')
          .selectAll()
          .where('digest_seq', '=', digestHead.seq)
          .executeTakeFirst();
  if (digestHead.seq !== 0 && previous === undefined) {
    throw new Error(`refusing to seal: digest ${digestHead.seq} (the newest) is missing`);
  }
  const previousBody = previous === undefined ? undefined : (JSON.parse(previous.body) as DigestBody);
  const afterSeq = previousBody?.endSequence ?? 0;
  if (recordsHead.seq <= afterSeq) return undefined;

  const walker = new ChainWalker(
    (hash) => store.findSeqByHash(db, hash),
    previousBody === undefined ? undefined : { seq: afterSeq, hash: previousBody.lastRecordHash },
  );
  let oldest: number | undefined;
  let newest: number | undefined;
  let cursor = afterSeq;
  for (;;) {
    const rows = await store.readChain(db, cursor, batchSize, recordsHead.seq);
    for (const row of rows) {
      await walker.feed(row);
      if (row.hash !== null) {
        const time = Number(row.event_time);
        oldest = oldest === undefined ? time : Math.min(oldest, time);
        newest = newest === undefined ? time : Math.max(newest, time);
      }
    }
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < batchSize) break;
    cursor = Number(last.seq);
  }
  const end = walker.position;
  if (walker.problems.length > 0)
    throw new Error(`refusing to seal a broken chain: ${walker.problems.join('; ')}`);
  if (end === undefined || end.seq <= afterSeq) return undefined;
  if (end.seq !== recordsHead.seq) {
    throw new Error(
      `refusing to seal: the chain head says seq ${recordsHead.seq} but the last record is seq ${end.seq}`,
    );
  }
  const startSequence = afterSeq === 0 ? end.seq - walker.chained + 1 : afterSeq + 1;
  const body: DigestBody = {
    version: 1,
    digestSequence: digestHead.seq + 1,
    startSequence,
    endSequence: end.seq,
    recordCount: end.seq - startSequence + 1,
    lastRecordHash: end.hash,
    oldestEventTime: oldest === undefined ? null : new Date(oldest).toISOString(),
    newestEventTime: newest === undefined ? null : new Date(newest).toISOString(),
    digestTime: now.toISOString(),
    previousDigestHash: previous === undefined ? null : digestHash(previous.body),
    previousDigestSignature: previous?.signature ?? null,
    publicKeyFingerprint: key.publicKey.fingerprint,
    signatureAlgorithm: 'Ed25519',
  };
  const text = serializeDigest(body);
  const signature = signDigest(text, key.privateKey);
  const sealed = await db.transaction().execute(async (tx) => {
    // Compare-and-set on the digest head: a concurrent sealer that got there first leaves this one nothing to do.
    const moved = await tx
      .updateTable('audit_chain_heads')
      .set({ seq: body.digestSequence, hash: signature })
      .where('name', '=', 'digests')
      .where('seq', '=', digestHead.seq)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return undefined;
    await tx
      .insertInto('audit_digests')
      .values({
        digest_seq: body.digestSequence,
        start_seq: body.startSequence,
        end_seq: body.endSequence,
        created_at: now.getTime(),
        body: text,
        signature,
        public_key: key.publicKey.pem,
      })
      .execute();
    return { body, signature };
  });
  // Anchored only once committed: an anchored digest the database lacks means it was deleted or rolled back.
  if (sealed !== undefined && anchor !== undefined) {
    anchor.recordDigest({
      digestSequence: body.digestSequence,
      endSequence: body.endSequence,
      lastRecordHash: body.lastRecordHash,
      signature,
      digestTime: body.digestTime,
    });
    anchor.recordHead({ sequence: body.endSequence, hash: body.lastRecordHash });
  }
  return sealed;
}
