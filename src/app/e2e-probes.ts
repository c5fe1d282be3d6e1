/**
 * Test-only probes, registered only when BULWARK_E2E_PROBES=1 (the multi-node e2e test sets it): a subscriber
 * that records every event it handles, and a slow job that records its start and finish, so a test can see
 * from outside which node handled what. Inert, and absent from the schema, in normal operation.
 */
import { sql } from 'kysely';
import type { Db } from '../storage/database.js';
import type { EventSubscriber, JobDefinition } from '../worker/index.js';

/** Whether the environment asks for the probes. */
export function e2eProbesEnabled(env: NodeJS.ProcessEnv): boolean {
  return env['BULWARK_E2E_PROBES'] === '1';
}

/** Creates the probe tables (idempotent). */
export async function createProbeTables(db: Db): Promise<void> {
  await sql`create table if not exists e2e_event_ledger (seq bigint not null, worker text not null)`.execute(
    db,
  );
  await sql`create table if not exists e2e_job_runs (job_id bigint not null, attempt integer not null, worker text not null, phase text not null)`.execute(
    db,
  );
}

/** Records each handled event with the worker that handled it, in the handling transaction. */
export function eventLedgerProbe(worker: string): EventSubscriber {
  return {
    name: 'e2e-event-ledger',
    events: ['FindingsImported', 'FindingsUpdated'],
    async handle(ctx) {
      await sql`insert into e2e_event_ledger (seq, worker) values (${ctx.seq}, ${worker})`.execute(ctx.tx);
    },
  };
}

/** Sleeps `payload.ms`, recording `started` before and `finished` after. */
export function slowJobProbe(worker: string): JobDefinition {
  return {
    name: 'e2e-sleep',
    maxAttempts: 3,
    async handle(ctx, payload) {
      const ms =
        typeof payload === 'object' && payload !== null && 'ms' in payload ? Number(payload.ms) : 1000;
      const record = (phase: string) =>
        sql`insert into e2e_job_runs (job_id, attempt, worker, phase) values (${ctx.jobId}, ${ctx.attempt}, ${worker}, ${phase})`.execute(
          ctx.db,
        );
      await record('started');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      });
      await record('finished');
    },
  };
}
