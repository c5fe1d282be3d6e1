/**
 * STS over the query protocol: GetCallerIdentity (needs no permission, like AWS), so `aws sts
 * get-caller-identity` shows which account and principal a key — a user's or a managed instance's — acts as.
 */
import { userIdOf } from '../access/index.js';
import type { QueryRoute } from '../protocols/index.js';
import { stsRoute } from '../protocols/sts/index.js';

/** The STS query-protocol routes. */
export function stsRoutes(): QueryRoute[] {
  return [
    stsRoute({
      name: 'GetCallerIdentity',
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
    }),
  ];
}
