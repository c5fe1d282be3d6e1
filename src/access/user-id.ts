/** IAM's UserId of a caller, as STS GetCallerIdentity shows it. */
import type { Actor } from '../kernel/index.js';

/** The principal id for users, `<role id>:<session>` for roles (the key id is the session), the account for root. */
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
