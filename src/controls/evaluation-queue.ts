/** Queues a re-evaluation of an account's controls after a change that alters which controls run, or how. */
import type { Ctx } from '../kernel/index.js';
import { enqueue } from '../worker/index.js';

/** The job that re-evaluates every control of one account and Region. */
export const evaluateAccountJobName = 'controls-evaluate-account';

/** Queues the evaluation of every control of the caller's account and Region (it also archives disabled controls' findings). */
export async function requeueEvaluation(ctx: Ctx): Promise<void> {
  await enqueue(
    ctx.tx,
    { name: evaluateAccountJobName, payload: { accountId: ctx.accountId, region: ctx.region } },
    ctx.now.getTime(),
  );
}
