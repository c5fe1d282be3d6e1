import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { buildDocumentServices } from '../../test/support/documents-services.js';
import { documentsRoutes } from './documents-routes.js';

const owner = '111111111111';
const friend = '222222222222';
const node = 'mi-0123456789abcdef0';
const t0 = new Date(Date.UTC(2025, 0, 1));

const content = (echo: string): string =>
  JSON.stringify({
    schemaVersion: '2.2',
    description: 'Echo',
    mainSteps: [{ action: 'aws:runShellScript', name: 'echo', inputs: { runCommand: [`echo ${echo}`] } }],
  });

describe('keyset paging of document and association lists', () => {
  let db: Db;
  const { documents, settings, associations } = buildDocumentServices();
  const routes = documentsRoutes(documents, settings, associations);

  /** Calls operation `name` as `accountId` at `now`, the way the transport does. */
  const call = async (
    name: string,
    body: Record<string, unknown>,
    accountId = owner,
    now = t0,
  ): Promise<Record<string, unknown>> => {
    const route = routes.find((r) => r.operation.name === name) ?? assert.fail(`no route ${name}`);
    const prepared = route.operation.prepare({ labels: {}, query: new URLSearchParams(), body });
    return inCtx(db, async (ctx) => (await prepared.run(ctx)) as Record<string, unknown>, { accountId, now });
  };

  /** Every item of a list read `pageSize` at a time, and how many pages that took. */
  const readAll = async (
    name: string,
    body: Record<string, unknown>,
    resultKey: string,
    pageSize: number,
  ): Promise<{ items: Record<string, unknown>[]; pages: number }> => {
    const items: Record<string, unknown>[] = [];
    let token: unknown;
    let pages = 0;
    do {
      const page = await call(name, {
        ...body,
        MaxResults: pageSize,
        ...(token === undefined ? {} : { NextToken: token }),
      });
      items.push(...(page[resultKey] as Record<string, unknown>[]));
      token = page['NextToken'];
      pages += 1;
      assert.ok(pages < 50, 'paging ends');
    } while (token !== undefined);
    return { items, pages };
  };

  before(async () => {
    db = await openTestDatabase();
    const create = (accountId: string, name: string) =>
      inCtx(
        db,
        (ctx) =>
          documents.create(ctx, {
            name,
            content: content(name),
            documentType: 'Command',
            documentFormat: 'JSON',
          }),
        { accountId, now: t0 },
      );
    for (const name of ['Beta', 'Gamma', 'Same-Name', 'Zulu']) await create(owner, name);
    // Another account's document of the same name, shared with the owner: a tie in the first sort column.
    await create(friend, 'Same-Name');
    await inCtx(
      db,
      (ctx) =>
        documents.modifyPermission(ctx, {
          name: 'Same-Name',
          add: [owner],
          remove: [],
          sharedVersion: undefined,
        }),
      { accountId: friend, now: t0 },
    );
  });
  after(async () => {
    await db.destroy();
  });

  it('ListDocuments pages built-in, own and shared documents in (name, owner) order at any page size', async () => {
    const whole = await readAll('ListDocuments', {}, 'DocumentIdentifiers', 50);
    assert.equal(whole.pages, 1);
    const listed = whole.items.map((d) => `${String(d['Name'])}/${String(d['Owner'])}`);
    assert.deepEqual(listed, [
      'AWS-RunPatchBaseline/Amazon',
      'AWS-RunShellScript/Amazon',
      `Beta/${owner}`,
      `Gamma/${owner}`,
      `Same-Name/${owner}`,
      `Same-Name/${friend}`,
      `Zulu/${owner}`,
    ]);
    for (const size of [1, 2, 3]) {
      const paged = await readAll('ListDocuments', {}, 'DocumentIdentifiers', size);
      assert.deepEqual(paged.items, whole.items, `page size ${size}`);
      assert.equal(paged.pages, Math.ceil(listed.length / size));
    }
    const linux = await readAll(
      'ListDocuments',
      { Filters: [{ Key: 'PlatformTypes', Values: ['Linux'] }] },
      'DocumentIdentifiers',
      1,
    );
    assert.deepEqual(
      linux.items.map((d) => d['Name']),
      ['AWS-RunPatchBaseline', 'AWS-RunShellScript', 'Beta', 'Gamma', 'Same-Name', 'Same-Name', 'Zulu'],
    );
    const own = await readAll(
      'ListDocuments',
      {
        Filters: [
          { Key: 'Owner', Values: ['Self'] },
          { Key: 'Name', Values: ['Same'] },
        ],
      },
      'DocumentIdentifiers',
      1,
    );
    assert.deepEqual(
      own.items.map((d) => d['Owner']),
      [owner],
    );
  });

  it('ListAssociations and DescribeAssociationExecutions page through ties in their first sort column', async () => {
    const ids: string[] = [];
    for (let at = 0; at < 5; at += 1) {
      const view = await inCtx(
        db,
        (ctx) =>
          associations.create(ctx, {
            name: 'AWS-RunShellScript',
            targets: [{ key: 'InstanceIds', values: ['*'] }],
            parameters: { commands: ['true'] },
          }),
        { accountId: owner, now: t0 },
      );
      ids.push(view.association.associationId);
    }
    const listed = await readAll('ListAssociations', {}, 'Associations', 2);
    assert.deepEqual(
      listed.items.map((a) => a['AssociationId']),
      [...ids].sort(),
      'same creation time: by id',
    );
    assert.equal(listed.pages, 3);

    const associationId = ids[0] ?? assert.fail('no association');
    const runs = [
      { executionId: 'exec-b', at: t0 },
      { executionId: 'exec-a', at: t0 },
      { executionId: 'exec-c', at: new Date(t0.getTime() + 1000) },
      { executionId: 'exec-d', at: new Date(t0.getTime() - 1000) },
    ];
    for (const run of runs) {
      await inCtx(
        db,
        (ctx) =>
          associations.reportResult(ctx, associationId, node, 'Success', {
            executionId: run.executionId,
            executedAt: run.at,
          }),
        { accountId: owner, now: run.at },
      );
    }
    const executions = await readAll(
      'DescribeAssociationExecutions',
      { AssociationId: associationId },
      'AssociationExecutions',
      1,
    );
    assert.deepEqual(
      executions.items.map((e) => e['ExecutionId']),
      ['exec-c', 'exec-a', 'exec-b', 'exec-d'],
      'newest first, then by id',
    );
    const older = await readAll(
      'DescribeAssociationExecutions',
      {
        AssociationId: associationId,
        Filters: [{ Key: 'CreatedTime', Value: String((t0.getTime() + 1000) / 1000), Type: 'LESS_THAN' }],
      },
      'AssociationExecutions',
      2,
    );
    assert.deepEqual(
      older.items.map((e) => e['ExecutionId']),
      ['exec-a', 'exec-b', 'exec-d'],
    );
  });

  it("refuses a token that isn't one, or one made for another request", async () => {
    const first = await call('ListAssociations', { MaxResults: 1 });
    const token = first['NextToken'] ?? assert.fail('a second page');
    const refused = (body: Record<string, unknown>) =>
      assert.rejects(call('ListAssociations', body), (error: ApiError) => {
        assert.equal(error.exceptionName, 'InvalidNextToken');
        return true;
      });
    await refused({ NextToken: 'not-a-token' });
    await refused({
      NextToken: token,
      AssociationFilterList: [{ key: 'AssociationName', value: 'other' }],
    });
  });
});
