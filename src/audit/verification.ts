/**
 * The trail verified periodically by a worker: the whole chain, every digest with the node's own signing key's
 * public key (from the key file, never the database) and the anchors the node holds, as `bulwark audit verify`
 * does. The latest result is stored in one row every API node reads, so a request never scans the trail.
 */
import type { Db, DbExecutor } from '../storage/database.js';
import type { JobDefinition } from '../worker/index.js';
import { readAuditAnchor, type AnchorContents } from './anchor.js';
import type { AuditPublicKey } from './signing-key.js';
import { verifyAuditTrail } from './verify.js';

/** The job's name (also its schedule's name). */
export const auditVerifyJobName = 'audit-verify';

/** How often the whole trail is verified. */
export const auditVerifyIntervalMs = 60 * 60_000;

/** How soon after a scheduler starts the first verification runs. */
export const auditVerifyFirstAfterMs = 60_000;

/** At most this many problem texts are kept (their count is kept whole). */
const maxStoredProblems = 100;

/** One verification of the whole trail as stored. */
export interface AuditVerification {
  /** When the verification started. */
  checkedAt: Date;
  ok: boolean;
  /** Records stayed unsealed past the seal interval plus grace (one of the problems when true). */
  unsealedTooLong: boolean;
  records: number;
  legacyRecords: number;
  digests: number;
  /** The last sequence number covered by a valid digest (0 when none). */
  sealedThrough: number;
  problemCount: number;
  /** The first problems named (each may name any account's eventIDs: for operators, never for API callers). */
  problems: string[];
  notes: string[];
  /** The fingerprint of the trusted public key the digests were checked with. */
  keyFingerprint: string;
  durationMs: number;
}

const latestRow = 'latest';

/** Where the latest verification is kept. */
export class AuditVerificationStore {
  /** Stores `verification` unless a later-started one is already stored. */
  async save(db: DbExecutor, verification: AuditVerification): Promise<void> {
    const row = {
      checked_at: verification.checkedAt.getTime(),
      ok: verification.ok ? 1 : 0,
      unsealed_too_long: verification.unsealedTooLong ? 1 : 0,
      records: verification.records,
      legacy_records: verification.legacyRecords,
      digests: verification.digests,
      sealed_through: verification.sealedThrough,
      problem_count: verification.problemCount,
      problems: JSON.stringify(verification.problems.slice(0, maxStoredProblems)),
      notes: JSON.stringify(verification.notes),
      key_fingerprint: verification.keyFingerprint,
      duration_ms: verification.durationMs,
    };
    await db
      .insertInto('audit_verifications')
      .values({ name: latestRow, ...row })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet(row).where('audit_verifications.checked_at', '<=', row.checked_at),
      )
      .execute();
  }

  /** The latest verification, or undefined before the first one. */
  async latest(db: DbExecutor): Promise<AuditVerification | undefined> {
    const row = await db
      .selectFrom('audit_verifications')
      .selectAll()
      .where('name', '=', latestRow)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      checkedAt: new Date(Number(row.checked_at)),
      ok: Number(row.ok) === 1,
      unsealedTooLong: Number(row.unsealed_too_long) === 1,
      records: Number(row.records),
      legacyRecords: Number(row.legacy_records),
      digests: Number(row.digests),
      sealedThrough: Number(row.sealed_through),
      problemCount: Number(row.problem_count),
      problems: JSON.parse(row.problems) as string[],
      notes: JSON.parse(row.notes) as string[],
      keyFingerprint: row.key_fingerprint,
      durationMs: Number(row.duration_ms),
    };
  }
}

/** The anchors in `files` that exist (a node that has sealed nothing yet has none). */
function readAnchors(files: readonly string[]): AnchorContents[] {
  return files.flatMap((file) => readAuditAnchor(file) ?? []);
}

/** Verifies the whole trail against `trustedKey` and the anchors in `anchorFiles`, stores and returns the result. */
export async function verifyAndRecord(
  db: Db,
  trustedKey: AuditPublicKey,
  anchorFiles: readonly string[],
  now: Date,
  store: AuditVerificationStore = new AuditVerificationStore(),
): Promise<AuditVerification> {
  const started = performance.now();
  const report = await verifyAuditTrail(db, trustedKey, { anchors: readAnchors(anchorFiles), now });
  const verification: AuditVerification = {
    checkedAt: now,
    ok: report.ok,
    unsealedTooLong: report.unsealedTooLong,
    records: report.records,
    legacyRecords: report.legacyRecords,
    digests: report.digests,
    sealedThrough: report.sealedThrough,
    problemCount: report.problems.length,
    problems: report.problems,
    notes: report.notes,
    keyFingerprint: trustedKey.fingerprint,
    durationMs: Math.round(performance.now() - started),
  };
  await store.save(db, verification);
  return verification;
}

/**
 * Verifies the trail every hour (and soon after a scheduler starts) with `trustedKey`, the public key of the
 * node's signing key file, and the anchor files the node writes.
 */
export function auditVerifyJob(trustedKey: AuditPublicKey, anchorFiles: readonly string[]): JobDefinition {
  return {
    name: auditVerifyJobName,
    every: auditVerifyIntervalMs,
    firstAfter: auditVerifyFirstAfterMs,
    async handle(ctx) {
      const result = await verifyAndRecord(ctx.db, trustedKey, anchorFiles, ctx.now());
      const summary = {
        records: result.records,
        digests: result.digests,
        sealedThrough: result.sealedThrough,
        problems: result.problemCount,
        ms: result.durationMs,
      };
      if (result.ok) ctx.logger.info(summary, 'verified the audit trail: intact');
      else {
        ctx.logger.error(
          { ...summary, first: result.problems.slice(0, 5) },
          'audit trail verification FAILED: run `bulwark audit verify` for every problem',
        );
      }
    },
  };
}
