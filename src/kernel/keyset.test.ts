import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openTestDatabase } from '../../test/support/service-context.js';
import { ApiError } from './api-error.js';
import {
  afterKey,
  decodeKeysetToken,
  encodeKeysetToken,
  keysetPageOf,
  keysetSlice,
  type SortKey,
} from './keyset.js';

const invalid = () => new ApiError('InvalidInput', 'bad token', 'InvalidNextToken');

describe('keyset paging', () => {
  it('pages a table in SQL by a two-column key, with ties on the first column, on this engine', async () => {
    const db = await openTestDatabase();
    try {
      await sql`create table keyset_probe (name text not null, seq integer not null, primary key (name, seq))`.execute(
        db,
      );
      const rows: [string, number][] = [];
      for (const name of ['a', 'b', 'b', 'b', 'c', 'd', 'd']) rows.push([name, rows.length]);
      for (const [name, seq] of rows)
        await sql`insert into keyset_probe values (${name}, ${seq})`.execute(db);
      const seen: string[] = [];
      let after: SortKey | undefined;
      for (let guard = 0; guard < 10; guard += 1) {
        const read = await db
          .selectFrom(sql<{ name: string; seq: number }>`keyset_probe`.as('p'))
          .selectAll()
          .$if(after !== undefined, (query) => query.where(afterKey(['name', 'seq'], after ?? [])))
          .orderBy('name')
          .orderBy('seq')
          .limit(3)
          .execute();
        const page = keysetPageOf(read, 2, (row) => [row.name, Number(row.seq)]);
        seen.push(...page.items.map((row) => `${row.name}${row.seq}`));
        if (page.lastKey === undefined) break;
        after = page.lastKey;
      }
      assert.deepEqual(seen, ['a0', 'b1', 'b2', 'b3', 'c4', 'd5', 'd6']);
    } finally {
      await sql`drop table if exists keyset_probe`.execute(db);
      await db.destroy();
    }
  });

  it('binds a token to the request that made it', () => {
    const token = encodeKeysetToken(['b', 2], { Filters: ['x'] });
    assert.deepEqual(decodeKeysetToken(token, { requestKey: { Filters: ['x'] }, invalidToken: invalid }), [
      'b',
      2,
    ]);
    assert.throws(
      () => decodeKeysetToken(token, { requestKey: { Filters: ['y'] }, invalidToken: invalid }),
      /bad token/,
    );
    assert.throws(() => decodeKeysetToken('garbage', { requestKey: {}, invalidToken: invalid }), /bad token/);
    assert.equal(decodeKeysetToken(undefined, { requestKey: {}, invalidToken: invalid }), undefined);
    assert.equal(decodeKeysetToken('', { requestKey: {}, invalidToken: invalid }), undefined);
  });

  it('slices a short in-memory list after a key', () => {
    const rows = ['a', 'b', 'c', 'd'];
    assert.deepEqual(
      keysetSlice(rows, ['b'], 1, (row) => [row]),
      ['c', 'd'],
    );
    assert.deepEqual(
      keysetSlice(rows, ['d'], 1, (row) => [row]),
      [],
    );
    assert.deepEqual(
      keysetSlice(rows, undefined, 5, (row) => [row]),
      rows,
    );
  });
});
