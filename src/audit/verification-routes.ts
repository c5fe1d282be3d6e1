/**
 * Bulwark's GetAuditTrailVerification (`GET /bulwark/auditTrail/verification`, action
 * cloudtrail:GetAuditTrailVerification): the verdict of the latest periodic verification, read from the one
 * stored row (never a scan of the trail). The trail is one hash chain over every account, so its record counts
 * and problem texts (which name other accounts' eventIDs) are for operators running `bulwark audit verify`;
 * a caller gets only the verdict, which is the same for every account.
 */
import { z } from 'zod';
import { parseWith, type Operation, type RestRoute } from '../protocols/index.js';
import { cloudTrailOperationName } from '../protocols/cloudtrail/index.js';
import { auditVerifyIntervalMs, AuditVerificationStore, type AuditVerification } from './verification.js';

/** The operation takes no parameters: any query parameter is an error rather than silently ignored. */
const inputSchema = z.object({}).strict();

/** How old a verdict may be before it is called overdue (the job missed two runs: no worker holds the key?). */
const overdueAfterMs = 2 * auditVerifyIntervalMs + 5 * 60_000;

/** The verdict as answered to any caller: no counts, no problem texts. */
export function toWireVerdict(verification: AuditVerification, now: Date): Record<string, unknown> {
  return {
    CheckedAt: verification.checkedAt.toISOString(),
    Status: verification.ok ? 'INTACT' : 'FAILED',
    SealedThrough: verification.sealedThrough,
    UnsealedTooLong: verification.unsealedTooLong,
    Overdue: now.getTime() - verification.checkedAt.getTime() > overdueAfterMs,
  };
}

const operation = { name: 'GetAuditTrailVerification' } as const;

/** The GetAuditTrailVerification operation. */
export function getAuditTrailVerificationOperation(store: AuditVerificationStore): Operation {
  return {
    ...cloudTrailOperationName(operation.name),
    prepare(request) {
      parseWith(inputSchema, Object.fromEntries(request.query));
      return {
        resource: () => '*',
        run: async (ctx) => {
          const latest = await store.latest(ctx.tx);
          return { Verification: latest === undefined ? null : toWireVerdict(latest, ctx.now) };
        },
      };
    },
  };
}

/** The audit capability's restJson1 routes (Bulwark's own, beside Security Hub's). */
export function auditVerificationRoutes(store = new AuditVerificationStore()): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/bulwark/auditTrail/verification',
      operation: getAuditTrailVerificationOperation(store),
    },
  ];
}
