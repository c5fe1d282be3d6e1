/** The identity Bulwark acts as when it writes on its own (control and patch findings), like AWS's service-linked role. */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor } from '../access/index.js';
import type { Database } from '../storage/database.js';
import type { Ctx } from './ctx.js';

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
