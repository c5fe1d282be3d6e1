/**
 * Hourly pruning of the work tables: finished jobs, and outbox events every subscriber has passed. Dead letters
 * are never pruned: each keeps its own copy of the event until it is redriven or discarded.
 */
import type { JobDefinition } from './job-definitions.js';

const dayMs = 86_400_000;
const batch = 5000;

/** Prunes done jobs after 7 days, failed jobs after 30, and outbox events a day after all `subscribers` passed them. */
export function housekeepingJob(subscribers: readonly string[]): JobDefinition {
  return {
    name: 'worker-housekeeping',
    every: 3_600_000,
    async handle(ctx) {
      const now = ctx.now().getTime();
      await ctx.db
        .deleteFrom('jobs')
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'done'), eb('updated_at', '<', now - 7 * dayMs)]),
            eb.and([eb('state', '=', 'failed'), eb('updated_at', '<', now - 30 * dayMs)]),
          ]),
        )
        .execute();
      let upTo: { txid: number; seq: number } | undefined;
      if (subscribers.length > 0) {
        const cursors = await ctx.db
          .selectFrom('outbox_cursors')
          .select(['last_txid', 'last_seq'])
          .where('subscriber', 'in', [...subscribers])
          .orderBy('last_txid')
          .orderBy('last_seq')
          .execute();
        const slowest = cursors[0];
        if (cursors.length < subscribers.length || slowest === undefined) return;
        upTo = { txid: slowest.last_txid, seq: slowest.last_seq };
      }
      const cutoff = now - (upTo === undefined ? 7 : 1) * dayMs;
      for (;;) {
        ctx.signal.throwIfAborted();
        const doomed = ctx.db
          .selectFrom('outbox')
          .select('seq')
          .where('created_at', '<', cutoff)
          .$if(upTo !== undefined, (qb) =>
            qb.where((eb) => eb(eb.refTuple('txid', 'seq'), '<=', eb.tuple(upTo?.txid ?? 0, upTo?.seq ?? 0))),
          )
          .limit(batch);
        const result = await ctx.db.deleteFrom('outbox').where('seq', 'in', doomed).executeTakeFirst();
        if (Number(result.numDeletedRows) < batch) break;
      }
    },
  };
}
