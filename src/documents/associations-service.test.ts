import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { buildDocumentServices } from '../../test/support/documents-services.js';
import { targetsInstance } from './associations-service.js';

/** A page window that reads every row the tests create. */
const everything = { after: undefined, limit: 1000 };

const account = '111111111111';
const other = '222222222222';
const node1 = 'mi-0123456789abcdef0';
const node2 = 'mi-0123456789abcdef1';

async function rejects(call: Promise<unknown>, exceptionName: string): Promise<void> {
  await assert.rejects(call, (error: ApiError) => {
    assert.equal(error.exceptionName, exceptionName, error.message);
    return true;
  });
}

describe('AssociationsService', () => {
  let db: Db;
  const { associations, documents, compliance } = buildDocumentServices();
  const as = <T>(body: Parameters<typeof inCtx<T>>[1], accountId = account) => inCtx(db, body, { accountId });

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  it('creates associations with validated targets, parameters and schedules', async () => {
    const view = await as((ctx) =>
      associations.create(ctx, {
        name: 'AWS-RunPatchBaseline',
        targets: [{ key: 'InstanceIds', values: [node1, node2] }],
        parameters: { Operation: ['Scan'] },
        scheduleExpression: 'cron(0 2 ? * SUN *)',
        associationName: 'weekly-scan',
        complianceSeverity: 'HIGH',
      }),
    );
    assert.match(view.association.associationId, /^[0-9a-f-]{36}$/);
    assert.equal(view.spec.documentVersion, '$DEFAULT');
    assert.equal(view.overview.status, 'Pending');
    assert.ok(view.association.nextRunAt, 'runs on create');
    await rejects(
      as((ctx) =>
        associations.create(ctx, {
          name: 'AWS-RunPatchBaseline',
          targets: [{ key: 'InstanceIds', values: [node1] }],
        }),
      ),
      'InvalidParameters',
    );
    await rejects(
      as((ctx) =>
        associations.create(ctx, {
          name: 'AWS-RunPatchBaseline',
          targets: [{ key: 'InstanceIds', values: [node1] }],
          parameters: { Operation: ['Scan'], Nope: ['x'] },
        }),
      ),
      'InvalidParameters',
    );
    await rejects(
      as((ctx) =>
        associations.create(ctx, {
          name: 'AWS-RunPatchBaseline',
          targets: [{ key: 'Color', values: ['red'] }],
          parameters: { Operation: ['Scan'] },
        }),
      ),
      'InvalidTarget',
    );
    await rejects(
      as((ctx) =>
        associations.create(ctx, {
          name: 'AWS-RunPatchBaseline',
          targets: [{ key: 'InstanceIds', values: [node1] }],
          parameters: { Operation: ['Scan'] },
          scheduleExpression: 'rate(5 minutes)',
        }),
      ),
      'InvalidSchedule',
    );
    await rejects(
      as((ctx) =>
        associations.create(ctx, {
          name: 'AWS-RunPatchBaseline',
          targets: [{ key: 'InstanceIds', values: [node1] }],
          parameters: { Operation: ['Scan'] },
          scheduleExpression: 'rate(1 hour)',
          applyOnlyAtCronInterval: true,
        }),
      ),
      'InvalidSchedule',
    );
    await rejects(
      as((ctx) =>
        associations.create(ctx, { name: 'NoSuchDoc', targets: [{ key: 'InstanceIds', values: [node1] }] }),
      ),
      'InvalidDocument',
    );
    await rejects(
      as((ctx) =>
        associations.create(ctx, {
          name: 'AWS-RunShellScript',
          documentVersion: '4',
          targets: [{ key: 'InstanceIds', values: [node1] }],
          parameters: { commands: ['ls'] },
        }),
      ),
      'InvalidDocumentVersion',
    );

    const cronOnly = await as((ctx) =>
      associations.create(ctx, {
        name: 'AWS-RunShellScript',
        targets: [{ key: 'tag:Env', values: ['prod'] }],
        parameters: { commands: ['uptime'] },
        scheduleExpression: 'cron(0 2 ? * SUN *)',
        applyOnlyAtCronInterval: true,
      }),
    );
    assert.equal(cronOnly.association.nextRunAt?.getUTCDay(), 0, 'next run is a Sunday');
    assert.equal(cronOnly.association.nextRunAt?.getUTCHours(), 2);

    await as((ctx) =>
      associations.create(ctx, {
        name: 'AWS-RunShellScript',
        instanceId: node1,
        parameters: { commands: ['id'] },
      }),
    );
    await rejects(
      as((ctx) =>
        associations.create(ctx, {
          name: 'AWS-RunShellScript',
          instanceId: node1,
          parameters: { commands: ['id'] },
        }),
      ),
      'AssociationAlreadyExists',
    );
    const legacy = await as((ctx) =>
      associations.describe(ctx, { name: 'AWS-RunShellScript', instanceId: node1 }),
    );
    assert.equal(legacy.spec.instanceId, node1);
  });

  it('updates into new versions, lists with filters, and hides other accounts', async () => {
    const created = await as((ctx) =>
      associations.create(ctx, {
        name: 'AWS-RunShellScript',
        targets: [{ key: 'InstanceIds', values: ['*'] }],
        parameters: { commands: ['ls'] },
        associationName: 'versioned',
      }),
    );
    const id = created.association.associationId;
    await rejects(
      as((ctx) => associations.update(ctx, { associationId: id, associationVersion: '7' })),
      'InvalidAssociationVersion',
    );
    const updated = await as((ctx) =>
      associations.update(ctx, {
        associationId: id,
        parameters: { commands: ['ls -l'] },
        maxConcurrency: '10%',
        associationVersion: '$LATEST',
      }),
    );
    assert.equal(updated.version, 2);
    assert.deepEqual(updated.spec.parameters, { commands: ['ls -l'] });
    assert.equal(updated.spec.associationName, 'versioned', 'unchanged fields are kept');
    const v1 = await as((ctx) => associations.describe(ctx, { associationId: id, associationVersion: '1' }));
    assert.deepEqual(v1.spec.parameters, { commands: ['ls'] });
    assert.deepEqual(
      (await as((ctx) => associations.listVersions(ctx, id, everything))).map((v) => v.version),
      [2, 1],
    );

    const byName = await as((ctx) =>
      associations.list(ctx, [{ key: 'AssociationName', value: 'versioned' }], everything),
    );
    assert.deepEqual(
      byName.map((v) => v.association.associationId),
      [id],
    );
    const byDoc = await as((ctx) =>
      associations.list(ctx, [{ key: 'Name', value: 'AWS-RunShellScript' }], everything),
    );
    assert.ok(byDoc.length >= 2);
    assert.deepEqual(await as((ctx) => associations.list(ctx, [], everything), other), []);
    await rejects(
      as((ctx) => associations.describe(ctx, { associationId: id }), other),
      'AssociationDoesNotExist',
    );
    await rejects(
      as((ctx) => associations.delete(ctx, { associationId: id }), other),
      'AssociationDoesNotExist',
    );
  });

  it('aggregates per-node status, records executions and writes Association compliance with the severity', async () => {
    const created = await as((ctx) =>
      associations.create(ctx, {
        name: 'AWS-RunPatchBaseline',
        targets: [{ key: 'InstanceIds', values: [node1, node2] }],
        parameters: { Operation: ['Scan'] },
        complianceSeverity: 'CRITICAL',
      }),
    );
    const id = created.association.associationId;
    await rejects(
      as((ctx) => associations.reportResult(ctx, id, 'mi-00000000000000000', 'Success')),
      'InvalidInstanceId',
    );
    let view = await as((ctx) => associations.reportResult(ctx, id, node1, 'InProgress'));
    assert.deepEqual(
      [view.overview.status, view.overview.detailedStatus, view.overview.counts],
      ['Pending', 'InProgress', { InProgress: 1 }],
    );
    view = await as((ctx) => associations.reportResult(ctx, id, node1, 'Success'));
    view = await as((ctx) =>
      associations.reportResult(ctx, id, node2, 'Failed', { errorCode: 'ExecutionError' }),
    );
    assert.deepEqual([view.overview.status, view.overview.counts], ['Failed', { Success: 1, Failed: 1 }]);
    assert.ok(view.association.lastSuccessAt);

    const executions = await as((ctx) => associations.executions(ctx, id, everything));
    assert.equal(executions.length, 1);
    assert.deepEqual([executions[0]?.status, executions[0]?.counts], ['Failed', { Success: 1, Failed: 1 }]);
    const targets = await as((ctx) =>
      associations.executionTargets(ctx, id, executions[0]?.executionId ?? '', everything),
    );
    assert.deepEqual(
      targets.map((t) => [t.instanceId, t.status]),
      [
        [node1, 'Success'],
        [node2, 'Failed'],
      ],
    );

    const items = async (instanceId: string) =>
      (
        await as((ctx) =>
          compliance.listComplianceItems(ctx, {
            resourceIds: [instanceId],
            resourceTypes: ['ManagedInstance'],
            filters: [],
          }),
        )
      ).items;
    const [item1] = await items(node1);
    assert.deepEqual(
      [item1?.complianceType, item1?.id, item1?.status, item1?.severity, item1?.details],
      [
        'Association',
        id,
        'COMPLIANT',
        'CRITICAL',
        { DocumentName: 'AWS-RunPatchBaseline', DocumentVersion: '1' },
      ],
    );
    const [item2] = await items(node2);
    assert.deepEqual([item2?.status, item2?.severity], ['NON_COMPLIANT', 'CRITICAL']);
    const rows = await db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('type', 'in', ['AssociationStatusChanged', 'ComplianceChanged'])
      .execute();
    const statusEvents = rows
      .filter((r) => r.type === 'AssociationStatusChanged')
      .map((r) => JSON.parse(r.payload) as { instanceId: string; status: string });
    assert.deepEqual(
      statusEvents.slice(-3).map((e) => [e.instanceId, e.status]),
      [
        [node1, 'InProgress'],
        [node1, 'Success'],
        [node2, 'Failed'],
      ],
    );
    const complianceEvents = rows
      .filter((r) => r.type === 'ComplianceChanged')
      .map((r) => JSON.parse(r.payload) as { resourceId: string; complianceType: string; status: string });
    assert.deepEqual(
      complianceEvents.slice(-2).map((e) => [e.resourceId, e.complianceType, e.status]),
      [
        [node1, 'Association', 'COMPLIANT'],
        [node2, 'Association', 'NON_COMPLIANT'],
      ],
    );

    // Deleting the association removes its items from the nodes' Association compliance.
    await as((ctx) => associations.delete(ctx, { associationId: id }));
    assert.deepEqual(await items(node1), []);
    assert.deepEqual(await items(node2), []);
  });

  it('refuses to delete a document while associations use it', async () => {
    const content = JSON.stringify({
      schemaVersion: '2.2',
      mainSteps: [{ action: 'aws:runShellScript', name: 'x', inputs: { runCommand: ['true'] } }],
    });
    await as((ctx) =>
      documents.create(ctx, { name: 'InUse', content, documentType: 'Command', documentFormat: 'JSON' }),
    );
    const created = await as((ctx) =>
      associations.create(ctx, { name: 'InUse', targets: [{ key: 'InstanceIds', values: [node1] }] }),
    );
    await rejects(
      as((ctx) => documents.delete(ctx, 'InUse')),
      'AssociatedInstances',
    );
    await as((ctx) => associations.delete(ctx, { associationId: created.association.associationId }));
    await as((ctx) => documents.delete(ctx, 'InUse'));
  });
});

describe('targetsInstance', () => {
  const spec = (targets: { key: string; values: string[] }[]) =>
    ({ targets }) as unknown as Parameters<typeof targetsInstance>[0];
  it('needs every target to match; a target’s values are alternatives', () => {
    const both = spec([
      { key: 'tag:Env', values: ['prod', 'staging'] },
      { key: 'tag-key', values: ['PatchGroup'] },
    ]);
    assert.equal(targetsInstance(both, 'mi-1', { Env: 'prod', PatchGroup: 'web' }), true);
    assert.equal(targetsInstance(both, 'mi-1', { Env: 'prod' }), false);
    assert.equal(targetsInstance(spec([{ key: 'InstanceIds', values: ['*'] }]), 'mi-1', {}), true);
    assert.equal(targetsInstance(spec([]), 'mi-1', {}), false);
  });
});
