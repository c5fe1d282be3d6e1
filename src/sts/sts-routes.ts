/**
 * STS over the query protocol: GetCallerIdentity (needs no permission, like AWS), so `aws sts
 * get-caller-identity` shows which account and principal a key — a user's or a managed instance's — acts as.
 */
import type { Actor } from '../access/index.js';
import type { QueryRoute } from '../protocols/index.js';

/** STS's API version and XML namespace. */
const stsVersion = '2011-06-15';
const stsNamespace = `https://sts.amazonaws.com/doc/${stsVersion}/`;

/** IAM's UserId: the principal id for users, `<role id>:<session>` for roles (the key id is the session), the account for root. */
export function userIdOf(actor: Actor): string {
  switch (actor.principalType) {
    case 'role':
      return `${actor.principalId}:${actor.accessKeyId}`;
    case 'root':
      return actor.accountId;
    case 'user':
      return actor.principalId;
  }
}

/** The STS query-protocol routes. */
export function stsRoutes(): QueryRoute[] {
  return [
    {
      action: 'GetCallerIdentity',
      version: stsVersion,
      xmlNamespace: stsNamespace,
      operation: {
        name: 'GetCallerIdentity',
        action: 'sts:GetCallerIdentity',
        eventSource: 'sts.amazonaws.com',
        authorization: 'none',
        prepare: () => ({
          resource: () => '*',
          run: (ctx) =>
            Promise.resolve({
              Arn: ctx.actor.principalArn,
              UserId: userIdOf(ctx.actor),
              Account: ctx.actor.accountId,
            }),
        }),
      },
    },
  ];
}
