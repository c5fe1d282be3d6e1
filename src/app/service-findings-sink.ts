/** Control and patch findings go through the findings service as Bulwark's own service principal, audited. */
import type { ServiceFindingsSink } from '../controls/index.js';
import type { FindingsService, HubFacts } from '../findings/index.js';
import { auditServiceWrite, serviceCtx } from './service-actor.js';

/** Writes findings as the service principal in the caller's transaction; reads suppression through `hubs`. */
export function serviceFindingsSink(findings: FindingsService, hubs: HubFacts): ServiceFindingsSink {
  return {
    async write(tx, scope, now, documents) {
      if (documents.length === 0) return;
      const ctx = serviceCtx(tx, scope, now);
      await findings.importServiceFindings(ctx, documents);
      await auditServiceWrite(ctx, {
        eventSource: 'securityhub.amazonaws.com',
        eventName: 'BatchImportFindings',
        requestParameters: {
          Findings: { count: documents.length },
          FindingIds: documents.map((document) => (document as { Id?: unknown }).Id),
        },
        responseElements: { SuccessCount: documents.length, FailedCount: 0 },
      });
    },
    suppressed: (db, scope, productArn, findingIds) =>
      hubs.suppressedFindingIds(db, scope, productArn, findingIds),
  };
}
