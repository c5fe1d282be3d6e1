/** The audit trail's recurring job: sealing new records with a signed digest every five minutes. */
import type { JobDefinition } from '../worker/index.js';
import type { AuditAnchor } from './anchor.js';
import { sealAuditTrail } from './seal.js';
import type { AuditSigningKey } from './signing-key.js';

/** The job's name (also its schedule's name). */
export const auditSealJobName = 'audit-seal';

/** How often the trail is sealed. */
export const auditSealIntervalMs = 5 * 60_000;

/** How late a seal may be (a busy or restarting worker) before verification calls the unsealed tail stale. */
export const auditSealGraceMs = 5 * 60_000;

/**
 * Seals the audit trail with `key` (loaded once at startup from the key file, never from the database) and
 * appends each digest to `anchor`.
 */
export function auditSealJob(key: AuditSigningKey, anchor?: AuditAnchor): JobDefinition {
  return {
    name: auditSealJobName,
    every: auditSealIntervalMs,
    async handle(ctx) {
      const sealed = await sealAuditTrail(ctx.db, key, ctx.now(), anchor);
      if (sealed !== undefined) {
        ctx.logger.info(
          {
            digest: sealed.body.digestSequence,
            from: sealed.body.startSequence,
            to: sealed.body.endSequence,
          },
          'sealed the audit trail',
        );
      }
    },
  };
}
