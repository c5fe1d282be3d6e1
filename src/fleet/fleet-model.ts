/** Managed instances and activations: domain types, identifiers and the pure rules (PingStatus, filters). */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../access/index.js';

/** A tag of an SSM resource. */
export interface Tag {
  key: string;
  value: string;
}

/** An activation: lets up to `registrationLimit` hosts register until `expiresAt`. */
export interface Activation {
  activationId: string;
  accountId: string;
  region: string;
  iamRole: string;
  description: string | undefined;
  defaultInstanceName: string | undefined;
  registrationLimit: number;
  registrationsCount: number;
  expiresAt: Date;
  createdAt: Date;
  /** Copied onto every instance it registers; cannot change later. */
  tags: Tag[];
}

/** What the agent reports about itself in a heartbeat (every member optional). */
export interface InstanceFacts {
  agentName?: string | undefined;
  agentVersion?: string | undefined;
  agentStatus?: string | undefined;
  platformType?: PlatformType | undefined;
  platformName?: string | undefined;
  platformVersion?: string | undefined;
  ipAddress?: string | undefined;
  computerName?: string | undefined;
}

/** A registered (hybrid) managed instance. */
export interface ManagedInstance extends InstanceFacts {
  instanceId: string;
  accountId: string;
  region: string;
  activationId: string;
  iamRole: string;
  name: string | undefined;
  /** The role principal whose key the instance signs with. */
  principalId: string;
  accessKeyId: string;
  /** The instance's own least-privilege policy. */
  policyArn: string;
  fingerprint: string | undefined;
  registeredAt: Date;
  lastPingAt: Date;
  deregisteredAt: Date | undefined;
  associationStatus: string | undefined;
  lastAssociationExecutionAt: Date | undefined;
  lastSuccessfulAssociationExecutionAt: Date | undefined;
}

export const platformTypes = ['Windows', 'Linux', 'MacOS'] as const;
/** The platform families SSM reports. */
export type PlatformType = (typeof platformTypes)[number];

export const pingStatuses = ['Online', 'ConnectionLost', 'Inactive'] as const;
/** Whether an instance is heard from. */
export type PingStatus = (typeof pingStatuses)[number];

/**
 * How long after its last heartbeat an instance still counts as Online (spec §2.4, no AWS figure exists):
 * the agent pings every 5 minutes, so two missed heartbeats plus one minute of jitter = 11 minutes.
 */
export const defaultPingTimeoutSeconds = 11 * 60;

/** Online within `timeoutSeconds` of the last heartbeat, ConnectionLost after, Inactive once deregistered. */
export function pingStatusOf(instance: ManagedInstance, now: Date, timeoutSeconds: number): PingStatus {
  if (instance.deregisteredAt !== undefined) return 'Inactive';
  return now.getTime() - instance.lastPingAt.getTime() <= timeoutSeconds * 1000 ? 'Online' : 'ConnectionLost';
}

/** DescribeActivations' filter. */
export interface ActivationFilter {
  key: 'ActivationIds' | 'DefaultInstanceName' | 'IamRole';
  values: string[];
}

/** Activation limits (spec §2.1, §11). */
export const activationLimits = {
  defaultRegistrationLimit: 1,
  maxRegistrationLimit: 1000,
  defaultLifetimeMs: 24 * 3600_000,
  maxLifetimeMs: 30 * 24 * 3600_000,
} as const;

/** Hybrid nodes per account and Region (the standard tier's quota). */
export const maxManagedInstancesPerRegion = 1000;

/** The SSM resource types the tagging API names (spec §2.6). */
export const ssmResourceTypes = [
  'Document',
  'ManagedInstance',
  'MaintenanceWindow',
  'Parameter',
  'PatchBaseline',
  'OpsItem',
  'OpsMetadata',
  'Automation',
  'Association',
] as const;
export type SsmResourceType = (typeof ssmResourceTypes)[number];

/** Tags a resource may carry (AWS's usual per-resource limit; spec §2.6 [U]). */
export const maxTagsPerResource = 50;

export const managedInstanceIdPattern = /^mi-[0-9a-f]{17}$/;

/** A new managed instance id: `mi-` and 17 lower-case hex digits. */
export function newManagedInstanceId(): string {
  return `mi-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** A new activation id (a UUID). */
export function newActivationId(): string {
  return randomUUID();
}

const codeAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new 20-character activation code (about 119 bits). */
export function newActivationCode(): string {
  let code = '';
  // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
  while (code.length < 20) {
    for (const byte of randomBytes(32)) if (byte < 248 && code.length < 20) code += codeAlphabet[byte % 62];
  }
  return code;
}

/** How an activation code is stored: the code is high-entropy, so one SHA-256 is enough. */
export function hashActivationCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented code with the stored hash. */
export function activationCodeMatches(code: string, storedHash: string): boolean {
  const presented = Buffer.from(hashActivationCode(code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** The ARN of a managed instance: the resource of every operation an agent performs about itself. */
export function managedInstanceArn(region: string, accountId: string, instanceId: string): string {
  return `arn:aws:ssm:${region}:${accountId}:managed-instance/${instanceId}`;
}

/** The ARN of an activation. */
export function activationArn(region: string, accountId: string, activationId: string): string {
  return `arn:aws:ssm:${region}:${accountId}:activation/${activationId}`;
}

/** The ARN of an SSM resource named by the tagging API. */
export function ssmResourceArn(
  scope: { region: string; accountId: string },
  resourceType: SsmResourceType,
  resourceId: string,
): string {
  const kinds: Record<SsmResourceType, string> = {
    Document: 'document',
    ManagedInstance: 'managed-instance',
    MaintenanceWindow: 'maintenancewindow',
    Parameter: 'parameter',
    PatchBaseline: 'patchbaseline',
    OpsItem: 'opsitem',
    OpsMetadata: 'opsmetadata',
    Automation: 'automation-execution',
    Association: 'association',
  };
  const id = resourceType === 'Parameter' ? resourceId.replace(/^\//, '') : resourceId;
  return `arn:aws:ssm:${scope.region}:${scope.accountId}:${kinds[resourceType]}/${id}`;
}

/** The SSM actions an instance's agent performs about itself; its key may do nothing else. */
export const agentActions = [
  'ssm:UpdateInstanceInformation',
  'ssm:PutInventory',
  'ssm:PutComplianceItems',
  'ssm:ListInstanceAssociations',
  'ssm:DescribeInstanceAssociationsStatus',
  'ssm:UpdateInstanceAssociationStatus',
  'ssm:UpdateAssociationStatus',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:DescribeInstancePatchStates',
  'ssm:ListTagsForResource',
  // Run Command delivery (Bulwark's stand-in for ec2messages GetMessages/SendReply, see src/operations/).
  'ssm:BulwarkGetPendingCommands',
  'ssm:BulwarkReportCommandResult',
] as const;

/** The least-privilege policy of one instance: the agent's actions, on its own instance ARN only. */
export function instancePolicyDocument(region: string, accountId: string, instanceId: string): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ManagedInstanceAgent',
        Effect: 'Allow',
        Action: [...agentActions],
        Resource: managedInstanceArn(region, accountId, instanceId),
      },
      {
        // The documents a step names (aws:runDocument, aws:downloadContent); GetDocument still checks sharing.
        Sid: 'ManagedInstanceDocuments',
        Effect: 'Allow',
        Action: ['ssm:GetDocument'],
        Resource: `arn:aws:ssm:${region}:*:document/*`,
      },
    ],
  };
}

/** The name of an instance's own policy. */
export const instancePolicyName = (instanceId: string): string => `ManagedInstance-${instanceId}`;

/**
 * The instance a caller is, when it signs with a managed instance's key (its role principal is named after the
 * instance); undefined for users and other roles. Callers that must trust it also check the instance's
 * principal (FleetService.requireCallerInstance).
 */
export function instanceIdOfActor(actor: Actor): string | undefined {
  return actor.principalType === 'role' && managedInstanceIdPattern.test(actor.principalName)
    ? actor.principalName
    : undefined;
}
