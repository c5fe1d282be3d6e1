import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keysetPageOf, type SortKey } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import type { Command, Invocation, InvocationOfCommand } from './command-model.js';
import type { CommandDocuments, CommandInstances } from './command-ports.js';
import { CommandsService } from './command-service.js';
import { commandKeyOf, CommandsStore, invocationKeyOf } from './command-store.js';
import { InvocationTransitions } from './invocation-transitions.js';

const account = '444455556666';
const region = 'eu-west-1';
const t0 = Date.parse('2026-03-01T00:00:00Z');
/** Commands sent two at a time (the same millisecond), four nodes each: 1,040 invocations. */
const commandCount = 260;
const nodes = [
  'mi-00000000000000001',
  'mi-00000000000000002',
  'mi-00000000000000003',
  'mi-00000000000000004',
];

function commandAt(index: number): { command: Command; invocations: Invocation[] } {
  const requestedAt = new Date(t0 + Math.floor(index / 2) * 1000);
  const commandId = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  const status = index % 4 === 0 ? 'Failed' : 'Success';
  const command: Command = {
    commandId,
    accountId: account,
    region,
    documentName: index % 2 === 0 ? 'AWS-RunShellScript' : 'Custom-Doc',
    documentVersion: '1',
    parameters: {},
    instanceIds: nodes,
    targets: undefined,
    comment: undefined,
    maxConcurrency: '50',
    maxErrors: '0',
    timeoutSeconds: 3600,
    executionTimeoutSeconds: 3600,
    requestedAt,
    expiresAt: new Date(requestedAt.getTime() + 7_200_000),
    cancelRequested: false,
    status,
    statusDetails: status,
    targetCount: nodes.length,
    completedCount: nodes.length,
    errorCount: status === 'Failed' ? nodes.length : 0,
    deliveryTimedOutCount: 0,
  };
  const invocations = nodes.map((instanceId): Invocation => ({
    commandId,
    instanceId,
    accountId: account,
    region,
    status,
    statusDetails: status,
    responseCode: status === 'Success' ? 0 : 1,
    standardOutput: '',
    standardError: '',
    requestedAt,
    dispatchedAt: requestedAt,
    deliveryCount: 1,
    leaseExpiresAt: undefined,
    startedAt: requestedAt,
    endedAt: requestedAt,
    updatedAt: requestedAt,
    revision: 1,
  }));
  return { command, invocations };
}

/** Every page of a listing, read the way ListCommands / ListCommandInvocations read them. */
async function allPages<T>(
  read: (after: SortKey | undefined, limit: number) => Promise<T[]>,
  keyOf: (row: T) => SortKey,
  pageSize: number,
): Promise<{ rows: T[]; pages: number }> {
  const rows: T[] = [];
  let after: SortKey | undefined;
  for (let pages = 1; ; pages += 1) {
    const page = keysetPageOf(await read(after, pageSize + 1), pageSize, keyOf);
    rows.push(...page.items);
    if (page.lastKey === undefined) return { rows, pages };
    after = page.lastKey;
  }
}

describe('Run Command listings page in SQL', () => {
  let db: Db;
  let commands: CommandsService;
  const admin = <T>(body: Parameters<typeof inCtx<T>>[1]) =>
    inCtx(db, body, { accountId: account, region, now: new Date(t0 + 86_400_000) });

  before(async () => {
    db = await openTestDatabase();
    const store = new CommandsStore();
    // Listing reads no documents and no instances.
    commands = new CommandsService(
      store,
      new InvocationTransitions(store),
      {} as CommandDocuments,
      {} as CommandInstances,
    );
    for (let index = 0; index < commandCount; index += 1) {
      const { command, invocations } = commandAt(index);
      await store.insertCommand(db, command, invocations);
    }
  });
  after(async () => {
    await db.destroy();
  });

  const expectedInvocations = (keep: (index: number) => boolean = () => true): string[] =>
    Array.from({ length: commandCount }, (_, index) => index)
      .filter(keep)
      .map((index) => commandAt(index))
      .sort(
        (a, b) =>
          b.command.requestedAt.getTime() - a.command.requestedAt.getTime() ||
          a.command.commandId.localeCompare(b.command.commandId),
      )
      .flatMap(({ command }) => nodes.map((node) => `${command.commandId}/${node}`));
  const ids = (rows: InvocationOfCommand[]) =>
    rows.map((r) => `${r.command.commandId}/${r.invocation.instanceId}`);

  it('reaches every invocation beyond the first 1,000, newest first, across pages that split ties', async () => {
    const { rows, pages } = await allPages(
      (after, limit) => admin((ctx) => commands.listInvocations(ctx, { filters: [], after, limit })),
      invocationKeyOf,
      50,
    );
    assert.equal(rows.length, commandCount * nodes.length);
    assert.equal(pages, Math.ceil((commandCount * nodes.length) / 50));
    assert.deepEqual(ids(rows), expectedInvocations());
  });

  it('filters in SQL, so every page is full until the last', async () => {
    const { rows, pages } = await allPages(
      (after, limit) =>
        admin((ctx) =>
          commands.listInvocations(ctx, {
            filters: [
              { key: 'Status', value: 'Success' },
              { key: 'DocumentName', value: 'Custom-Doc' },
            ],
            after,
            limit,
          }),
        ),
      invocationKeyOf,
      7,
    );
    const expected = expectedInvocations((index) => index % 2 === 1);
    assert.deepEqual(ids(rows), expected);
    assert.equal(pages, Math.ceil(expected.length / 7));
  });

  it('pages commands with the same request time without losing or repeating one', async () => {
    const { rows } = await allPages(
      (after, limit) =>
        admin((ctx) =>
          commands.listCommands(ctx, {
            filters: [{ key: 'InvokedAfter', value: new Date(t0 + 10_000).toISOString() }],
            after,
            limit,
          }),
        ),
      commandKeyOf,
      3,
    );
    const expected = expectedInvocations((index) => index >= 20)
      .filter((id) => id.endsWith(nodes[0] ?? ''))
      .map((id) => id.split('/')[0]);
    assert.deepEqual(
      rows.map((c) => c.commandId),
      expected,
    );
  });

  it('lists one node’s invocations and refuses an unknown command', async () => {
    const node = nodes[2] ?? '';
    const { rows } = await allPages(
      (after, limit) =>
        admin((ctx) => commands.listInvocations(ctx, { instanceId: node, filters: [], after, limit })),
      invocationKeyOf,
      50,
    );
    assert.equal(rows.length, commandCount);
    assert.ok(rows.every((r) => r.invocation.instanceId === node));
    await assert.rejects(
      admin((ctx) =>
        commands.listInvocations(ctx, { commandId: '00000000-0000-4000-8000-999999999999', filters: [] }),
      ),
      (error: { exceptionName?: string }) => error.exceptionName === 'InvalidCommandId',
    );
  });
});
