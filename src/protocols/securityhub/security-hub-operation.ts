/** Builds Security Hub restJson1 operations: the IAM action, the audit source and the "hub must be enabled" rule in one place. */
import type { z } from 'zod';
import type { Ctx } from '../../kernel/index.js';
import { parseWith, type Operation, type OperationRequest } from '../index.js';
import { hubArnOf } from './security-hub-arn.js';

/** The "hub must be enabled in the Region" rule, supplied by the capability that owns hub enablement. */
export interface HubGate {
  /** InvalidAccess unless the caller's account has Security Hub enabled in the caller's Region. */
  require(ctx: Ctx): Promise<unknown>;
}

/** How one Security Hub operation reads its input and what it does. */
export interface SecurityHubOperationSpec<S extends z.ZodType, O> {
  name: string;
  schema: S;
  /** Gathers the raw input from labels, query and body; defaults to the JSON body. */
  input?: (request: OperationRequest) => unknown;
  /** False only for EnableSecurityHub and the tagging calls; every other call needs the hub enabled in the Region. */
  requiresHub?: boolean;
  /** The resource ARN for authorize(); defaults to the caller's hub. */
  resource?: (scope: { accountId: string; region: string }, input: z.output<S>) => string;
  handle: (ctx: Ctx, input: z.output<S>) => Promise<O>;
  /** What the audit record keeps of the input; default the validated input (compacted by the audit trail). */
  auditParameters?: (input: z.output<S>) => unknown;
}

/** Creates a Security Hub operation bound to the hub rule. */
export function securityHubOperation<S extends z.ZodType, O>(
  hub: HubGate,
  spec: SecurityHubOperationSpec<S, O>,
): Operation {
  const requiresHub = spec.requiresHub ?? true;
  const readInput = spec.input ?? ((request: OperationRequest) => request.body);
  return {
    name: spec.name,
    action: `securityhub:${spec.name}`,
    eventSource: 'securityhub.amazonaws.com',
    prepare(request) {
      const input = parseWith(spec.schema, readInput(request)) as z.output<S>;
      return {
        resource: (scope) => spec.resource?.(scope, input) ?? hubArnOf(scope.region, scope.accountId),
        requestParameters: () => (spec.auditParameters === undefined ? input : spec.auditParameters(input)),
        run: async (ctx) => {
          if (requiresHub) await hub.require(ctx);
          return spec.handle(ctx, input);
        },
      };
    },
  };
}
