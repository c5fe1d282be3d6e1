/** The identity Bulwark acts as when it writes on its own (control and patch findings), like AWS's service-linked role. */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor } from '../access/index.js';
import { AuditStore, compactParameters, resourceOfArn } from '../audit/index.js';
import type { Database } from '../storage/database.js';
import type { Ctx } from '../kernel/index.js';

/** The service principal of an account: `AWSServiceRoleForSecurityHub`, holding no keys and no policies. */
export function serviceActor(accountId: string): Actor {
  return {
    accountId,
    principalId: `bulwark-service-${accountId}`,
    principalArn: `arn:aws:iam::${accountId}:role/aws-service-role/securityhub.amazonaws.com/AWSServiceRoleForSecurityHub`,
    principalName: 'AWSServiceRoleForSecurityHub',
    principalType: 'role',
    accessKeyId: '',
    policies: [],
  };
}

/** A request context for work the service does itself inside `tx`. */
export function serviceCtx(
  tx: Transaction<Database>,
  scope: { accountId: string; region: string },
  now: Date,
): Ctx {
  return {
    actor: serviceActor(scope.accountId),
    accountId: scope.accountId,
    region: scope.region,
    requestId: randomUUID(),
    now,
    tx,
  };
}

/** A write the service made on its own, as its audit record names it. */
export interface ServiceWrite {
  /** The service whose API the write stands for: `ssm.amazonaws.com`, `securityhub.amazonaws.com`. */
  eventSource: string;
  eventName: string;
  requestParameters: unknown;
  responseElements?: Record<string, unknown>;
  resourceArn?: string;
}

const serviceAudit = new AuditStore();

/**
 * Appends the audit record of a write made under the service identity, in that write's transaction (`ctx.tx`),
 * so a scheduler's commands and a control run's findings are on the trail like any API call (CloudTrail's
 * `AWSService` identity, invoked by the service itself).
 */
export async function auditServiceWrite(ctx: Ctx, write: ServiceWrite): Promise<void> {
  await serviceAudit.append(ctx.tx, {
    eventId: randomUUID(),
    requestId: ctx.requestId,
    eventTime: ctx.now,
    eventSource: write.eventSource,
    eventName: write.eventName,
    region: ctx.region,
    sourceIp: write.eventSource,
    userAgent: write.eventSource,
    identity: {
      type: 'AWSService',
      principalId: ctx.actor.principalId,
      arn: ctx.actor.principalArn,
      accountId: ctx.accountId,
      accessKeyId: undefined,
      userName: ctx.actor.principalName,
    },
    readOnly: false,
    errorCode: undefined,
    errorMessage: undefined,
    requestParameters: compactParameters(write.requestParameters),
    responseElements: write.responseElements,
    resource: write.resourceArn === undefined ? undefined : resourceOfArn(write.resourceArn),
  });
}
