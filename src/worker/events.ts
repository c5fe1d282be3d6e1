/** The events Bulwark raises: a closed union, one member per change other parts of the program react to. */

/** One finding, by its identity (ProductArn + Id within a Region). */
export interface FindingRef {
  productArn: string;
  findingId: string;
}

/** New findings were stored by BatchImportFindings. */
export interface FindingsImported {
  type: 'FindingsImported';
  accountId: string;
  region: string;
  findings: FindingRef[];
}

/** Stored findings changed (a provider re-import or BatchUpdateFindings). */
export interface FindingsUpdated {
  type: 'FindingsUpdated';
  accountId: string;
  region: string;
  findings: FindingRef[];
}

/** A hub's ControlFindingGenerator changed: its control findings are to be rewritten in the new shape. */
export interface HubConfigurationChanged {
  type: 'HubConfigurationChanged';
  accountId: string;
  region: string;
  controlFindingGenerator: 'STANDARD_CONTROL' | 'SECURITY_CONTROL';
}

/** An SSM document was created, got a new version or default version, or was deleted. */
export interface DocumentChanged {
  type: 'DocumentChanged';
  accountId: string;
  region: string;
  documentName: string;
  change: 'Created' | 'Updated' | 'DefaultVersionChanged' | 'Deleted';
}

/** An SSM document's sharing changed; `public` says whether it is now shared with everyone (SSM.4). */
export interface DocumentPermissionChanged {
  type: 'DocumentPermissionChanged';
  accountId: string;
  region: string;
  documentName: string;
  public: boolean;
}

/** An SSM service setting was updated or reset (SSM.7 watches the public-sharing setting). */
export interface ServiceSettingChanged {
  type: 'ServiceSettingChanged';
  accountId: string;
  region: string;
  settingId: string;
}

/** An association's status on one managed node changed (feeds association compliance, SSM.3). */
export interface AssociationStatusChanged {
  type: 'AssociationStatusChanged';
  accountId: string;
  region: string;
  associationId: string;
  instanceId: string;
  status: string;
}

/** A managed instance registered with an activation. */
export interface InstanceRegistered {
  type: 'InstanceRegistered';
  accountId: string;
  region: string;
  instanceId: string;
  activationId: string;
}

/** A managed instance was deregistered: its key no longer works. */
export interface InstanceDeregistered {
  type: 'InstanceDeregistered';
  accountId: string;
  region: string;
  instanceId: string;
}

/** A heartbeat changed what is known about an instance (agent, platform, address); plain pings raise nothing. */
export interface InstanceInformationUpdated {
  type: 'InstanceInformationUpdated';
  accountId: string;
  region: string;
  instanceId: string;
  /** The wire names of the members that changed, e.g. `AgentVersion`, `IPAddress`. */
  changed: string[];
}

/** New or changed inventory content of a managed instance (hash-only re-uploads raise nothing). */
export interface InventoryChanged {
  type: 'InventoryChanged';
  accountId: string;
  region: string;
  instanceId: string;
  typeNames: string[];
}

/** A compliance set (resource × compliance type) changed; `NOT_APPLICABLE` when it now holds no items. */
export interface ComplianceChanged {
  type: 'ComplianceChanged';
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  complianceType: string;
  status: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
}

/** A Run Command invocation (one command on one managed node) changed status. */
export interface CommandInvocationStatusChanged {
  type: 'CommandInvocationStatusChanged';
  accountId: string;
  region: string;
  commandId: string;
  instanceId: string;
  documentName: string;
  /** The invocation's Status (Pending, InProgress, Success, Failed, TimedOut, Cancelling, Cancelled). */
  status: string;
  statusDetails: string;
}

/** Every event; capabilities add members here. */
export type BulwarkEvent =
  | FindingsImported
  | FindingsUpdated
  | HubConfigurationChanged
  | InstanceRegistered
  | InstanceDeregistered
  | InstanceInformationUpdated
  | DocumentChanged
  | DocumentPermissionChanged
  | ServiceSettingChanged
  | AssociationStatusChanged
  | InventoryChanged
  | ComplianceChanged
  | CommandInvocationStatusChanged;

/** The name of an event. */
export type BulwarkEventType = BulwarkEvent['type'];

/** The event whose type is `T`. */
export type EventOfType<T extends BulwarkEventType> = Extract<BulwarkEvent, { type: T }>;

/** An event as read back from the outbox, with its place in it. */
export interface StoredEvent<E extends BulwarkEvent = BulwarkEvent> {
  seq: number;
  txid: number;
  createdAt: Date;
  event: E;
}
