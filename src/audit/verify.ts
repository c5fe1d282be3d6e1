/** Verification of the whole audit trail: every record's hash and link, every digest's signature and coverage. */
import type { Db } from '../storage/database.js';
import { genesisHash } from './chain.js';
import { ChainWalker } from './chain-walker.js';
import { digestHash, parseDigest, verifyDigestSignature, type DigestBody } from './digest.js';
import { parseAuditPublicKey, type AuditPublicKey } from './signing-key.js';
import { AuditStore } from './store.js';

/** What `bulwark audit verify` reports. */
export interface VerifyReport {
  ok: boolean;
  /** Each problem names the record (seq and eventID) or digest it concerns. */
  problems: string[];
  /** Notes that are not failures (e.g. records not yet sealed, which key was used). */
  notes: string[];
  records: number;
  legacyRecords: number;
  digests: number;
  /** The last sequence number covered by a valid digest (0 when none). */
  sealedThrough: number;
}

const batchSize = 5000;

/**
 * Verifies the trail. Digest signatures are checked with `trustedKey` (from outside the database); without it,
 * with the key stored beside each digest, which proves integrity only against accidental change — the report
 * says so.
 */
export async function verifyAuditTrail(
  db: Db,
  trustedKey: AuditPublicKey | undefined,
): Promise<VerifyReport> {
  const store = new AuditStore();
  const problems: string[] = [];
  const notes: string[] = [];
  const heads = await store.heads(db);
  const digests = await store.listDigests(db);

  // Digests first: which record hashes they vouch for.
  const sealedHashes = new Map<number, { digest: number; hash: string }>();
  let previous: { seq: number; body: DigestBody; text: string; signature: string } | undefined;
  let sealedThrough = 0;
  if (trustedKey === undefined && digests.length > 0) {
    notes.push(
      'no trusted public key given: digest signatures were checked against the keys stored in the database',
    );
  }
  for (const row of digests) {
    const seq = Number(row.digest_seq);
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (seq !== expectedSeq) {
      problems.push(
        seq === expectedSeq + 1
          ? `digest ${expectedSeq} is missing (deleted)`
          : `digests ${expectedSeq}..${seq - 1} are missing (deleted)`,
      );
    }
    const body = parseDigest(row.body);
    const key = trustedKey ?? safeParseKey(row.public_key);
    if (body === undefined) {
      problems.push(`digest ${seq} is not a valid digest (modified)`);
      continue;
    }
    if (key === undefined || !verifyDigestSignature(row.body, row.signature, key)) {
      problems.push(
        `digest ${seq}: signature verification failed (the digest was modified or signed by another key)`,
      );
    } else if (body.publicKeyFingerprint !== key.fingerprint) {
      problems.push(
        `digest ${seq}: signed by key ${body.publicKeyFingerprint}, not the trusted key ${key.fingerprint}`,
      );
    }
    if (
      body.digestSequence !== seq ||
      body.startSequence !== Number(row.start_seq) ||
      body.endSequence !== Number(row.end_seq)
    ) {
      problems.push(`digest ${seq}: its stored columns do not match its signed body (modified)`);
    }
    if (body.recordCount !== body.endSequence - body.startSequence + 1) {
      problems.push(`digest ${seq}: its record count does not match its range`);
    }
    if (previous !== undefined && seq === previous.seq + 1) {
      if (
        body.previousDigestSignature !== previous.signature ||
        body.previousDigestHash !== digestHash(previous.text)
      ) {
        problems.push(`digest ${seq} does not link to digest ${previous.seq} (a digest was replaced)`);
      }
      if (body.startSequence !== previous.body.endSequence + 1) {
        problems.push(
          `digest ${seq} starts at seq ${body.startSequence}, not right after digest ${previous.seq}'s end (seq ${previous.body.endSequence})`,
        );
      }
    } else if (previous === undefined && (body.previousDigestSignature !== null || seq !== 1)) {
      problems.push(`digest ${seq} refers to an earlier digest that is missing (deleted)`);
    }
    sealedHashes.set(body.endSequence, { digest: seq, hash: body.lastRecordHash });
    sealedThrough = Math.max(sealedThrough, body.endSequence);
    previous = { seq, body, text: row.body, signature: row.signature };
  }
  const lastDigest = digests[digests.length - 1];
  if (
    heads.digests.seq !== Number(lastDigest?.digest_seq ?? 0) ||
    heads.digests.hash !== (lastDigest?.signature ?? null)
  ) {
    problems.push(
      `the newest digest is ${Number(lastDigest?.digest_seq ?? 0)} but the digest chain head says ${heads.digests.seq}: the newest digest(s) were deleted or the head was altered`,
    );
  }

  // Then every record in sequence order.
  const walker = new ChainWalker((hash) => store.findSeqByHash(db, hash));
  let cursor = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = await store.readChain(db, cursor, batchSize);
    for (const row of rows) {
      await walker.feed(row);
      const sealed = sealedHashes.get(Number(row.seq));
      if (sealed !== undefined) {
        if (row.hash !== sealed.hash) {
          problems.push(
            `record seq ${Number(row.seq)} (eventID ${row.event_id ?? 'none'}) does not match the hash sealed by digest ${sealed.digest}: records up to it were modified and rehashed`,
          );
        }
        sealedHashes.delete(Number(row.seq));
      }
    }
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < batchSize) break;
    cursor = Number(last.seq);
  }
  problems.push(...walker.problems);
  for (const [seq, sealed] of sealedHashes) {
    problems.push(`record seq ${seq}, the last one sealed by digest ${sealed.digest}, is missing (deleted)`);
  }
  const end = walker.position;
  const endSeq = end?.seq ?? 0;
  if (end === undefined) {
    if (heads.records.hash !== genesisHash) {
      problems.push(`every chained record up to seq ${heads.records.seq} is missing (deleted)`);
    }
  } else {
    if (heads.records.seq > endSeq) {
      problems.push(
        heads.records.seq === endSeq + 1
          ? `record seq ${endSeq + 1}, the newest, is missing (deleted)`
          : `records seq ${endSeq + 1}..${heads.records.seq}, the newest, are missing (deleted)`,
      );
    } else if (heads.records.seq < endSeq) {
      problems.push(
        `records after seq ${heads.records.seq} are not on the chain (inserted behind the chain head)`,
      );
    } else if (heads.records.hash !== end.hash) {
      problems.push(`the chain head does not match record seq ${endSeq}, the newest (modified)`);
    }
  }
  if (endSeq > sealedThrough)
    notes.push(`${endSeq - sealedThrough} record(s) after seq ${sealedThrough} are not sealed yet`);
  if (walker.legacy > 0)
    notes.push(`${walker.legacy} record(s) predate the audit chain and cannot be verified`);
  return {
    ok: problems.length === 0,
    problems,
    notes,
    records: walker.chained,
    legacyRecords: walker.legacy,
    digests: digests.length,
    sealedThrough,
  };
}

function safeParseKey(pem: string): AuditPublicKey | undefined {
  try {
    return parseAuditPublicKey(pem);
  } catch {
    return undefined;
  }
}
