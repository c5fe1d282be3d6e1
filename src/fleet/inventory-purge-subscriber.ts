/** Forgets a deregistered instance's inventory, from the outbox event its deregistration raised. */
import type { EventSubscriber } from '../worker/index.js';
import type { InventoryStore } from './inventory-store.js';

/** Deletes every inventory item of the instance in its account and Region. */
export function inventoryPurgeOnDeregistration(store: InventoryStore): EventSubscriber {
  return {
    name: 'fleet-inventory-purge',
    events: ['InstanceDeregistered'],
    handle: async (ctx, event) => {
      if (event.type !== 'InstanceDeregistered') return;
      await store.purgeInstance(
        ctx.tx,
        { accountId: event.accountId, region: event.region },
        event.instanceId,
      );
    },
  };
}
