/** The one authorization decision point: deny by default, explicit deny wins, AWS's AccessDenied message. */
import { accessDenied } from '../kernel/index.js';
import type { Actor } from '../kernel/index.js';
import { evaluatePolicies } from './policy-evaluation.js';
import { principalContext, type ConditionContext } from './request-context.js';

export { evaluatePolicies, evaluatePolicy, type PolicyDecision } from './policy-evaluation.js';

/**
 * Throws AccessDenied unless the actor's attached policies allow `action` on `resource` for this request.
 * `context` carries the request's condition keys (see requestContext); the caller's own keys (aws:PrincipalArn …)
 * are added here, so a caller cannot supply them.
 */
export function authorize(
  actor: Actor,
  action: string,
  resource: string,
  context: ConditionContext = {},
): void {
  const decision = evaluatePolicies(actor.policies, {
    action,
    resource,
    context: { ...context, ...principalContext(actor) },
  });
  if (decision === 'Allow') return;
  const explicit = decision === 'ExplicitDeny' ? ' with an explicit deny in an identity-based policy' : '';
  throw accessDenied(
    `User: ${actor.principalArn} is not authorized to perform: ${action} on resource: ${resource}${explicit}`,
  );
}
