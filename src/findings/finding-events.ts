/** The outbox events a findings write emits, so control evaluation and other subscribers learn of it. */
import type { BulwarkEvent, FindingRef } from '../worker/index.js';
import type { FindingWrite } from './findings-store.js';

/** The outbox events of one call's writes, per owning account and Region: new findings Imported, changed ones Updated. */
export function findingEvents(writes: readonly FindingWrite[]): BulwarkEvent[] {
  const groups = new Map<
    string,
    {
      type: 'FindingsImported' | 'FindingsUpdated';
      accountId: string;
      region: string;
      findings: FindingRef[];
    }
  >();
  for (const write of writes) {
    const type = write.pk === undefined ? 'FindingsImported' : 'FindingsUpdated';
    const accountId = write.document.AwsAccountId;
    const key = `${type}:${accountId}:${write.region}`;
    const group = groups.get(key) ?? { type, accountId, region: write.region, findings: [] };
    group.findings.push({ productArn: write.document.ProductArn, findingId: write.document.Id });
    groups.set(key, group);
  }
  return [...groups.values()];
}
