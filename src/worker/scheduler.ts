/** Recurring jobs: each occurrence is enqueued by exactly one node, however many schedulers run. */
import type { Db } from '../storage/index.js';
import { enqueue } from './job-queue.js';

/** A recurring job: enqueue job `name` every `every` ms. */
export interface Schedule {
  name: string;
  every: number;
  /** When a scheduler starts (registers), the next occurrence is moved to at most this many ms away. */
  firstAfter?: number;
}

/** The first occurrence after `now` on the grid `observed + k × every` (missed occurrences collapse into one). */
export function nextOccurrence(observed: number, every: number, now: number): number {
  if (observed > now) return observed;
  return observed + every * (Math.floor((now - observed) / every) + 1);
}

/**
 * Enqueues due occurrences. A node owns an occurrence by moving `next_run_at` from the value it read to the
 * next one (compare-and-set) in the same transaction as the enqueue: of several nodes that read the same due
 * row only one update matches, and the job's dedupe key `schedule:<name>:<occurrence>` backs that up.
 */
export class Scheduler {
  constructor(
    private readonly db: Db,
    private readonly schedules: readonly Schedule[],
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Creates the missing schedule rows (first occurrence: one period from now) and records changed periods; a
   * schedule with `firstAfter` has its next occurrence brought forward to at most that far from now (of several
   * schedulers starting together, the earliest wins and the others change nothing).
   */
  async register(): Promise<void> {
    const now = this.clock();
    for (const schedule of this.schedules) {
      const first = now + Math.min(schedule.firstAfter ?? schedule.every, schedule.every);
      await this.db
        .insertInto('schedules')
        .values({
          name: schedule.name,
          every_ms: schedule.every,
          next_run_at: first,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({ every_ms: eb.ref('excluded.every_ms') })),
        )
        .execute();
      if (schedule.firstAfter !== undefined) {
        await this.db
          .updateTable('schedules')
          .set({ next_run_at: first, updated_at: now })
          .where('name', '=', schedule.name)
          .where('next_run_at', '>', first)
          .execute();
      }
    }
  }

  /** Enqueues every due occurrence this node wins; returns how many it enqueued. */
  async tick(): Promise<number> {
    if (this.schedules.length === 0) return 0;
    const now = this.clock();
    const due = await this.db
      .selectFrom('schedules')
      .select(['name', 'every_ms', 'next_run_at'])
      .where(
        'name',
        'in',
        this.schedules.map((s) => s.name),
      )
      .where('next_run_at', '<=', now)
      .execute();
    let enqueued = 0;
    for (const row of due) {
      const won = await this.db.transaction().execute(async (tx) => {
        const moved = await tx
          .updateTable('schedules')
          .set({ next_run_at: nextOccurrence(row.next_run_at, row.every_ms, now), updated_at: now })
          .where('name', '=', row.name)
          .where('next_run_at', '=', row.next_run_at)
          .executeTakeFirst();
        if (moved.numUpdatedRows !== 1n) return false;
        const id = await enqueue(
          tx,
          { name: row.name, dedupeKey: `schedule:${row.name}:${row.next_run_at}` },
          now,
        );
        return id !== undefined;
      });
      if (won) enqueued += 1;
    }
    return enqueued;
  }
}
