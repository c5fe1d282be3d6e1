/** Builds Security Hub operations: the IAM action, the audit source and the "hub must be enabled" rule in one place. */
import type { z } from 'zod';
import type { Ctx } from '../kernel/index.js';
import { parseWith, type Operation, type OperationRequest } from '../protocols/index.js';
import { hubArnOf, type HubService } from './hub-service.js';

/** How one Security Hub operation reads its input and what it does. */
export interface SecurityHubOperationSpec<S extends z.ZodType, O> {
  name: string;
  schema: S;
  /** Gathers the raw input from labels, query and body; defaults to the JSON body. */
  input?: (request: OperationRequest) => unknown;
  /** False only for EnableSecurityHub; every other call needs the hub enabled in the Region. */
  requiresHub?: boolean;
  resource?: (scope: { accountId: string; region: string }, input: z.output<S>) => string;
  handle: (ctx: Ctx, input: z.output<S>) => Promise<O>;
  /** What the audit record keeps of the input; default the validated input (compacted by the audit trail). */
  auditParameters?: (input: z.output<S>) => unknown;
}

/** Reads an integer query parameter, leaving a non-number for the schema to reject. */
export function queryInteger(query: URLSearchParams, name: string): number | string | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/** Reads an optional string query parameter. */
export function queryString(query: URLSearchParams, name: string): string | undefined {
  return query.get(name) ?? undefined;
}

/** The JSON body with the path labels added as members (a non-object body is left for the schema to reject). */
export function bodyWithLabels(request: OperationRequest): unknown {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, ...request.labels };
}

/** Creates a Security Hub operation bound to the hub rule. */
export function securityHubOperation<S extends z.ZodType, O>(
  hub: HubService,
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
