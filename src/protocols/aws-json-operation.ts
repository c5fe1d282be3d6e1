/** Builds awsJson1_1 operations: target, IAM action and audit source derived from one service description. */
import type { z } from 'zod';
import type { Actor } from '../kernel/index.js';
import type { Ctx } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { AwsJsonRoute } from './aws-json-route.js';
import type { ApiError } from '../kernel/index.js';

/** An awsJson1_1 service: its X-Amz-Target prefix and its SigV4 signing name (= IAM action prefix). */
export interface AwsJsonService {
  /** e.g. `AmazonSSM`. */
  targetPrefix: string;
  /** e.g. `ssm`: the credential scope service, the IAM action prefix and `<name>.amazonaws.com` as event source. */
  signingName: string;
  /** Turns the first schema issue into the service's validation error. */
  validationError(issue: z.core.$ZodIssue | undefined, input: unknown): ApiError;
}

/** How one awsJson operation reads its input and what it does. */
export interface AwsJsonOperationSpec<S extends z.ZodType, O> {
  name: string;
  schema: S;
  /** The resource ARN for authorize(); defaults to `*`. */
  resource?: (scope: { accountId: string; region: string }, input: z.output<S>) => string;
  handle: (ctx: Ctx, input: z.output<S>) => Promise<O>;
  /** What the audit record keeps of the input; default the validated input (compacted by the audit trail). */
  auditParameters?: (input: z.output<S>) => unknown;
  /** `activation-code`: agent registration, no SigV4 key; `identify` names the caller from the input. */
  authentication?: 'activation-code';
  identify?: (db: DbExecutor, input: z.output<S>) => Promise<{ actor: Actor; region: string }>;
  /** `none`: any valid key may call (no policy check), like STS GetCallerIdentity. */
  authorization?: 'none';
}

/** Creates the route of one awsJson operation of `service`. */
export function awsJsonRoute<S extends z.ZodType, O>(
  service: AwsJsonService,
  spec: AwsJsonOperationSpec<S, O>,
): AwsJsonRoute {
  return {
    target: `${service.targetPrefix}.${spec.name}`,
    operation: {
      name: spec.name,
      action: `${service.signingName}:${spec.name}`,
      eventSource: `${service.signingName}.amazonaws.com`,
      ...(spec.authentication === undefined ? {} : { authentication: spec.authentication }),
      ...(spec.authorization === undefined ? {} : { authorization: spec.authorization }),
      prepare(request) {
        const body = request.body ?? {};
        const parsed = spec.schema.safeParse(body);
        if (!parsed.success) throw service.validationError(parsed.error.issues[0], body);
        const input = parsed.data;
        const identify = spec.identify;
        return {
          resource: (scope) => spec.resource?.(scope, input) ?? '*',
          requestParameters: () => (spec.auditParameters === undefined ? input : spec.auditParameters(input)),
          run: (ctx) => spec.handle(ctx, input),
          ...(identify === undefined ? {} : { identify: (db: DbExecutor) => identify(db, input) }),
        };
      },
    },
  };
}
