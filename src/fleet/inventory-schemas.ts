/** SSM inventory's built-in type schemas (AWS User Guide "Metadata collected by inventory") and custom type schemas. */
import { complianceDetailKeys } from '../protocols/ssm/index.js';
import {
  instanceInformationTypeName,
  type InventoryAttribute,
  type InventorySchema,
} from './inventory-model.js';

const s = (...names: string[]): InventoryAttribute[] => names.map((name) => ({ name, dataType: 'string' }));
const n = (...names: string[]): InventoryAttribute[] => names.map((name) => ({ name, dataType: 'number' }));

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
      ...complianceDetailKeys,
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

/** The attribute schema of a custom type from the names seen so far (all strings: everything on the wire is). */
export function customSchemaOf(
  typeName: string,
  version: string,
  attributeNames: readonly string[],
): InventorySchema {
  return { typeName, version, attributes: attributeNames.map((name) => ({ name, dataType: 'string' })) };
}
