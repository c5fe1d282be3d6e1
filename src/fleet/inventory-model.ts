/** SSM inventory: built-in type schemas (spec §3.2), limits, and the pure rules for items, entries and filters. */
import { createHash } from 'node:crypto';
import { ssmError } from '../protocols/ssm/index.js';

/** One inventory entry: attribute name → string value (numbers too are strings on the wire). */
export type InventoryEntry = Readonly<Record<string, string>>;

/** An attribute of a type's schema. */
export interface InventoryAttribute {
  name: string;
  dataType: 'string' | 'number';
}

/** A built-in (AWS:) or seen custom (Custom:) inventory type. */
export interface InventorySchema {
  typeName: string;
  version: string;
  attributes: InventoryAttribute[];
  displayName?: string | undefined;
}

/** One item of a PutInventory call. */
export interface InventoryItemInput {
  typeName: string;
  schemaVersion: string;
  captureTime: string;
  contentHash: string | undefined;
  /** Undefined when the caller sent no Content (a hash-only re-upload, or an empty item). */
  content: InventoryEntry[] | undefined;
  context: Readonly<Record<string, string>> | undefined;
}

/** The latest stored item of one type on one instance. */
export interface StoredInventoryItem {
  instanceId: string;
  typeName: string;
  schemaVersion: string;
  captureTime: string;
  contentHash: string;
  content: InventoryEntry[];
  context: Record<string, string> | undefined;
  /** When the content last changed. */
  contentUpdatedAt: Date;
  /** When the item was last put (hash-only re-uploads included): the freshness controls read. */
  updatedAt: Date;
}

/** Limits: model constraints (spec §11) and Bulwark's own size limits (AWS publishes none; the agent caps 3 MB/10 MB). */
export const inventoryLimits = {
  itemsPerCall: 30,
  entriesPerItem: 10_000,
  attributesPerEntry: 50,
  customTypesPerAccount: 20,
  /** Serialized Content of one item. */
  itemBytes: 2 * 1024 * 1024,
  /** Serialized Content of all items of one call (under the server's 6 MiB request limit). */
  totalBytes: 5 * 1024 * 1024,
} as const;

const s = (...names: string[]): InventoryAttribute[] => names.map((name) => ({ name, dataType: 'string' }));
const n = (...names: string[]): InventoryAttribute[] => names.map((name) => ({ name, dataType: 'number' }));

/** The synthesized type: the fleet's registration and heartbeat facts, never put by clients. */
export const instanceInformationTypeName = 'AWS:InstanceInformation';

/** Built-in types and their attributes (AWS User Guide "Metadata collected by inventory"). */
export const builtInSchemas: readonly InventorySchema[] = [
  {
    typeName: 'AWS:AWSComponent',
    version: '1.0',
    attributes: s('Name', 'ApplicationType', 'Publisher', 'Version', 'InstalledTime', 'Architecture', 'URL'),
  },
  {
    typeName: 'AWS:Application',
    version: '1.1',
    attributes: s(
      'Name',
      'ApplicationType',
      'Publisher',
      'Version',
      'Release',
      'Epoch',
      'InstalledTime',
      'Architecture',
      'URL',
      'Summary',
      'PackageId',
    ),
  },
  { typeName: 'AWS:BillingInfo', version: '1.0', attributes: s('BillingProductId') },
  {
    typeName: 'AWS:ComplianceItem',
    version: '1.0',
    attributes: s(
      'ComplianceType',
      'ExecutionId',
      'ExecutionType',
      'ExecutionTime',
      'Id',
      'Title',
      'Status',
      'Severity',
      'DocumentName',
      'DocumentVersion',
      'Classification',
      'PatchBaselineId',
      'PatchSeverity',
      'PatchState',
      'PatchGroup',
      'InstalledTime',
      'InstallOverrideList',
      'DetailedText',
      'DetailedLink',
      'CVEIds',
    ),
  },
  {
    typeName: 'AWS:ComplianceSummary',
    version: '1.0',
    attributes: [
      ...s(
        'ComplianceType',
        'PatchGroup',
        'PatchBaselineId',
        'Status',
        'OverallSeverity',
        'ExecutionId',
        'ExecutionType',
        'ExecutionTime',
      ),
      ...n(
        'CompliantCriticalCount',
        'CompliantHighCount',
        'CompliantMediumCount',
        'CompliantLowCount',
        'CompliantInformationalCount',
        'CompliantUnspecifiedCount',
        'NonCompliantCriticalCount',
        'NonCompliantHighCount',
        'NonCompliantMediumCount',
        'NonCompliantLowCount',
        'NonCompliantInformationalCount',
        'NonCompliantUnspecifiedCount',
      ),
    ],
  },
  {
    typeName: 'AWS:File',
    version: '1.0',
    attributes: s(
      'Name',
      'Size',
      'Description',
      'FileVersion',
      'InstalledDate',
      'ModificationTime',
      'LastAccessTime',
      'ProductName',
      'InstalledDir',
      'ProductLanguage',
      'CompanyName',
      'ProductVersion',
    ),
  },
  {
    typeName: 'AWS:InstanceDetailedInformation',
    version: '1.0',
    attributes: [
      ...s('CPUModel', 'CPUSpeedMHz', 'CPUHyperThreadEnabled', 'OSServicePack', 'KernelVersion'),
      ...n('CPUCores', 'CPUs', 'CPUSockets'),
    ],
  },
  {
    typeName: instanceInformationTypeName,
    version: '1.0',
    attributes: s(
      'AgentType',
      'AgentVersion',
      'ComputerName',
      'InstanceId',
      'IpAddress',
      'PlatformName',
      'PlatformType',
      'PlatformVersion',
      'ResourceType',
      'AgentStatus',
      'InstanceStatus',
    ),
  },
  {
    typeName: 'AWS:Network',
    version: '1.0',
    attributes: s('Name', 'SubnetMask', 'Gateway', 'DHCPServer', 'DNSServer', 'MacAddress', 'IPV4', 'IPV6'),
  },
  {
    typeName: 'AWS:PatchSummary',
    version: '1.0',
    attributes: [
      ...s(
        'PatchGroup',
        'BaselineId',
        'SnapshotId',
        'OwnerInformation',
        'OperationType',
        'OperationStartTime',
        'OperationEndTime',
        'InstallOverrideList',
        'RebootOption',
        'LastNoRebootInstallOperationTime',
        'ExecutionId',
        'NonCompliantSeverity',
      ),
      ...n(
        'InstalledCount',
        'InstalledPendingRebootCount',
        'InstalledOtherCount',
        'InstalledRejectedCount',
        'NotApplicableCount',
        'UnreportedNotApplicableCount',
        'MissingCount',
        'FailedCount',
        'SecurityNonCompliantCount',
        'CriticalNonCompliantCount',
        'OtherNonCompliantCount',
      ),
    ],
  },
  { typeName: 'AWS:ResourceGroup', version: '1.0', attributes: s('Name', 'Arn') },
  {
    typeName: 'AWS:Service',
    version: '1.0',
    attributes: s(
      'Name',
      'DisplayName',
      'ServiceType',
      'Status',
      'DependentServices',
      'ServicesDependedOn',
      'StartType',
    ),
  },
  { typeName: 'AWS:Tag', version: '1.0', attributes: s('Key', 'Value') },
  {
    typeName: 'AWS:WindowsRegistry',
    version: '1.0',
    attributes: s('KeyPath', 'ValueName', 'ValueType', 'Value'),
  },
  {
    typeName: 'AWS:WindowsRole',
    version: '1.0',
    attributes: s(
      'Name',
      'DisplayName',
      'Path',
      'FeatureType',
      'DependsOn',
      'Description',
      'Installed',
      'InstalledState',
      'SubFeatures',
      'ServerComponentDescriptor',
      'Parent',
    ),
  },
  {
    typeName: 'AWS:WindowsUpdate',
    version: '1.0',
    attributes: s('HotFixId', 'Description', 'InstalledTime', 'InstalledBy'),
  },
];

const builtInByName = new Map(builtInSchemas.map((schema) => [schema.typeName, schema]));

/** The built-in schema of `typeName`, if it is one. */
export const builtInSchemaOf = (typeName: string): InventorySchema | undefined => builtInByName.get(typeName);

/** `Custom:` + a name of letters, digits and `_ - . :` (what the User Guide's examples use). */
export const customTypeNamePattern = /^Custom:[A-Za-z0-9_\-.:]{1,93}$/;

export const isCustomTypeName = (typeName: string): boolean => typeName.startsWith('Custom:');

/** Whether `typeName` names a type Bulwark knows: a built-in one or a well-formed custom one. */
export function checkTypeName(typeName: string): void {
  if (builtInByName.has(typeName)) return;
  if (isCustomTypeName(typeName) && customTypeNamePattern.test(typeName)) return;
  throw ssmError('InvalidTypeNameException', `The type name ${typeName} is not valid.`);
}

const numberValue = /^-?\d+(\.\d+)?$/;
/** The context keys AWS:ComplianceItem accepts. */
export const complianceItemContextKeys = ['ComplianceType', 'ExecutionId', 'ExecutionType', 'ExecutionTime'];

/**
 * Checks one PutInventory item against the type rules (spec §3.1): type name, schema version, Context, and for
 * built-in types the attribute names and number attributes.
 */
export function checkInventoryItem(item: InventoryItemInput): void {
  checkTypeName(item.typeName);
  if (item.typeName === instanceInformationTypeName) {
    throw ssmError(
      'InvalidTypeNameException',
      `${instanceInformationTypeName} is collected by the service from the instance's registration and heartbeats.`,
    );
  }
  const schema = builtInSchemaOf(item.typeName);
  if (schema !== undefined && schema.version !== item.schemaVersion) {
    throw ssmError(
      'UnsupportedInventorySchemaVersionException',
      `Schema version ${item.schemaVersion} of ${item.typeName} is not supported; use ${schema.version}.`,
    );
  }
  if (item.context !== undefined && Object.keys(item.context).length > 0) {
    if (item.typeName !== 'AWS:ComplianceItem') {
      throw ssmError(
        'UnsupportedInventoryItemContextException',
        `Context is supported only for AWS:ComplianceItem, not ${item.typeName}.`,
      );
    }
    const unknown = Object.keys(item.context).find((key) => !complianceItemContextKeys.includes(key));
    if (unknown !== undefined) {
      throw ssmError('InvalidInventoryItemContextException', `Context key ${unknown} is not supported.`);
    }
  }
  if (schema === undefined || item.content === undefined) return;
  const attributes = new Map(schema.attributes.map((attribute) => [attribute.name, attribute]));
  item.content.forEach((entry, index) => {
    for (const [name, value] of Object.entries(entry)) {
      const attribute = attributes.get(name);
      if (attribute === undefined) {
        throw ssmError(
          'InvalidItemContentException',
          `${item.typeName} entry ${index + 1}: attribute ${name} is not in the ${item.typeName} schema.`,
        );
      }
      if (attribute.dataType === 'number' && value !== '' && !numberValue.test(value)) {
        throw ssmError(
          'InvalidItemContentException',
          `${item.typeName} entry ${index + 1}: attribute ${name} must be a number, got '${value}'.`,
        );
      }
    }
  });
}

/** The hash Bulwark stores for content sent without one: hex SHA-256 of its JSON. */
export function contentHashOf(content: readonly InventoryEntry[]): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** The attribute names used across `content`, sorted. */
export function attributeNamesOf(content: readonly InventoryEntry[]): string[] {
  const names = new Set<string>();
  for (const entry of content) for (const name of Object.keys(entry)) names.add(name);
  return [...names].sort();
}

export const inventoryFilterTypes = [
  'Equal',
  'NotEqual',
  'BeginWith',
  'LessThan',
  'GreaterThan',
  'Exists',
] as const;
/** How an inventory filter compares. */
export type InventoryFilterType = (typeof inventoryFilterTypes)[number];

/** An inventory filter on one attribute. */
export interface InventoryFilter {
  attribute: string;
  values: string[];
  type: InventoryFilterType;
}

function compareValues(actual: string, wanted: string): number {
  if (numberValue.test(actual) && numberValue.test(wanted)) return Number(actual) - Number(wanted);
  return actual < wanted ? -1 : actual > wanted ? 1 : 0;
}

/** Whether an entry passes a filter: numbers compare as numbers, everything else as strings. */
export function entryMatches(entry: InventoryEntry, filter: InventoryFilter): boolean {
  const actual = entry[filter.attribute];
  switch (filter.type) {
    case 'Exists':
      return actual !== undefined;
    case 'Equal':
      return actual !== undefined && filter.values.includes(actual);
    case 'NotEqual':
      return actual === undefined || !filter.values.includes(actual);
    case 'BeginWith':
      return actual !== undefined && filter.values.some((value) => actual.startsWith(value));
    case 'LessThan':
      return actual !== undefined && filter.values.some((value) => compareValues(actual, value) < 0);
    case 'GreaterThan':
      return actual !== undefined && filter.values.some((value) => compareValues(actual, value) > 0);
  }
}

/** The attribute schema of a custom type from the names seen so far (all strings: everything on the wire is). */
export function customSchemaOf(
  typeName: string,
  version: string,
  attributeNames: readonly string[],
): InventorySchema {
  return { typeName, version, attributes: attributeNames.map((name) => ({ name, dataType: 'string' })) };
}
