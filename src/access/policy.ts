/** Deny-by-default evaluation of IAM-style policies: explicit Deny wins, then any Allow, else denied. */
import { accessDenied } from '../http/errors.js';
import type { Actor, PolicyDocument, PolicyStatement } from './model.js';

/** Whether `value` matches an IAM wildcard pattern (`*` any run, `?` one character; actions case-insensitive). */
export function matchesWildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'is' : 's').test(value);
}

const asList = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

function statementApplies(statement: PolicyStatement, action: string, resource: string): boolean {
  const actions = asList(statement.Action);
  const notActions = asList(statement.NotAction);
  const actionMatches =
    actions !== undefined
      ? actions.some((p) => matchesWildcard(p, action, true))
      : notActions !== undefined && !notActions.some((p) => matchesWildcard(p, action, true));
  if (!actionMatches) return false;
  const resources = asList(statement.Resource);
  const notResources = asList(statement.NotResource);
  if (resources !== undefined) return resources.some((p) => matchesWildcard(p, resource, false));
  if (notResources !== undefined) return !notResources.some((p) => matchesWildcard(p, resource, false));
  return false;
}

/** The decision of a policy for one action on one resource. */
export function evaluatePolicy(
  policy: PolicyDocument,
  action: string,
  resource: string,
): 'Allow' | 'ExplicitDeny' | 'ImplicitDeny' {
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!statementApplies(statement, action, resource)) continue;
    if (statement.Effect === 'Deny') return 'ExplicitDeny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** Throws AccessDenied (AWS's message) unless the actor's policy allows `action` on `resource`. */
export function authorize(actor: Actor, action: string, resource: string): void {
  if (evaluatePolicy(actor.policy, action, resource) === 'Allow') return;
  throw accessDenied(
    `User: ${actor.principalArn} is not authorized to perform: ${action} on resource: ${resource}`,
  );
}
