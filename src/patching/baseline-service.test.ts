import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import type { Db } from '../storage/database.js';
import { PatchBaselineService, maxCustomBaselines, type PatchInstance } from './baseline-service.js';
import type { BaselineDefinition } from './patching-model.js';
import { PatchStateService } from './patch-state-service.js';
import type { PatchStateSource } from './patch-state.js';
import { predefinedBaselineId } from './predefined-baselines.js';
import { PatchingStore } from './patching-store.js';

function definition(name: string, overrides: Partial<BaselineDefinition> = {}): BaselineDefinition {
  return {
    name,
    operatingSystem: 'UBUNTU',
    globalFilters: [{ key: 'PRODUCT', values: ['Ubuntu22.04'] }],
    approvalRules: [
      {
        filters: [{ key: 'PRIORITY', values: ['Required'] }],
        complianceLevel: 'CRITICAL',
        enableNonSecurity: false,
      },
    ],
    approvedPatches: ['openssl'],
    approvedPatchesComplianceLevel: 'HIGH',
    approvedPatchesEnableNonSecurity: false,
    rejectedPatches: [],
    rejectedPatchesAction: 'BLOCK',
    sources: [],
    ...overrides,
  };
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { exceptionName?: string }).exceptionName ?? String(error);
  }
  return 'no error';
}

describe('PatchBaselineService (service, real database)', () => {
  let db: Db;
  const instances = new Map<string, PatchInstance>();
  const service = new PatchBaselineService(new PatchingStore(), {
    findInstance: (_db, _scope, id) => Promise.resolve(instances.get(id)),
  });

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  it('creates, gets, updates (with and without Replace) and deletes a baseline', async () => {
    const id = await inCtx(db, (ctx) =>
      service.create(ctx, definition('web-ubuntu', { description: 'web' })),
    );
    assert.match(id, /^pb-[0-9a-f]{17}$/);
    const got = await inCtx(db, (ctx) => service.get(ctx, id));
    assert.equal(got.baseline.name, 'web-ubuntu');
    assert.equal(got.baseline.rejectedPatchesAction, 'BLOCK');
    assert.deepEqual(got.patchGroups, []);

    const later = new Date(Date.now() + 60_000);
    const patched = await inCtx(
      db,
      (ctx) => service.update(ctx, id, { rejectedPatches: ['telnet'] }, false),
      { now: later },
    );
    assert.deepEqual(patched.approvedPatches, ['openssl']);
    assert.deepEqual(patched.rejectedPatches, ['telnet']);
    assert.equal(patched.modifiedAt.getTime(), later.getTime());

    const replaced = await inCtx(db, (ctx) => service.update(ctx, id, { description: 'replaced' }, true));
    assert.deepEqual(replaced.approvedPatches, []);
    assert.deepEqual(replaced.approvalRules, []);
    assert.equal(replaced.rejectedPatchesAction, 'ALLOW_AS_DEPENDENCY');
    assert.equal(replaced.name, 'web-ubuntu');

    // Also addressable by its own ARN.
    const arn = `arn:aws:ssm:us-east-1:111122223333:patchbaseline/${id}`;
    assert.equal((await inCtx(db, (ctx) => service.get(ctx, arn))).baseline.baselineId, id);

    assert.equal(await inCtx(db, (ctx) => service.delete(ctx, id)), id);
    assert.equal(await errorName(inCtx(db, (ctx) => service.get(ctx, id))), 'DoesNotExistException');
  });

  it('ClientToken: same request → same id; different request → IdempotentParameterMismatch', async () => {
    const first = await inCtx(db, (ctx) =>
      service.create(ctx, definition('token-a'), { clientToken: 'tok-1' }),
    );
    const again = await inCtx(db, (ctx) =>
      service.create(ctx, definition('token-a'), { clientToken: 'tok-1' }),
    );
    assert.equal(again, first);
    assert.equal(
      await errorName(
        inCtx(db, (ctx) => service.create(ctx, definition('token-b'), { clientToken: 'tok-1' })),
      ),
      'IdempotentParameterMismatch',
    );
  });

  it('rejects filter keys of another OS and rules without a date outside apt', async () => {
    assert.equal(
      await errorName(
        inCtx(db, (ctx) =>
          service.create(
            ctx,
            definition('bad-key', { globalFilters: [{ key: 'SEVERITY', values: ['Critical'] }] }),
          ),
        ),
      ),
      'ValidationException',
    );
    assert.equal(
      await errorName(
        inCtx(db, (ctx) =>
          service.create(
            ctx,
            definition('rhel-no-date', {
              operatingSystem: 'REDHAT_ENTERPRISE_LINUX',
              globalFilters: [],
              approvalRules: [{ filters: [], complianceLevel: 'LOW', enableNonSecurity: false }],
            }),
          ),
        ),
      ),
      'ValidationException',
    );
  });

  it('AWS baselines are read-only and need their full ARN', async () => {
    const arn = predefinedBaselineId('us-east-1', 'DEBIAN');
    const got = await inCtx(db, (ctx) => service.get(ctx, arn));
    assert.equal(got.baseline.name, 'AWS-DebianDefaultPatchBaseline');
    assert.equal(
      await errorName(inCtx(db, (ctx) => service.get(ctx, 'pb-09a5f8eb62bde80b1'))),
      'DoesNotExistException',
    );
    assert.equal(await errorName(inCtx(db, (ctx) => service.delete(ctx, arn))), 'InvalidResourceId');
  });

  it('defaults, patch groups, in-use deletes, listings and snapshots', async () => {
    const accountId = '444455556666';
    const opts = { accountId };
    const id = await inCtx(db, (ctx) => service.create(ctx, definition('groups')), opts);
    assert.equal(
      await inCtx(db, (ctx) => service.getDefault(ctx, 'UBUNTU'), opts),
      predefinedBaselineId('us-east-1', 'UBUNTU'),
    );

    await inCtx(db, (ctx) => service.registerPatchGroup(ctx, id, 'web'), opts);
    assert.equal(
      await errorName(
        inCtx(
          db,
          (ctx) => service.registerPatchGroup(ctx, predefinedBaselineId('us-east-1', 'UBUNTU'), 'web'),
          opts,
        ),
      ),
      'AlreadyExistsException',
    );
    // Another OS in the same group is fine.
    await inCtx(
      db,
      (ctx) => service.registerPatchGroup(ctx, predefinedBaselineId('us-east-1', 'DEBIAN'), 'web'),
      opts,
    );
    assert.equal(await inCtx(db, (ctx) => service.getForPatchGroup(ctx, 'web', 'UBUNTU'), opts), id);
    assert.equal(
      await inCtx(db, (ctx) => service.getForPatchGroup(ctx, 'db', 'UBUNTU'), opts),
      predefinedBaselineId('us-east-1', 'UBUNTU'),
    );
    assert.deepEqual((await inCtx(db, (ctx) => service.get(ctx, id), opts)).patchGroups, ['web']);
    assert.equal(
      await errorName(inCtx(db, (ctx) => service.delete(ctx, id), opts)),
      'ResourceInUseException',
    );

    const groups = await inCtx(
      db,
      (ctx) => service.describePatchGroups(ctx, { operatingSystems: ['UBUNTU'] }),
      opts,
    );
    assert.deepEqual(
      groups.map((g) => [g.patchGroup, g.baseline.baselineId]),
      [['web', id]],
    );

    // Snapshot: the group's baseline, frozen per SnapshotId.
    instances.set('mi-0123456789abcdef0', {
      platform: { operatingSystem: 'UBUNTU', product: 'Ubuntu22.04' },
      patchGroup: 'web',
    });
    const snapshotId = '11111111-2222-3333-4444-555555555555';
    const first = await inCtx(
      db,
      (ctx) => service.deployableSnapshot(ctx, { instanceId: 'mi-0123456789abcdef0', snapshotId }),
      opts,
    );
    assert.equal(first.product, 'Ubuntu22.04');
    const doc = JSON.parse(first.document) as {
      patchBaseline: { baselineId: string; rejectedPatches: string[] };
      patchGroup: string;
    };
    assert.equal(doc.patchBaseline.baselineId, id);
    assert.equal(doc.patchGroup, 'web');
    await inCtx(db, (ctx) => service.update(ctx, id, { rejectedPatches: ['later'] }, false), opts);
    const second = await inCtx(
      db,
      (ctx) => service.deployableSnapshot(ctx, { instanceId: 'mi-0123456789abcdef0', snapshotId }),
      opts,
    );
    assert.deepEqual((JSON.parse(second.document) as typeof doc).patchBaseline.rejectedPatches, []);
    assert.equal(
      await errorName(
        inCtx(
          db,
          (ctx) => service.deployableSnapshot(ctx, { instanceId: 'mi-00000000000000000', snapshotId }),
          opts,
        ),
      ),
      'InvalidInstanceId',
    );

    await inCtx(db, (ctx) => service.deregisterPatchGroup(ctx, id, 'web'), opts);
    await inCtx(db, (ctx) => service.registerDefault(ctx, id), opts);
    assert.equal(await inCtx(db, (ctx) => service.getDefault(ctx, 'UBUNTU'), opts), id);
    const listing = await inCtx(
      db,
      (ctx) => service.describe(ctx, { owner: 'All', operatingSystems: ['UBUNTU'] }),
      opts,
    );
    assert.deepEqual(
      listing.map((entry) => [entry.baseline.baselineId, entry.isDefault]),
      [
        [predefinedBaselineId('us-east-1', 'UBUNTU'), false],
        [id, true],
      ],
    );
    assert.equal(
      await errorName(inCtx(db, (ctx) => service.delete(ctx, id), opts)),
      'ResourceInUseException',
    );
    await inCtx(db, (ctx) => service.registerDefault(ctx, predefinedBaselineId('us-east-1', 'UBUNTU')), opts);
    assert.equal(await inCtx(db, (ctx) => service.delete(ctx, id), opts), id);
  });

  it(`at most ${maxCustomBaselines} custom baselines per account and Region`, async () => {
    const opts = { accountId: '777788889999' };
    for (let i = 0; i < maxCustomBaselines; i += 1) {
      await inCtx(db, (ctx) => service.create(ctx, definition(`limit-${i}`)), opts);
    }
    assert.equal(
      await errorName(inCtx(db, (ctx) => service.create(ctx, definition('one-too-many')), opts)),
      'ResourceLimitExceededException',
    );
  });
});

describe('PatchStateService (fake source)', () => {
  let db: Db;
  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  const summary = (instanceId: string, group: string, missing: string, critical: string) => ({
    instanceId,
    attributes: {
      PatchGroup: group,
      BaselineId: 'pb-0123456789abcdef0',
      SnapshotId: '11111111-2222-3333-4444-555555555555',
      InstalledCount: '10',
      InstalledOtherCount: '400',
      InstalledPendingRebootCount: '0',
      InstalledRejectedCount: '0',
      MissingCount: missing,
      FailedCount: '0',
      NotApplicableCount: '2000',
      CriticalNonCompliantCount: critical,
      SecurityNonCompliantCount: missing,
      OtherNonCompliantCount: '0',
      OperationType: 'Scan',
      OperationStartTime: '2025-11-20T10:00:00Z',
      OperationEndTime: '2025-11-20T10:01:30Z',
      RebootOption: 'NoReboot',
    },
  });
  const source: PatchStateSource = {
    reportedPatchTitles: async (db, scope, { from, inclusive, limit }) =>
      ((await source.patchRows(db, scope, 'mi-0000000000000000b', { after: undefined, limit: 100 })) ?? [])
        .map(({ row }) => row['Title'] ?? '')
        .filter((title) => from === undefined || title > from || (inclusive && title === from))
        .sort()
        .slice(0, limit),
    fleetPatchRows: async (db, scope, titles) =>
      ((await source.patchRows(db, scope, 'mi-0000000000000000b', { after: undefined, limit: 100 })) ?? [])
        .filter(({ row }) => titles.includes(row['Title'] ?? ''))
        .map(({ row }) => ({ product: 'Ubuntu22.04', row })),
    patchSummaries: (_db, _scope, { instanceIds, after }) =>
      Promise.resolve(
        [
          summary('mi-0000000000000000a', 'web', '0', '0'),
          summary('mi-0000000000000000b', 'web', '3', '1'),
          summary('mi-0000000000000000c', 'db', '1', '0'),
        ].filter(
          (s) =>
            (instanceIds === undefined || instanceIds.includes(s.instanceId)) &&
            (after === undefined || s.instanceId > String(after[0])),
        ),
      ),
    patchRows: (_db, _scope, _instanceId, { after }) =>
      Promise.resolve(
        [
          {
            Id: 'openssl.amd64',
            Title: 'openssl.amd64:3.0.2-0ubuntu1.15',
            Classification: 'Security',
            PatchSeverity: 'optional',
            PatchState: 'Missing',
            InstalledTime: '',
            Severity: 'CRITICAL',
            Status: 'NON_COMPLIANT',
          },
          {
            Id: 'bash.amd64',
            Title: 'bash.amd64:5.1-6ubuntu1',
            Classification: '',
            PatchSeverity: 'required',
            PatchState: 'InstalledOther',
            InstalledTime: '2025-01-02T03:04:05Z',
            Severity: 'UNSPECIFIED',
            Status: 'COMPLIANT',
          },
        ]
          .map((row, at) => ({ key: [at], row }))
          .filter((row) => after === undefined || Number(row.key[0]) > Number(after[0])),
      ),
  };
  const firstPage = { after: undefined, limit: 100 };
  const states = new PatchStateService(source);

  it('available patches: the fleet rows once per package version, filtered', async () => {
    const found = await inCtx(db, (ctx) =>
      states.availablePatches(ctx, [{ key: 'CLASSIFICATION', values: ['security'] }], firstPage),
    );
    assert.deepEqual(
      found.map((p) => [p.id, p.product]),
      [['openssl.amd64:3.0.2-0ubuntu1.15', 'Ubuntu22.04']],
    );
  });

  it('maps summaries, unreported NotApplicable = -1, sorted by node', async () => {
    const found = await inCtx(db, (ctx) =>
      states.instancePatchStates(ctx, ['mi-0000000000000000b', 'mi-0000000000000000a'], firstPage),
    );
    assert.deepEqual(
      found.map((s) => s.instanceId),
      ['mi-0000000000000000a', 'mi-0000000000000000b'],
    );
    const b = found[1];
    assert.equal(b?.counts.MissingCount, 3);
    assert.equal(b?.counts.UnreportedNotApplicableCount, -1);
    assert.equal(b?.nonCompliant.CriticalNonCompliantCount, 1);
    assert.equal(b?.operation, 'Scan');
    assert.equal(b?.operationEndTime.toISOString(), '2025-11-20T10:01:30.000Z');
  });

  it('group filters and group state', async () => {
    const filtered = await inCtx(db, (ctx) =>
      states.instancePatchStatesForPatchGroup(
        ctx,
        'web',
        [{ key: 'MissingCount', value: 0, type: 'GreaterThan' }],
        firstPage,
      ),
    );
    assert.deepEqual(
      filtered.map((s) => s.instanceId),
      ['mi-0000000000000000b'],
    );
    const group = await inCtx(db, (ctx) => states.patchGroupState(ctx, 'web'));
    assert.equal(group.instances, 2);
    assert.equal(group.withMissing, 1);
    assert.equal(group.withCriticalNonCompliant, 1);
    assert.equal(group.withUnreportedNotApplicable, 0);
  });

  it('patch rows: vendor severity, epoch 0 for Missing, State filter in either spelling', async () => {
    const all = await inCtx(db, (ctx) => states.instancePatches(ctx, 'mi-0000000000000000b', [], firstPage));
    assert.equal(all[0]?.item.severity, 'optional');
    assert.equal(all[0]?.item.installedTime.getTime(), 0);
    const missing = await inCtx(db, (ctx) =>
      states.instancePatches(ctx, 'mi-0000000000000000b', [{ key: 'State', values: ['MISSING'] }], firstPage),
    );
    assert.deepEqual(
      missing.map((p) => p.item.kbId),
      ['openssl.amd64'],
    );
  });
});
