/** The audit trail's recurring job: sealing new records with a signed digest every five minutes. */
import type { JobDefinition } from '../worker/index.js';
import { sealAuditTrail } from './seal.js';
import type { AuditSigningKey } from './signing-key.js';

/** The job's name (also its schedule's name). */
export const auditSealJobName = 'audit-seal';

/** Seals the audit trail with `key` (loaded once at startup from the key file, never from the database). */
export function auditSealJob(key: AuditSigningKey): JobDefinition {
  return {
    name: auditSealJobName,
    every: 5 * 60_000,
    async handle(ctx) {
      const sealed = await sealAuditTrail(ctx.db, key, ctx.now());
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
