import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { z } from 'zod';
import { inCtx, openTestDatabase } from '../../../test/support/service-context.js';
import { afterKey, ApiError, encodeKeysetToken } from '../../kernel/index.js';
import { ssmListOperation } from './list-operation.js';

interface ProbeRow {
  at_ms: number;
  id: string;
}

const probeList = ssmListOperation({
  name: 'ListProbes',
  schema: z.object({ MaxResults: z.number().optional(), NextToken: z.string().optional() }),
  resultKey: 'Probes',
  defaultMaxResults: 2,
  load: (ctx, query) =>
    ctx.tx
      .selectFrom(sql<ProbeRow>`list_probe`.as('p'))
      .selectAll()
      .$if(query.after !== undefined, (q) => q.where(afterKey(['at_ms', 'id'], query.after ?? [])))
      .orderBy('at_ms')
      .orderBy('id')
      .limit(query.limit)
      .execute(),
  keyOf: (row) => [Number(row.at_ms), row.id],
  toWire: (row) => row.id,
});

describe('ssmListOperation', () => {
  it('pages through every row and refuses a hand-made token whose key does not fit the list (400, not 500)', async () => {
    const db = await openTestDatabase();
    try {
      await sql`create table list_probe (at_ms bigint not null, id text not null, primary key (at_ms, id))`.execute(
        db,
      );
      for (const [at, id] of [
        [1, 'a'],
        [1, 'b'],
        [2, 'c'],
        [3, 'd'],
        [3, 'e'],
      ] as const) {
        await sql`insert into list_probe values (${at}, ${id})`.execute(db);
      }
      const call = (body: Record<string, unknown>) =>
        inCtx(db, (ctx) =>
          probeList.operation.prepare({ labels: {}, query: new URLSearchParams(), body }).run(ctx),
        ) as Promise<{ Probes: string[]; NextToken?: string }>;

      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await call(token === undefined ? {} : { NextToken: token });
        seen.push(...page.Probes);
        token = page.NextToken;
      } while (token !== undefined);
      assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);

      const isInvalidToken = (error: unknown) =>
        error instanceof ApiError && error.exceptionName === 'InvalidNextToken';
      for (const forged of [['x'], [1, 'b', 'extra']]) {
        await assert.rejects(call({ NextToken: encodeKeysetToken(forged, {}) }), isInvalidToken);
      }
      // A value of the wrong type: PostgreSQL refuses the comparison (InvalidNextToken); SQLite orders numbers
      // before text, so the page after it is empty. Either way, never an internal error.
      await call({ NextToken: encodeKeysetToken(['not-a-number', 'b'], {}) }).then(
        (page) => assert.deepEqual(page.Probes, []),
        (error: unknown) => assert.ok(isInvalidToken(error), String(error)),
      );
    } finally {
      await sql`drop table if exists list_probe`.execute(db);
      await db.destroy();
    }
  });
});
