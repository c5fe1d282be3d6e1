/** Run Command's clock: invocations nobody finishes in time become TimedOut (or Undeliverable, Cancelled). */
import { inRetryingTransaction } from '../storage/index.js';
import type { JobDefinition } from '../worker/index.js';
import type { InvocationTransitions } from './invocation-transitions.js';

/** The job's name (also its schedule's name). */
export const commandTimeoutsJobName = 'command-timeouts';

/** Invocations finished per transaction, so a backlog never holds the writer for long. */
const batchSize = 200;

/**
 * Every 30 s: Pending invocations past the delivery timeout (TimeoutSeconds) become TimedOut / Delivery Timed
 * Out; delivered ones whose agent went silent past ExpiresAfter + grace become TimedOut / Execution Timed
 * Out; Cancelling ones whose lease lapsed become Cancelled; ones out of deliveries fail as Undeliverable.
 */
export function commandTimeoutsJob(transitions: InvocationTransitions): JobDefinition {
  return {
    name: commandTimeoutsJobName,
    every: 30_000,
    async handle(ctx) {
      let total = 0;
      for (;;) {
        ctx.signal.throwIfAborted();
        const now = ctx.now();
        const changed = await inRetryingTransaction(ctx.db, (tx) =>
          transitions.expireOverdue(tx, now, batchSize),
        );
        total += changed;
        if (changed < batchSize) break;
      }
      if (total > 0) ctx.logger.info({ invocations: total }, 'finished overdue command invocations');
    },
  };
}
