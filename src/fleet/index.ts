/** The fleet capability's public door: SSM managed instances, activations, SSM tags and inventory. */
export { FleetService, type InstanceInformation, type RegisteredInstance } from './fleet-service.js';
export { FleetStore } from './fleet-store.js';
export { InstanceCredentials } from './instance-credentials.js';
export { SsmTagStore, type TaggedResource } from './tag-store.js';
export { SsmTagsService, type ResourceExists } from './tags-service.js';
export { fleetRoutes, type FleetRouteOptions } from './fleet-routes.js';
export {
  defaultPingTimeoutSeconds,
  instanceIdOfActor,
  managedInstanceArn,
  pingStatusOf,
  ssmResourceArn,
  type ManagedInstance,
  type PingStatus,
  type SsmResourceType,
  type Tag,
} from './fleet-model.js';
export { InventoryService } from './inventory-service.js';
export type {
  InstanceDirectory,
  InventoryComplianceSink,
  InventoryEntity,
  PutInventoryOutcome,
} from './inventory-ports.js';
export { InventoryStore } from './inventory-store.js';
export { FleetInstanceDirectory, instanceInformationAttributes } from './inventory-instance-directory.js';
export { inventoryRoutes } from './inventory-routes.js';
export { builtInSchemas } from './inventory-schemas.js';
export {
  inventoryLimits,
  type InventoryEntry,
  type InventoryItemInput,
  type InventorySchema,
  type StoredInventoryItem,
} from './inventory-model.js';
export { inventoryPurgeOnDeregistration } from './inventory-purge-subscriber.js';
export { fleetFacts, type FleetFacts } from './fleet-facade.js';
