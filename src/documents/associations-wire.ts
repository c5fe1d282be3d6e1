/** The AWS shapes of State Manager associations: zod input schemas and output mappers. */
import { z } from 'zod';
import { maxConcurrencyPattern, maxErrorsPattern, toEpochSeconds } from '../protocols/ssm/index.js';
import type { AssociationInput } from './association-spec.js';
import { definedOnly, nextToken, tagList, versionSelector } from './documents-wire.js';
import {
  associationStatuses,
  complianceSeverities,
  type AssociationExecution,
  type AssociationExecutionTarget,
  type AssociationSpec,
  type AssociationTarget,
  type AssociationView,
  type InstanceAssociation,
  type InstanceAssociationStatus,
} from './documents-model.js';

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

/** The association members CreateAssociation and UpdateAssociation share. */
interface WireAssociationFields {
  DocumentVersion?: string | undefined;
  Parameters?: Record<string, string[]> | undefined;
  Targets?: { Key: string; Values?: string[] | undefined }[] | undefined;
  ScheduleExpression?: string | undefined;
  ScheduleOffset?: number | undefined;
  AssociationName?: string | undefined;
  ComplianceSeverity?: AssociationInput['complianceSeverity'];
  SyncCompliance?: 'AUTO' | 'MANUAL' | undefined;
  MaxConcurrency?: string | undefined;
  MaxErrors?: string | undefined;
  ApplyOnlyAtCronInterval?: boolean | undefined;
  OutputLocation?: unknown;
  CalendarNames?: string[] | undefined;
  TargetLocations?: unknown[] | undefined;
  TargetMaps?: unknown[] | undefined;
  Duration?: number | undefined;
  AutomationTargetParameterName?: string | undefined;
}
/** The shared association members in domain form. */
export function fromWireAssociation(input: WireAssociationFields): AssociationInput {
  const targets: AssociationTarget[] | undefined = input.Targets?.map((t) => ({
    key: t.Key,
    values: t.Values ?? [],
  }));
  return {
    documentVersion: input.DocumentVersion,
    targets,
    parameters: input.Parameters,
    scheduleExpression: input.ScheduleExpression,
    scheduleOffset: input.ScheduleOffset,
    associationName: input.AssociationName,
    complianceSeverity: input.ComplianceSeverity,
    syncCompliance: input.SyncCompliance,
    maxConcurrency: input.MaxConcurrency,
    maxErrors: input.MaxErrors,
    applyOnlyAtCronInterval: input.ApplyOnlyAtCronInterval,
    outputLocation: input.OutputLocation,
    calendarNames: input.CalendarNames,
    targetLocations: input.TargetLocations,
    targetMaps: input.TargetMaps,
    duration: input.Duration,
    automationTargetParameterName: input.AutomationTargetParameterName,
  };
}

/** The ARN an association operation acts on (`*` without an AssociationId). */
export const associationResource = (
  scope: { accountId: string; region: string },
  input: { AssociationId?: string | undefined },
): string =>
  input.AssociationId === undefined
    ? '*'
    : `arn:aws:ssm:${scope.region}:${scope.accountId}:association/${input.AssociationId}`;
