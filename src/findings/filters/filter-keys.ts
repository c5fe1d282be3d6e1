/** Every AwsSecurityFindingFilters key, its filter type and where its values live in an ASFF document (spec §4.2). */

import { invalidInput } from '../../kernel/index.js';

/** An ASFF finding as the wire JSON object (AWS PascalCase shape). */
export type AsffDocument = Readonly<Record<string, unknown>>;

/** The kind of filter object a key takes. */
export type FilterType = 'string' | 'number' | 'date' | 'map' | 'ip' | 'boolean' | 'keyword';

// key → [filter type, ASFF path]; `[]` after a segment means "every element of that list".
const filterKeyTable = {
  ProductArn: ['string', 'ProductArn'],
  AwsAccountId: ['string', 'AwsAccountId'],
  Id: ['string', 'Id'],
  GeneratorId: ['string', 'GeneratorId'],
  Region: ['string', 'Region'],
  Type: ['string', 'Types[]'],
  FirstObservedAt: ['date', 'FirstObservedAt'],
  LastObservedAt: ['date', 'LastObservedAt'],
  CreatedAt: ['date', 'CreatedAt'],
  UpdatedAt: ['date', 'UpdatedAt'],
  SeverityProduct: ['number', 'Severity.Product'],
  SeverityNormalized: ['number', 'Severity.Normalized'],
  SeverityLabel: ['string', 'Severity.Label'],
  Confidence: ['number', 'Confidence'],
  Criticality: ['number', 'Criticality'],
  Title: ['string', 'Title'],
  Description: ['string', 'Description'],
  RecommendationText: ['string', 'Remediation.Recommendation.Text'],
  SourceUrl: ['string', 'SourceUrl'],
  ProductFields: ['map', 'ProductFields'],
  ProductName: ['string', 'ProductName'],
  CompanyName: ['string', 'CompanyName'],
  UserDefinedFields: ['map', 'UserDefinedFields'],
  MalwareName: ['string', 'Malware[].Name'],
  MalwareType: ['string', 'Malware[].Type'],
  MalwarePath: ['string', 'Malware[].Path'],
  MalwareState: ['string', 'Malware[].State'],
  NetworkDirection: ['string', 'Network.Direction'],
  NetworkProtocol: ['string', 'Network.Protocol'],
  NetworkSourceIpV4: ['ip', 'Network.SourceIpV4'],
  NetworkSourceIpV6: ['ip', 'Network.SourceIpV6'],
  NetworkSourcePort: ['number', 'Network.SourcePort'],
  NetworkSourceDomain: ['string', 'Network.SourceDomain'],
  NetworkSourceMac: ['string', 'Network.SourceMac'],
  NetworkDestinationIpV4: ['ip', 'Network.DestinationIpV4'],
  NetworkDestinationIpV6: ['ip', 'Network.DestinationIpV6'],
  NetworkDestinationPort: ['number', 'Network.DestinationPort'],
  NetworkDestinationDomain: ['string', 'Network.DestinationDomain'],
  ProcessName: ['string', 'Process.Name'],
  ProcessPath: ['string', 'Process.Path'],
  ProcessPid: ['number', 'Process.Pid'],
  ProcessParentPid: ['number', 'Process.ParentPid'],
  ProcessLaunchedAt: ['date', 'Process.LaunchedAt'],
  ProcessTerminatedAt: ['date', 'Process.TerminatedAt'],
  ThreatIntelIndicatorType: ['string', 'ThreatIntelIndicators[].Type'],
  ThreatIntelIndicatorValue: ['string', 'ThreatIntelIndicators[].Value'],
  ThreatIntelIndicatorCategory: ['string', 'ThreatIntelIndicators[].Category'],
  ThreatIntelIndicatorLastObservedAt: ['date', 'ThreatIntelIndicators[].LastObservedAt'],
  ThreatIntelIndicatorSource: ['string', 'ThreatIntelIndicators[].Source'],
  ThreatIntelIndicatorSourceUrl: ['string', 'ThreatIntelIndicators[].SourceUrl'],
  ResourceType: ['string', 'Resources[].Type'],
  ResourceId: ['string', 'Resources[].Id'],
  ResourcePartition: ['string', 'Resources[].Partition'],
  ResourceRegion: ['string', 'Resources[].Region'],
  ResourceTags: ['map', 'Resources[].Tags'],
  ResourceAwsEc2InstanceType: ['string', 'Resources[].Details.AwsEc2Instance.Type'],
  ResourceAwsEc2InstanceImageId: ['string', 'Resources[].Details.AwsEc2Instance.ImageId'],
  ResourceAwsEc2InstanceIpV4Addresses: ['ip', 'Resources[].Details.AwsEc2Instance.IpV4Addresses[]'],
  ResourceAwsEc2InstanceIpV6Addresses: ['ip', 'Resources[].Details.AwsEc2Instance.IpV6Addresses[]'],
  ResourceAwsEc2InstanceKeyName: ['string', 'Resources[].Details.AwsEc2Instance.KeyName'],
  ResourceAwsEc2InstanceIamInstanceProfileArn: [
    'string',
    'Resources[].Details.AwsEc2Instance.IamInstanceProfileArn',
  ],
  ResourceAwsEc2InstanceVpcId: ['string', 'Resources[].Details.AwsEc2Instance.VpcId'],
  ResourceAwsEc2InstanceSubnetId: ['string', 'Resources[].Details.AwsEc2Instance.SubnetId'],
  ResourceAwsEc2InstanceLaunchedAt: ['date', 'Resources[].Details.AwsEc2Instance.LaunchedAt'],
  ResourceAwsS3BucketOwnerId: ['string', 'Resources[].Details.AwsS3Bucket.OwnerId'],
  ResourceAwsS3BucketOwnerName: ['string', 'Resources[].Details.AwsS3Bucket.OwnerName'],
  ResourceAwsIamAccessKeyUserName: ['string', 'Resources[].Details.AwsIamAccessKey.UserName'],
  ResourceAwsIamAccessKeyPrincipalName: ['string', 'Resources[].Details.AwsIamAccessKey.PrincipalName'],
  ResourceAwsIamAccessKeyStatus: ['string', 'Resources[].Details.AwsIamAccessKey.Status'],
  ResourceAwsIamAccessKeyCreatedAt: ['date', 'Resources[].Details.AwsIamAccessKey.CreatedAt'],
  ResourceAwsIamUserUserName: ['string', 'Resources[].Details.AwsIamUser.UserName'],
  ResourceContainerName: ['string', 'Resources[].Details.Container.Name'],
  ResourceContainerImageId: ['string', 'Resources[].Details.Container.ImageId'],
  ResourceContainerImageName: ['string', 'Resources[].Details.Container.ImageName'],
  ResourceContainerLaunchedAt: ['date', 'Resources[].Details.Container.LaunchedAt'],
  ResourceDetailsOther: ['map', 'Resources[].Details.Other'],
  ComplianceStatus: ['string', 'Compliance.Status'],
  VerificationState: ['string', 'VerificationState'],
  WorkflowState: ['string', 'WorkflowState'],
  WorkflowStatus: ['string', 'Workflow.Status'],
  RecordState: ['string', 'RecordState'],
  RelatedFindingsProductArn: ['string', 'RelatedFindings[].ProductArn'],
  RelatedFindingsId: ['string', 'RelatedFindings[].Id'],
  NoteText: ['string', 'Note.Text'],
  NoteUpdatedAt: ['date', 'Note.UpdatedAt'],
  NoteUpdatedBy: ['string', 'Note.UpdatedBy'],
  Keyword: ['keyword', ''],
  FindingProviderFieldsConfidence: ['number', 'FindingProviderFields.Confidence'],
  FindingProviderFieldsCriticality: ['number', 'FindingProviderFields.Criticality'],
  FindingProviderFieldsRelatedFindingsId: ['string', 'FindingProviderFields.RelatedFindings[].Id'],
  FindingProviderFieldsRelatedFindingsProductArn: [
    'string',
    'FindingProviderFields.RelatedFindings[].ProductArn',
  ],
  FindingProviderFieldsSeverityLabel: ['string', 'FindingProviderFields.Severity.Label'],
  FindingProviderFieldsSeverityOriginal: ['string', 'FindingProviderFields.Severity.Original'],
  FindingProviderFieldsTypes: ['string', 'FindingProviderFields.Types[]'],
  Sample: ['boolean', 'Sample'],
  ComplianceSecurityControlId: ['string', 'Compliance.SecurityControlId'],
  ComplianceAssociatedStandardsId: ['string', 'Compliance.AssociatedStandards[].StandardsId'],
  VulnerabilitiesExploitAvailable: ['string', 'Vulnerabilities[].ExploitAvailable'],
  VulnerabilitiesFixAvailable: ['string', 'Vulnerabilities[].FixAvailable'],
  ComplianceSecurityControlParametersName: ['string', 'Compliance.SecurityControlParameters[].Name'],
  ComplianceSecurityControlParametersValue: ['string', 'Compliance.SecurityControlParameters[].Value[]'],
  AwsAccountName: ['string', 'AwsAccountName'],
  ResourceApplicationName: ['string', 'Resources[].ApplicationName'],
  ResourceApplicationArn: ['string', 'Resources[].ApplicationArn'],
  ResourceProvider: ['string', 'Resources[].Provider'],
  ResourceOwnerAccountId: ['string', 'Resources[].Owner.Account.Id'],
  ResourceOwnerOrgId: ['string', 'Resources[].Owner.Org.Id'],
} as const satisfies Record<string, readonly [FilterType, string]>;

type FilterKeyTable = typeof filterKeyTable;

/** A key of AwsSecurityFindingFilters. */
export type FilterKey = keyof FilterKeyTable;

/** The filter type of one key, as a type. */
export type FilterTypeOf<K extends FilterKey> = FilterKeyTable[K][0];

/** The keys whose filter type is T. */
export type FilterKeyOfType<T extends FilterType> = {
  [K in FilterKey]: FilterTypeOf<K> extends T ? K : never;
}[FilterKey];

/** What the engine knows about one filter key. */
export interface FilterKeySpec {
  readonly key: FilterKey;
  readonly type: FilterType;
  /** The ASFF path, `[]` marking lists whose every element counts (empty for Keyword). */
  readonly path: string;
  /** Every value found at the path (maps for map keys); missing or null values are left out. */
  readonly values: (doc: AsffDocument) => unknown[];
}

/** Every filter key of §4.2, in model order. */
export const filterKeys: readonly FilterKey[] = Object.keys(filterKeyTable) as FilterKey[];

/** The spec of every filter key, by key. */
export const filterKeySpecs: Readonly<Record<FilterKey, FilterKeySpec>> = Object.fromEntries(
  filterKeys.map((key) => {
    const [type, path] = filterKeyTable[key];
    const values = type === 'keyword' ? keywordValues : compilePath(path);
    return [key, { key, type, path, values }];
  }),
) as Record<FilterKey, FilterKeySpec>;

/** The keys whose filter type is `type`, in model order. */
export function filterKeysOfType<T extends FilterType>(type: T): FilterKeyOfType<T>[] {
  return filterKeys.filter((key): key is FilterKeyOfType<T> => filterKeyTable[key][0] === type);
}

/** Whether a string names a filter key. */
export function isFilterKey(name: string): name is FilterKey {
  return Object.hasOwn(filterKeyTable, name);
}

/** The keys insights may group by: the string-typed filter keys (emulator choice, spec §6). */
export const groupByAttributes: readonly FilterKeyOfType<'string'>[] = filterKeysOfType('string');

/** Whether a string is an attribute insights may group by. */
export function isGroupByAttribute(name: string): name is FilterKeyOfType<'string'> {
  return isFilterKey(name) && filterKeyTable[name][0] === 'string';
}

/** The distinct string values of a GroupByAttribute in one finding (every element of a multi-valued path counts). */
export function valuesForGroupBy(doc: AsffDocument, attribute: string): string[] {
  if (!isGroupByAttribute(attribute)) {
    throw invalidInput(`GroupByAttribute ${attribute} is not a supported attribute`);
  }
  const distinct = new Set<string>();
  for (const value of filterKeySpecs[attribute].values(doc)) {
    if (typeof value === 'string') distinct.add(value);
  }
  return [...distinct];
}

// The free-text fields Keyword searches (see match-filters.ts).
function keywordValues(doc: AsffDocument): unknown[] {
  const values: unknown[] = [doc['Title'], doc['Description']];
  const productFields = doc['ProductFields'];
  if (isRecord(productFields)) values.push(...Object.values(productFields));
  return values.filter((value) => value !== undefined && value !== null);
}

type Step = { readonly name: string; readonly spread: boolean };

// Turns 'Resources[].Details.Other' into a walker that collects every value at that path.
function compilePath(path: string): (doc: AsffDocument) => unknown[] {
  const steps: Step[] = path
    .split('.')
    .map((segment) =>
      segment.endsWith('[]')
        ? { name: segment.slice(0, -2), spread: true }
        : { name: segment, spread: false },
    );
  return (doc) => {
    const found: unknown[] = [];
    collect(doc, steps, 0, found);
    return found;
  };
}

function collect(node: unknown, steps: readonly Step[], index: number, found: unknown[]): void {
  const step = steps[index];
  if (step === undefined) {
    if (node !== undefined && node !== null) found.push(node);
    return;
  }
  if (!isRecord(node)) return;
  const child = node[step.name];
  if (!step.spread) {
    collect(child, steps, index + 1, found);
    return;
  }
  if (!Array.isArray(child)) return;
  for (const element of child) collect(element, steps, index + 1, found);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
