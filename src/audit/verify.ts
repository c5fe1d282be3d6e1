/** Verification of the whole audit trail: every record's hash and link, every digest's signature and coverage. */
import type { Db } from '../storage/database.js';
import { genesisHash } from './chain.js';
import { ChainWalker } from './chain-walker.js';
import { digestHash, parseDigest, verifyDigestSignature, type DigestBody } from './digest.js';
import type { AnchorContents } from './anchor.js';
import { auditSealGraceMs, auditSealIntervalMs } from './audit-jobs.js';
import type { AuditPublicKey } from './signing-key.js';
import { AuditStore, type DigestRow } from './audit-store.js';

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
  /** Whether records stayed unsealed past the seal interval plus grace (one of the problems when true). */
  unsealedTooLong: boolean;
}

/** What verification compares the database with, besides the trusted key. */
export interface VerifyOptions {
  /** The anchors read from outside the database (the data directory's, and any other copy). */
  anchors?: readonly AnchorContents[];
  /** The time unsealed records are judged against (default: now). */
  now?: Date;
  /** How old the oldest unsealed record may be (default: the seal interval plus grace). */
  maxUnsealedAgeMs?: number;
}

const batchSize = 5000;

/**
 * Verifies the trail: every record's hash and link, every digest's signature with `trustedKey` (which must come
 * from outside the database: the public key stored beside each digest is never trusted), the digest chain
 * against each anchor, and that the seal job keeps up. Throws when no trusted key is given.
 */
export async function verifyAuditTrail(
  db: Db,
  trustedKey: AuditPublicKey,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  if ((trustedKey as AuditPublicKey | undefined) === undefined) {
    throw new Error(
      'no trusted public key: give the key printed by `bulwark audit public-key` on the server (--public-key), or run where the signing key file is',
    );
  }
  const store = new AuditStore();
  const problems: string[] = [];
  const notes: string[] = [];
  const read = await digestsWithHeads(db, store);
  const digests = read.digests;
  let heads = read.heads;
  const now = options.now ?? new Date();
  const maxUnsealedAgeMs = options.maxUnsealedAgeMs ?? auditSealIntervalMs + auditSealGraceMs;

  // Digests first: which record hashes they vouch for.
  const sealedHashes = new Map<number, { digest: number; hash: string }>();
  let previous: { seq: number; body: DigestBody; text: string; signature: string } | undefined;
  let sealedThrough = 0;
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
    const key = trustedKey;
    if (body === undefined) {
      problems.push(`digest ${seq} is not a valid digest (modified)`);
      continue;
    }
    if (!verifyDigestSignature(row.body, row.signature, key)) {
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
  const anchoredHeads = new Map<number, string | null>();
  for (const anchor of options.anchors ?? []) {
    if (anchor.head !== undefined) anchoredHeads.set(anchor.head.sequence, null);
  }
  let oldestUnsealed: { seq: number; time: number } | undefined;
  const walk = async (from: number): Promise<number> => {
    let cursor = from;
    for (;;) {
      const rows = await store.readChain(db, cursor, batchSize);
      for (const row of rows) {
        await walker.feed(row);
        if (anchoredHeads.has(Number(row.seq))) anchoredHeads.set(Number(row.seq), row.hash);
        if (oldestUnsealed === undefined && row.hash !== null && Number(row.seq) > sealedThrough) {
          oldestUnsealed = { seq: Number(row.seq), time: Number(row.event_time) };
        }
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
      if (last !== undefined) cursor = Number(last.seq);
      if (last === undefined || rows.length < batchSize) return cursor;
    }
  };
  let cursor = await walk(Number.MIN_SAFE_INTEGER);
  // Records appended while the walk ran (on a live node) moved the head in their own transactions, so the head
  // read again is at or past them: follow it, a few rounds at most. Records behind an unmoved head stay a problem.
  for (let round = 0; round < 3 && (walker.position?.seq ?? 0) > heads.records.seq; round += 1) {
    const moved = (await store.heads(db)).records;
    if (moved.seq <= heads.records.seq) break;
    heads = { ...heads, records: moved };
    cursor = await walk(cursor);
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
  checkAnchors(options.anchors ?? [], digests, endSeq, anchoredHeads, problems);
  const unsealedTooLong =
    oldestUnsealed !== undefined && now.getTime() - oldestUnsealed.time > maxUnsealedAgeMs;
  if (unsealedTooLong && oldestUnsealed !== undefined) {
    problems.push(
      `${lastDigest === undefined ? 'no digest exists' : `digest ${Number(lastDigest.digest_seq)}, the newest, is stale`}: record seq ${oldestUnsealed.seq} from ${new Date(oldestUnsealed.time).toISOString()} is still unsealed after the seal interval plus grace (${Math.round(maxUnsealedAgeMs / 60_000)} min): the seal job is not running, or newer digests were deleted`,
    );
  }
  if (endSeq > sealedThrough)
    notes.push(`${endSeq - sealedThrough} record(s) after seq ${sealedThrough} are not sealed yet`);
  if ((options.anchors ?? []).length === 0) {
    notes.push('no anchor was compared: a rollback of the database to an older copy cannot be detected');
  }
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
    unsealedTooLong,
  };
}

/**
 * Every digest and the chain heads as of one moment on a live node: a seal commits its digest and the digest
 * head together, so a head past the newest digest listed means a seal committed in between; read both again
 * (a few times at most — a head that stays ahead is a problem the caller reports).
 */
async function digestsWithHeads(
  db: Db,
  store: AuditStore,
): Promise<{ digests: DigestRow[]; heads: Awaited<ReturnType<AuditStore['heads']>> }> {
  let digests = await store.listDigests(db);
  let heads = await store.heads(db);
  const newest = (): number => Number(digests[digests.length - 1]?.digest_seq ?? 0);
  for (let round = 0; round < 3 && heads.digests.seq > newest(); round += 1) {
    digests = await store.listDigests(db);
    heads = await store.heads(db);
  }
  return { digests, heads };
}

/** Compares the database with each anchor: every anchored digest and the anchored newest record must be there. */
function checkAnchors(
  anchors: readonly AnchorContents[],
  digests: readonly { digest_seq: number; signature: string }[],
  endSeq: number,
  anchoredHeads: ReadonlyMap<number, string | null>,
  problems: string[],
): void {
  const bySeq = new Map(digests.map((row) => [Number(row.digest_seq), row.signature]));
  const newestDigest = Number(digests[digests.length - 1]?.digest_seq ?? 0);
  for (const anchor of anchors) {
    let newestAnchored = 0;
    for (const anchored of anchor.digests) {
      newestAnchored = Math.max(newestAnchored, anchored.digestSequence);
      const signature = bySeq.get(anchored.digestSequence);
      if (signature === undefined) {
        problems.push(
          `digest ${anchored.digestSequence} (sealing through seq ${anchored.endSequence}, anchored in ${anchor.source}) is missing from the database`,
        );
      } else if (signature !== anchored.signature) {
        problems.push(
          `digest ${anchored.digestSequence} differs from the one anchored in ${anchor.source} (replaced)`,
        );
      }
    }
    const head = anchor.head;
    let rolledBackRecords = false;
    if (head !== undefined) {
      const hash = anchoredHeads.get(head.sequence);
      if (hash === undefined || hash === null) {
        rolledBackRecords = head.sequence > endSeq;
        problems.push(
          rolledBackRecords
            ? `record seq ${head.sequence}, committed and anchored in ${anchor.source}, is missing: records after seq ${endSeq} were truncated or deleted`
            : `record seq ${head.sequence}, committed and anchored in ${anchor.source}, is missing (deleted)`,
        );
      } else if (hash !== head.hash) {
        problems.push(
          `record seq ${head.sequence} does not match the hash anchored in ${anchor.source}: it or a record before it was modified and the chain rehashed`,
        );
      }
    }
    if (newestAnchored > newestDigest || rolledBackRecords) {
      problems.push(
        `the database was rolled back to an older copy (or its newest entries deleted): ${anchor.source} anchors digest ${newestAnchored} and record seq ${head?.sequence ?? 0}, the database ends at digest ${newestDigest} and record seq ${endSeq}`,
      );
    }
  }
}
