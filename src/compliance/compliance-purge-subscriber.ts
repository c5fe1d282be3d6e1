/** Forgets a deregistered instance's compliance, from the outbox event its deregistration raised. */
import type { EventSubscriber } from '../worker/index.js';
import type { ComplianceStore } from './compliance-store.js';

/** Deletes every compliance set, item and execution of the instance in its account and Region. */
export function compliancePurgeOnDeregistration(store: ComplianceStore): EventSubscriber {
  return {
    name: 'compliance-purge',
    events: ['InstanceDeregistered'],
    handle: async (ctx, event) => {
      if (event.type !== 'InstanceDeregistered') return;
      await store.purgeResource(ctx.tx, {
        accountId: event.accountId,
        region: event.region,
        resourceType: 'ManagedInstance',
        resourceId: event.instanceId,
      });
    },
  };
}
