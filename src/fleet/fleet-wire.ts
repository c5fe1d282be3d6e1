/** SSM fleet wire shapes: zod schemas of the inputs and the PascalCase outputs (timestamps as epoch seconds). */
import { z } from 'zod';
import type { InstanceFilter } from './instance-filters.js';
import { legacyFilterKeys } from './instance-filters.js';
import {
  platformTypes,
  ssmResourceTypes,
  type Activation,
  type InstanceFacts,
  type PlatformType,
  type Tag,
} from './fleet-model.js';
import type { InstanceInformation } from './fleet-service.js';
import { ssmError, toEpochSeconds } from '../protocols/ssm/index.js';

const tagCharacters = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

const wireTag = z.object({
  Key: z.string().min(1).max(128).regex(tagCharacters),
  Value: z.string().max(256).regex(tagCharacters),
});
const wireTags = z.array(wireTag).max(1000);

const fromWireTags = (tags: z.output<typeof wireTags> | undefined): Tag[] | undefined =>
  tags?.map((tag) => ({ key: tag.Key, value: tag.Value }));

/** Tags on the wire. */
export const toWireTags = (tags: readonly Tag[]): { Key: string; Value: string }[] =>
  tags.map((tag) => ({ Key: tag.key, Value: tag.value }));

/** A modeled timestamp: epoch seconds (botocore, JS v3), or an ISO string some clients send. */
const wireTimestamp = z.union([z.number(), z.string().min(1)]).transform((value, ctx) => {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `Timestamp ${String(value)} is not valid` });
    return z.NEVER;
  }
  return date;
});

const nameCharacters = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
const nextToken = z.string().max(4096).optional();
const activationIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);
const instanceIdSchema = z.string().regex(/^(^mi-\w{17}$)|(^i-(\w{8}|\w{17})$)$/);

export const createActivationInput = z.object({
  IamRole: z.string().min(1).max(64),
  Description: z.string().max(256).optional(),
  DefaultInstanceName: z.string().max(256).regex(nameCharacters).optional(),
  RegistrationLimit: z.number().int().min(1).max(1000).optional(),
  ExpirationDate: wireTimestamp.optional(),
  Tags: wireTags.optional(),
});

/** CreateActivation's input in domain terms. */
export function fromCreateActivation(input: z.output<typeof createActivationInput>) {
  return {
    iamRole: input.IamRole,
    description: input.Description,
    defaultInstanceName: input.DefaultInstanceName,
    registrationLimit: input.RegistrationLimit,
    expirationDate: input.ExpirationDate,
    tags: fromWireTags(input.Tags),
  };
}

export const describeActivationsInput = z.object({
  Filters: z
    .array(
      z.object({
        FilterKey: z.enum(['ActivationIds', 'DefaultInstanceName', 'IamRole']),
        FilterValues: z.array(z.string()),
      }),
    )
    .optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken,
});

export const deleteActivationInput = z.object({ ActivationId: activationIdSchema });

/** An activation on the wire (never its code). */
export function toWireActivation(activation: Activation, now: Date) {
  return {
    ActivationId: activation.activationId,
    ...(activation.description === undefined ? {} : { Description: activation.description }),
    ...(activation.defaultInstanceName === undefined
      ? {}
      : { DefaultInstanceName: activation.defaultInstanceName }),
    IamRole: activation.iamRole,
    RegistrationLimit: activation.registrationLimit,
    RegistrationsCount: activation.registrationsCount,
    ExpirationDate: toEpochSeconds(activation.expiresAt),
    Expired: now.getTime() > activation.expiresAt.getTime(),
    CreatedDate: toEpochSeconds(activation.createdAt),
    Tags: toWireTags(activation.tags),
  };
}

/** The agent reports `linux`; the API says `Linux`. */
const platformTypeSchema = z.string().transform((value, ctx): PlatformType => {
  const found = platformTypes.find((type) => type.toLowerCase() === value.toLowerCase());
  if (found === undefined) {
    ctx.addIssue({ code: 'invalid_value', values: [...platformTypes], input: value });
    return z.NEVER;
  }
  return found;
});

const instanceFactsShape = {
  AgentName: z.string().max(256).optional(),
  AgentVersion: z
    .string()
    .regex(/^[0-9]{1,6}(\.[0-9]{1,6}){2,3}$/)
    .optional(),
  AgentStatus: z.string().max(64).optional(),
  PlatformType: platformTypeSchema.optional(),
  PlatformName: z.string().max(256).optional(),
  PlatformVersion: z.string().max(256).optional(),
  IPAddress: z.string().min(1).max(46).optional(),
  ComputerName: z.string().min(1).max(255).optional(),
};

function fromWireFacts(input: {
  AgentName?: string | undefined;
  AgentVersion?: string | undefined;
  AgentStatus?: string | undefined;
  PlatformType?: PlatformType | undefined;
  PlatformName?: string | undefined;
  PlatformVersion?: string | undefined;
  IPAddress?: string | undefined;
  ComputerName?: string | undefined;
}): InstanceFacts {
  return {
    agentName: input.AgentName,
    agentVersion: input.AgentVersion,
    agentStatus: input.AgentStatus,
    platformType: input.PlatformType,
    platformName: input.PlatformName,
    platformVersion: input.PlatformVersion,
    ipAddress: input.IPAddress,
    computerName: input.ComputerName,
  };
}

/** Bulwark's RegisterManagedInstance: the activation id and code are the credential (no SigV4). */
export const registerManagedInstanceInput = z.object({
  ActivationId: activationIdSchema,
  ActivationCode: z.string().min(20).max(250),
  Fingerprint: z.string().min(1).max(256).optional(),
  InstanceName: z.string().max(256).regex(nameCharacters).optional(),
  ...instanceFactsShape,
});

export function fromRegisterManagedInstance(input: z.output<typeof registerManagedInstanceInput>) {
  return {
    activationId: input.ActivationId,
    activationCode: input.ActivationCode,
    fingerprint: input.Fingerprint,
    instanceName: input.InstanceName,
    facts: fromWireFacts(input),
  };
}

export const updateInstanceInformationInput = z.object({
  InstanceId: instanceIdSchema,
  ...instanceFactsShape,
});

export { fromWireFacts };

export const describeInstanceInformationInput = z.object({
  Filters: z
    .array(z.object({ Key: z.string().min(1).max(163), Values: z.array(z.string()).min(1).max(100) }))
    .optional(),
  InstanceInformationFilterList: z
    .array(z.object({ key: z.enum(legacyFilterKeys), valueSet: z.array(z.string()).min(1).max(100) }))
    .optional(),
  MaxResults: z.number().int().min(5).max(50).optional(),
  NextToken: nextToken,
});

/** The filters of a DescribeInstanceInformation request; both lists at once is an error. */
export function instanceFiltersOf(
  input: z.output<typeof describeInstanceInformationInput>,
): InstanceFilter[] {
  if (input.Filters !== undefined && input.InstanceInformationFilterList !== undefined) {
    throw ssmError(
      'InvalidInstanceInformationFilterValue',
      'Filters and InstanceInformationFilterList cannot be used in the same request.',
    );
  }
  return (
    input.Filters?.map((filter) => ({ key: filter.Key, values: filter.Values })) ??
    input.InstanceInformationFilterList?.map((filter) => ({ key: filter.key, values: filter.valueSet })) ??
    []
  );
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

/** One InstanceInformation element. */
export function toWireInstanceInformation(info: InstanceInformation, latestAgentVersion: string | undefined) {
  const instance = info.instance;
  return {
    InstanceId: instance.instanceId,
    PingStatus: info.pingStatus,
    LastPingDateTime: toEpochSeconds(instance.lastPingAt),
    ...optional('AgentVersion', instance.agentVersion),
    ...(instance.agentVersion === undefined || latestAgentVersion === undefined
      ? {}
      : { IsLatestVersion: instance.agentVersion === latestAgentVersion }),
    ...optional('PlatformType', instance.platformType),
    ...optional('PlatformName', instance.platformName),
    ...optional('PlatformVersion', instance.platformVersion),
    ActivationId: instance.activationId,
    IamRole: instance.iamRole,
    RegistrationDate: toEpochSeconds(instance.registeredAt),
    ResourceType: 'ManagedInstance',
    ...optional('Name', instance.name),
    ...optional('IPAddress', instance.ipAddress),
    ...optional('ComputerName', instance.computerName),
    ...optional('AssociationStatus', instance.associationStatus),
    ...optional(
      'LastAssociationExecutionDate',
      instance.lastAssociationExecutionAt === undefined
        ? undefined
        : toEpochSeconds(instance.lastAssociationExecutionAt),
    ),
    ...optional(
      'LastSuccessfulAssociationExecutionDate',
      instance.lastSuccessfulAssociationExecutionAt === undefined
        ? undefined
        : toEpochSeconds(instance.lastSuccessfulAssociationExecutionAt),
    ),
    SourceId: instance.instanceId,
    SourceType: 'AWS::SSM::ManagedInstance',
  };
}

export const deregisterManagedInstanceInput = z.object({
  InstanceId: z.string().regex(/^mi-[0-9a-f]{17}$/),
});

const resourceTypeSchema = z.enum(ssmResourceTypes);
const resourceIdSchema = z.string().min(1).max(1011);

export const addTagsToResourceInput = z.object({
  ResourceType: resourceTypeSchema,
  ResourceId: resourceIdSchema,
  Tags: wireTags.min(1),
});

export const removeTagsFromResourceInput = z.object({
  ResourceType: resourceTypeSchema,
  ResourceId: resourceIdSchema,
  TagKeys: z.array(z.string().min(1).max(128).regex(tagCharacters)),
});

export const listTagsForResourceInput = z.object({
  ResourceType: resourceTypeSchema,
  ResourceId: resourceIdSchema,
});

export { fromWireTags };
