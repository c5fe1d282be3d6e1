/** The AWS shapes of documents, service settings and associations: zod input schemas and output mappers. */
import { z } from 'zod';
import {
  maxConcurrencyPattern,
  maxErrorsPattern,
  ssmPageOf,
  toEpochSeconds,
} from '../protocols/ssm/index.js';
import type {
  AssociationView,
  InstanceAssociation,
  InstanceAssociationStatus,
} from './associations-service.js';
import type { VisibleDocument } from './documents-service.js';
import {
  amazonOwner,
  associationStatuses,
  complianceSeverities,
  documentTypes,
  type AssociationExecution,
  type AssociationExecutionTarget,
  type AssociationSpec,
  type DocumentAtVersion,
  type DocumentParameter,
  type SsmDocument,
} from './model.js';
import type { ServiceSetting } from './service-settings-service.js';

const documentName = z.string().min(1).max(256);
const versionSelector = z.string().regex(/^(\$DEFAULT|\$LATEST|[$]ALL|[1-9][0-9]*)$/);
const versionName = z.string().regex(/^[a-zA-Z0-9_\-.]{1,128}$/);
const tagList = z.array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) })).max(1000);
const documentFormat = z.enum(['JSON', 'YAML', 'TEXT']);
const nextToken = z.string().max(1024);

export const createDocumentSchema = z.object({
  Content: z.string().min(1),
  Name: z.string(),
  DocumentType: z.enum(documentTypes).optional(),
  DocumentFormat: documentFormat.optional(),
  VersionName: versionName.optional(),
  DisplayName: z.string().max(1024).optional(),
  TargetType: z
    .string()
    .max(200)
    .regex(/^\/[\w.\-:/]*$/)
    .optional(),
  Tags: tagList.optional(),
  Requires: z.array(z.unknown()).optional(),
  Attachments: z.array(z.unknown()).optional(),
});

export const documentSelectorSchema = z.object({
  Name: documentName,
  DocumentVersion: versionSelector.optional(),
  VersionName: versionName.optional(),
  DocumentFormat: documentFormat.optional(),
});

export const updateDocumentSchema = z.object({
  Content: z.string().min(1),
  Name: documentName,
  DocumentVersion: versionSelector.optional(),
  VersionName: versionName.optional(),
  DocumentFormat: documentFormat.optional(),
  DisplayName: z.string().max(1024).optional(),
  TargetType: z.string().max(200).optional(),
  Attachments: z.array(z.unknown()).optional(),
});

export const updateDocumentDefaultVersionSchema = z.object({
  Name: documentName,
  DocumentVersion: z.string().regex(/^(\$DEFAULT|\$LATEST|[1-9][0-9]*)$/),
});

export const deleteDocumentSchema = z.object({
  Name: documentName,
  DocumentVersion: versionSelector.optional(),
  VersionName: versionName.optional(),
  Force: z.boolean().optional(),
});

export const listDocumentsSchema = z.object({
  DocumentFilterList: z
    .array(
      z.object({ key: z.enum(['Name', 'Owner', 'PlatformTypes', 'DocumentType']), value: z.string().min(1) }),
    )
    .min(1)
    .optional(),
  Filters: z
    .array(
      z.object({ Key: z.string().min(1).max(128), Values: z.array(z.string().max(256)).max(20).optional() }),
    )
    .max(6)
    .optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

export const listDocumentVersionsSchema = z.object({
  Name: documentName,
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

const accountIdOrAll = z.string().regex(/^(all|[0-9]{12})$/i);

export const modifyDocumentPermissionSchema = z.object({
  Name: documentName,
  PermissionType: z.string(),
  AccountIdsToAdd: z.array(accountIdOrAll).max(20).optional(),
  AccountIdsToRemove: z.array(accountIdOrAll).max(20).optional(),
  SharedDocumentVersion: z.string().max(8).optional(),
});

export const describeDocumentPermissionSchema = z.object({
  Name: documentName,
  PermissionType: z.string(),
  MaxResults: z.number().int().min(1).max(200).optional(),
  NextToken: nextToken.optional(),
});

export const settingIdSchema = z.object({ SettingId: z.string().min(1).max(1000) });
export const updateServiceSettingSchema = z.object({
  SettingId: z.string().min(1).max(1000),
  SettingValue: z.string().min(1).max(4096),
});

const target = z.object({ Key: z.string().min(1).max(163), Values: z.array(z.string()).max(50).optional() });
const associationParameters = z.record(z.string(), z.array(z.string()));
const associationName = z.string().regex(/^[a-zA-Z0-9_\-.]{3,128}$/);
const maxConcurrency = z.string().regex(maxConcurrencyPattern);
const maxErrors = z.string().regex(maxErrorsPattern);

const associationFields = {
  DocumentVersion: versionSelector.optional(),
  Parameters: associationParameters.optional(),
  Targets: z.array(target).max(5).optional(),
  ScheduleExpression: z.string().min(1).max(256).optional(),
  ScheduleOffset: z.number().int().min(1).max(6).optional(),
  AssociationName: associationName.optional(),
  ComplianceSeverity: z.enum(complianceSeverities).optional(),
  SyncCompliance: z.enum(['AUTO', 'MANUAL']).optional(),
  MaxConcurrency: maxConcurrency.optional(),
  MaxErrors: maxErrors.optional(),
  ApplyOnlyAtCronInterval: z.boolean().optional(),
  OutputLocation: z.unknown().optional(),
  CalendarNames: z.array(z.string()).optional(),
  TargetLocations: z.array(z.unknown()).optional(),
  TargetMaps: z.array(z.unknown()).max(300).optional(),
  Duration: z.number().int().min(1).max(24).optional(),
  AutomationTargetParameterName: z.string().min(1).max(50).optional(),
  AlarmConfiguration: z.unknown().optional(),
};

export const createAssociationSchema = z.object({
  Name: z.string().regex(/^[a-zA-Z0-9_\-.:/]{3,200}$/),
  InstanceId: z.string().optional(),
  Tags: tagList.optional(),
  ...associationFields,
});

export const updateAssociationSchema = z.object({
  AssociationId: z.string().uuid(),
  Name: z
    .string()
    .regex(/^[a-zA-Z0-9_\-.:/]{3,200}$/)
    .optional(),
  AssociationVersion: z.string().optional(),
  ...associationFields,
});

export const associationLocatorSchema = z.object({
  AssociationId: z.string().optional(),
  Name: z.string().optional(),
  InstanceId: z.string().optional(),
  AssociationVersion: z.string().optional(),
});

export const listAssociationsSchema = z.object({
  AssociationFilterList: z
    .array(z.object({ key: z.string(), value: z.string().min(1) }))
    .min(1)
    .optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

export const listAssociationVersionsSchema = z.object({
  AssociationId: z.string(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

const executionFilter = z.object({
  Key: z.string(),
  Value: z.string().min(1),
  Type: z.enum(['EQUAL', 'LESS_THAN', 'GREATER_THAN']).optional(),
});

export const describeAssociationExecutionsSchema = z.object({
  AssociationId: z.string(),
  Filters: z.array(executionFilter).min(1).optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

export const describeAssociationExecutionTargetsSchema = z.object({
  AssociationId: z.string(),
  ExecutionId: z.string(),
  Filters: z
    .array(z.object({ Key: z.enum(['Status', 'ResourceId', 'ResourceType']), Value: z.string().min(1) }))
    .min(1)
    .optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

export const updateAssociationStatusSchema = z.object({
  Name: z.string(),
  InstanceId: z.string(),
  AssociationStatus: z.object({
    Date: z.number(),
    Name: z.enum(associationStatuses),
    Message: z.string().min(1).max(1024),
    AdditionalInfo: z.string().max(1024).optional(),
  }),
});

/** A page of `items` after the opaque `token` (only an absent token starts over); `NextToken` only when more remain. */
export function page<T>(
  items: readonly T[],
  maxResults: number,
  token: string | undefined,
): { items: T[]; nextToken?: string } {
  const result = ssmPageOf(items, { nextToken: token, maxResults }, null, maxResults, []);
  return result.nextToken === undefined
    ? { items: result.items }
    : { items: result.items, nextToken: result.nextToken };
}

const definedOnly = <T extends Record<string, unknown>>(shape: T): T =>
  Object.fromEntries(Object.entries(shape).filter(([, v]) => v !== undefined)) as T;

function defaultValueText(parameter: DocumentParameter): string | undefined {
  const value = parameter.defaultValue;
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const tagsToWire = (tags: Record<string, string>): { Key: string; Value: string }[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** DocumentDescription. */
export function toDocumentDescription(
  { document, version }: DocumentAtVersion,
  tags: Record<string, string>,
): Record<string, unknown> {
  return definedOnly({
    Sha1: undefined,
    Hash: version.hash,
    HashType: 'Sha256',
    Name: document.name,
    DisplayName: document.displayName,
    VersionName: version.versionName,
    Owner: document.owner,
    CreatedDate: toEpochSeconds(document.createdAt),
    Status: 'Active',
    DocumentVersion: String(version.version),
    Description: version.description,
    Parameters: version.parameters.map((p) =>
      definedOnly({
        Name: p.name,
        Type: p.type,
        Description: p.description,
        DefaultValue: defaultValueText(p),
      }),
    ),
    PlatformTypes: version.platformTypes,
    DocumentType: document.documentType,
    SchemaVersion: version.schemaVersion,
    LatestVersion: String(document.latestVersion),
    DefaultVersion: String(document.defaultVersion),
    DocumentFormat: version.format,
    TargetType: document.targetType,
    Tags: tagsToWire(tags),
  });
}

/** DocumentIdentifier (ListDocuments). */
export function toDocumentIdentifier(
  visible: VisibleDocument,
  tags: Record<string, string>,
): Record<string, unknown> {
  const { document, version } = visible;
  return definedOnly({
    Name: document.name,
    CreatedDate: toEpochSeconds(document.createdAt),
    DisplayName: document.displayName,
    Owner: document.owner,
    VersionName: version.versionName,
    PlatformTypes: version.platformTypes,
    DocumentVersion: String(version.version),
    DocumentType: document.documentType,
    SchemaVersion: version.schemaVersion,
    DocumentFormat: version.format,
    TargetType: document.targetType,
    Tags: tagsToWire(tags),
  });
}

/** GetDocument's output. */
export function toGetDocumentOutput({ document, version }: DocumentAtVersion): Record<string, unknown> {
  return definedOnly({
    Name: document.name,
    CreatedDate: toEpochSeconds(document.createdAt),
    DisplayName: document.displayName,
    VersionName: version.versionName,
    DocumentVersion: String(version.version),
    Status: 'Active',
    Content: version.content,
    DocumentType: document.documentType,
    DocumentFormat: version.format,
  });
}

export function isOwnedByAmazon(document: SsmDocument): boolean {
  return document.owner === amazonOwner;
}

export function toServiceSetting(setting: ServiceSetting): Record<string, unknown> {
  return {
    SettingId: setting.settingId,
    SettingValue: setting.value,
    LastModifiedDate: toEpochSeconds(setting.lastModifiedDate),
    LastModifiedUser: setting.lastModifiedUser,
    ARN: setting.arn,
    Status: setting.status,
  };
}

/** AssociationDescription. */
export function toAssociationDescription(view: AssociationView): Record<string, unknown> {
  const { association, spec } = view;
  return definedOnly({
    Name: spec.nameAsGiven,
    InstanceId: spec.instanceId,
    AssociationVersion: String(view.version),
    Date: toEpochSeconds(association.createdAt),
    LastUpdateAssociationDate: toEpochSeconds(association.updatedAt),
    Status: spec.instanceId === undefined ? undefined : legacyStatus(view),
    Overview: toOverview(view),
    DocumentVersion: spec.documentVersion,
    AutomationTargetParameterName: spec.automationTargetParameterName,
    Parameters: spec.parameters,
    AssociationId: association.associationId,
    Targets: spec.targets?.map((t) => ({ Key: t.key, Values: t.values })),
    ScheduleExpression: spec.scheduleExpression,
    OutputLocation: spec.outputLocation,
    LastExecutionDate:
      association.lastExecutionAt === undefined ? undefined : toEpochSeconds(association.lastExecutionAt),
    LastSuccessfulExecutionDate:
      association.lastSuccessAt === undefined ? undefined : toEpochSeconds(association.lastSuccessAt),
    AssociationName: spec.associationName,
    MaxErrors: spec.maxErrors,
    MaxConcurrency: spec.maxConcurrency,
    ComplianceSeverity: spec.complianceSeverity,
    SyncCompliance: spec.syncCompliance,
    ApplyOnlyAtCronInterval: spec.applyOnlyAtCronInterval,
    CalendarNames: spec.calendarNames,
    TargetLocations: spec.targetLocations,
    ScheduleOffset: spec.scheduleOffset,
    Duration: spec.duration,
    TargetMaps: spec.targetMaps,
  });
}

function toOverview(view: AssociationView): Record<string, unknown> {
  return {
    Status: view.overview.status,
    DetailedStatus: view.overview.detailedStatus,
    AssociationStatusAggregatedCount: view.overview.counts,
  };
}

function legacyStatus(view: AssociationView): Record<string, unknown> {
  return {
    Date: toEpochSeconds(view.association.lastExecutionAt ?? view.association.createdAt),
    Name: view.overview.status,
    Message: view.overview.detailedStatus,
  };
}

/** Association (ListAssociations item). */
export function toAssociationListItem(view: AssociationView): Record<string, unknown> {
  const { association, spec } = view;
  return definedOnly({
    Name: spec.nameAsGiven,
    InstanceId: spec.instanceId,
    AssociationId: association.associationId,
    AssociationVersion: String(view.version),
    DocumentVersion: spec.documentVersion,
    Targets: spec.targets?.map((t) => ({ Key: t.key, Values: t.values })),
    LastExecutionDate:
      association.lastExecutionAt === undefined ? undefined : toEpochSeconds(association.lastExecutionAt),
    Overview: toOverview(view),
    ScheduleExpression: spec.scheduleExpression,
    AssociationName: spec.associationName,
    ScheduleOffset: spec.scheduleOffset,
    Duration: spec.duration,
    TargetMaps: spec.targetMaps,
  });
}

/** AssociationVersionInfo. */
export function toAssociationVersionInfo(
  associationId: string,
  version: { version: number; spec: AssociationSpec; createdAt: Date },
): Record<string, unknown> {
  const { spec } = version;
  return definedOnly({
    AssociationId: associationId,
    AssociationVersion: String(version.version),
    CreatedDate: toEpochSeconds(version.createdAt),
    Name: spec.nameAsGiven,
    DocumentVersion: spec.documentVersion,
    Parameters: spec.parameters,
    Targets: spec.targets?.map((t) => ({ Key: t.key, Values: t.values })),
    ScheduleExpression: spec.scheduleExpression,
    OutputLocation: spec.outputLocation,
    AssociationName: spec.associationName,
    MaxErrors: spec.maxErrors,
    MaxConcurrency: spec.maxConcurrency,
    ComplianceSeverity: spec.complianceSeverity,
    SyncCompliance: spec.syncCompliance,
    ApplyOnlyAtCronInterval: spec.applyOnlyAtCronInterval,
    CalendarNames: spec.calendarNames,
    TargetLocations: spec.targetLocations,
    ScheduleOffset: spec.scheduleOffset,
    Duration: spec.duration,
    TargetMaps: spec.targetMaps,
  });
}

/** `{Success=2, Failed=1}` — the AWS text form of ResourceCountByStatus. */
const countsText = (counts: Record<string, number>): string =>
  `{${Object.entries(counts)
    .map(([status, n]) => `${status}=${n}`)
    .join(', ')}}`;

export function toAssociationExecution(execution: AssociationExecution): Record<string, unknown> {
  return {
    AssociationId: execution.associationId,
    AssociationVersion: String(execution.associationVersion),
    ExecutionId: execution.executionId,
    Status: execution.status,
    DetailedStatus: execution.detailedStatus,
    CreatedTime: toEpochSeconds(execution.createdAt),
    LastExecutionDate: toEpochSeconds(execution.lastExecutionAt),
    ResourceCountByStatus: countsText(execution.counts),
  };
}

export function toAssociationExecutionTarget(target: AssociationExecutionTarget): Record<string, unknown> {
  return {
    AssociationId: target.associationId,
    AssociationVersion: String(target.associationVersion),
    ExecutionId: target.executionId,
    ResourceId: target.instanceId,
    ResourceType: 'ManagedInstance',
    Status: target.status,
    DetailedStatus: target.detailedStatus,
    LastExecutionDate: toEpochSeconds(target.executedAt),
  };
}

const managedInstanceId = z.string().regex(/^(mi-\w{17}|i-(\w{8}|\w{17}))$/);

export const startAssociationsOnceSchema = z.object({
  AssociationIds: z.array(z.string()).min(1).max(10),
});

export const listInstanceAssociationsSchema = z.object({
  InstanceId: managedInstanceId,
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

export const describeInstanceAssociationsStatusSchema = listInstanceAssociationsSchema;

export const updateInstanceAssociationStatusSchema = z.object({
  AssociationId: z.string().uuid(),
  InstanceId: managedInstanceId,
  ExecutionResult: z.object({
    Status: z.enum(associationStatuses),
    ErrorCode: z.string().max(10).optional(),
    ExecutionDate: z.number(),
    ExecutionSummary: z.string().min(1).max(512),
    OutputUrl: z.unknown().optional(),
  }),
});

/**
 * One `InstanceAssociation` of ListInstanceAssociations: AWS's AssociationId, InstanceId, Content (the
 * document) and AssociationVersion, plus what Bulwark's agent runs it with — Name, DocumentVersion,
 * Parameters and, when the node has a run to do, ExecutionId (SDK clients ignore the extra members).
 */
export function toInstanceAssociation(
  instanceId: string,
  item: InstanceAssociation,
): Record<string, unknown> {
  const { association } = item;
  return {
    AssociationId: association.associationId,
    InstanceId: instanceId,
    Content: item.content,
    AssociationVersion: String(association.version),
    Name: association.spec.nameAsGiven,
    DocumentVersion: item.documentVersion,
    Parameters: association.spec.parameters ?? {},
    ...(item.executionId === undefined ? {} : { ExecutionId: item.executionId }),
  };
}

/** `InstanceAssociationStatusInfo` of DescribeInstanceAssociationsStatus and UpdateInstanceAssociationStatus. */
export function toInstanceAssociationStatusInfo({
  association,
  status,
}: InstanceAssociationStatus): Record<string, unknown> {
  return {
    AssociationId: status.associationId,
    Name: association.spec.nameAsGiven,
    DocumentVersion: status.documentVersion,
    AssociationVersion: String(status.associationVersion),
    InstanceId: status.instanceId,
    ExecutionDate: toEpochSeconds(status.executedAt),
    Status: status.status,
    DetailedStatus: status.detailedStatus,
    ...(status.executionSummary === undefined ? {} : { ExecutionSummary: status.executionSummary }),
    ...(status.errorCode === undefined ? {} : { ErrorCode: status.errorCode }),
    ...(association.spec.associationName === undefined
      ? {}
      : { AssociationName: association.spec.associationName }),
  };
}
