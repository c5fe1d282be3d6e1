/** The contract between a protocol adapter and a capability: one typed operation with its IAM action. */
import type { z } from 'zod';
import type { Actor } from '../kernel/index.js';
import type { Ctx } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { invalidInput } from '../kernel/index.js';

/** What a protocol adapter extracted from the wire, before validation. */
export interface OperationRequest {
  /** Percent-decoded path labels (restJson1 only). */
  labels: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body, `{}` when the request had none. */
  body: unknown;
}

/** A validated call, bound to its input: which resource it touches and how it runs. */
export interface PreparedCall {
  /** The resource ARN the action applies to. */
  resource(scope: { accountId: string; region: string }): string;
  run(ctx: Ctx): Promise<unknown>;
  /** What the audit record keeps of the input (CloudTrail's requestParameters); default: the validated input is not recorded. */
  requestParameters?: () => unknown;
  /**
   * Only for `authentication: 'activation-code'` operations: the caller and the Region it acts in, named by the
   * input alone (e.g. the activation id); the operation itself checks the secret inside its transaction.
   */
  identify?: (db: DbExecutor) => Promise<{ actor: Actor; region: string }>;
}

/** One API operation: its IAM action and how to turn a wire request into a prepared call. */
export interface Operation {
  name: string;
  /** The IAM action, e.g. `securityhub:BatchImportFindings`. */
  action: string;
  /** The service whose audit records carry this operation, e.g. `securityhub.amazonaws.com`. */
  eventSource: string;
  /** Validates the request (InvalidInput on the first problem) and binds it. */
  prepare(request: OperationRequest): PreparedCall;
  /**
   * How the caller proves who it is: `sigv4` (default), a request signed with an access key; `activation-code`,
   * agent registration only: no key and no policy check — the activation code in the input is the credential.
   */
  authentication?: 'sigv4' | 'activation-code';
  /** `policy` (default): the caller's policies must allow `action`; `none`: any valid key (STS GetCallerIdentity). */
  authorization?: 'policy' | 'none';
}

/** Parses `value` with `schema`, turning the first issue into InvalidInput that names the field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw invalidInput(`${path === '' ? 'Request' : path}: ${issue?.message ?? 'is invalid'}`);
}
