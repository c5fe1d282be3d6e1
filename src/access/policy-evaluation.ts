/**
 * IAM evaluation of identity-based policies: an explicit Deny in any statement of any policy wins, else any
 * Allow, else the request is implicitly denied. A statement applies when its action, resource and every
 * condition operator (keys ANDed, values ORed) match the request.
 */
import {
  evaluateConditionOperator,
  parseConditionOperator,
  type ConditionOperator,
} from './condition-operators.js';
import type { PolicyDocument, PolicyStatement } from '../kernel/index.js';
import type { ConditionContext } from './request-context.js';
import { matchesWildcard, type VariableLookup } from './wildcard.js';

/** The outcome of evaluating policies for one request. */
export type PolicyDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** One request as the evaluator sees it. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  context?: ConditionContext;
}

type Lookup = (key: string) => readonly string[] | undefined;

function contextLookup(context: ConditionContext | undefined): Lookup {
  const values = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(context ?? {})) {
    if (value === undefined) continue;
    values.set(key.toLowerCase(), typeof value === 'string' ? [value] : value);
  }
  return (key) => values.get(key.toLowerCase());
}

const operators = new Map<string, ConditionOperator | undefined>();

function operatorNamed(name: string): ConditionOperator | undefined {
  if (!operators.has(name)) {
    const parsed = parseConditionOperator(name);
    operators.set(name, typeof parsed === 'string' ? undefined : parsed);
  }
  return operators.get(name);
}

/** Whether every condition holds; 'unknown' for an operator the evaluator does not know (never valid input). */
function conditionsHold(
  statement: PolicyStatement,
  lookup: Lookup,
  variables: VariableLookup | undefined,
): boolean | 'unknown' {
  for (const [operatorName, keys] of Object.entries(statement.Condition ?? {})) {
    const operator = operatorNamed(operatorName);
    if (operator === undefined) return 'unknown';
    for (const [key, policyValues] of Object.entries(keys)) {
      if (!evaluateConditionOperator(operator, lookup(key), policyValues, variables)) return false;
    }
  }
  return true;
}

function matchesAction(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return statement.Action.some((p) => matchesWildcard(p, action, true));
  if (statement.NotAction !== undefined)
    return !statement.NotAction.some((p) => matchesWildcard(p, action, true));
  return false;
}

function matchesResource(
  statement: PolicyStatement,
  resource: string,
  variables: VariableLookup | undefined,
): boolean {
  if (statement.Resource !== undefined) {
    return statement.Resource.some((p) => matchesWildcard(p, resource, false, variables));
  }
  if (statement.NotResource !== undefined) {
    return !statement.NotResource.some((p) => matchesWildcard(p, resource, false, variables));
  }
  return false;
}

/** The decision of a set of policies (all attached to one principal) for one request. */
export function evaluatePolicies(
  policies: readonly PolicyDocument[],
  request: AuthorizationRequest,
): PolicyDecision {
  const lookup = contextLookup(request.context);
  const singleValue: VariableLookup = (key) => {
    const values = lookup(key);
    return values?.length === 1 ? values[0] : undefined;
  };
  let allowed = false;
  for (const policy of policies) {
    // Policy variables exist only in the 2012-10-17 language; in 2008-10-17 `${…}` is literal text.
    const variables = policy.Version === '2012-10-17' ? singleValue : undefined;
    for (const statement of policy.Statement) {
      if (!matchesAction(statement, request.action)) continue;
      if (!matchesResource(statement, request.resource, variables)) continue;
      const conditions = conditionsHold(statement, lookup, variables);
      if (statement.Effect === 'Deny') {
        // An unreadable condition never weakens a Deny.
        if (conditions !== false) return 'ExplicitDeny';
      } else if (conditions === true) {
        allowed = true;
      }
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** The decision of one policy for one action on one resource. */
export function evaluatePolicy(
  policy: PolicyDocument,
  action: string,
  resource: string,
  context: ConditionContext = {},
): PolicyDecision {
  return evaluatePolicies([policy], { action, resource, context });
}
