/**
 * ClientToken idempotency of CreateMaintenanceWindow and Register{Target,Task}WithMaintenanceWindow: a retry
 * with the same token and parameters returns what the first request made; the token with other parameters is
 * IdempotentParameterMismatch.
 */
import { createHash } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { MaintenanceStore } from './window-store.js';

/** A request's ClientToken and what it asked for (to tell a retry from a reuse). */
export interface Idempotency {
  clientToken: string | undefined;
  request: unknown;
}

export class ClientTokens {
  constructor(private readonly store: MaintenanceStore) {}

  /**
   * What an earlier request with the same token and parameters made (read back by `existing`); otherwise
   * `make` runs and its id is remembered under the token.
   */
  async once<T>(
    ctx: Ctx,
    operation: string,
    idempotency: Idempotency,
    existing: (resourceId: string) => Promise<T>,
    make: () => Promise<{ id: string; value: T }>,
  ): Promise<T> {
    const token = idempotency.clientToken;
    if (token === undefined) return (await make()).value;
    const fingerprint = createHash('sha256').update(JSON.stringify(idempotency.request)).digest('hex');
    const earlier = await this.store.findClientToken(ctx.tx, ctx, operation, token);
    if (earlier !== undefined) {
      if (earlier.fingerprint !== fingerprint)
        throw ssmError(
          'IdempotentParameterMismatch',
          `Error in ${operation}: ClientToken was already used with different parameters.`,
        );
      return existing(earlier.resourceId);
    }
    const made = await make();
    await this.store.insertClientToken(ctx.tx, ctx, {
      operation,
      clientToken: token,
      fingerprint,
      resourceId: made.id,
    });
    return made.value;
  }
}
