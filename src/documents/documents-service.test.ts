import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { buildDocumentServices } from '../../test/support/documents-services.js';
import { publicSharingSettingId } from './service-settings-service.js';

/** A page window that reads every row the tests create. */
const everything = { after: undefined, limit: 1000 };

const owner = '111111111111';
const friend = '222222222222';
const stranger = '333333333333';

const content = (echo = 'hello'): string =>
  JSON.stringify({
    schemaVersion: '2.2',
    description: 'Echo',
    parameters: { message: { type: 'String', default: echo } },
    mainSteps: [
      { action: 'aws:runShellScript', name: 'echo', inputs: { runCommand: ['echo {{ message }}'] } },
    ],
  });

async function rejects(call: Promise<unknown>, exceptionName: string): Promise<void> {
  await assert.rejects(call, (error: ApiError) => {
    assert.equal(error.exceptionName, exceptionName, error.message);
    return true;
  });
}

describe('DocumentsService', () => {
  let db: Db;
  const services = buildDocumentServices();
  const { documents, settings } = services;
  const as = <T>(accountId: string, body: Parameters<typeof inCtx<T>>[1]) => inCtx(db, body, { accountId });

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  it('creates, versions, selects and deletes documents', async () => {
    const created = await as(owner, (ctx) =>
      documents.create(ctx, {
        name: 'Echo',
        content: content(),
        documentType: 'Command',
        documentFormat: 'JSON',
        versionName: 'first',
        tags: { team: 'ops' },
      }),
    );
    assert.equal(created.version.version, 1);
    assert.equal(created.document.defaultVersion, 1);
    await rejects(
      as(owner, (ctx) =>
        documents.create(ctx, {
          name: 'Echo',
          content: content(),
          documentType: 'Command',
          documentFormat: 'JSON',
        }),
      ),
      'DocumentAlreadyExists',
    );
    await rejects(
      as(owner, (ctx) =>
        documents.create(ctx, {
          name: 'AWS-Mine',
          content: content(),
          documentType: 'Command',
          documentFormat: 'JSON',
        }),
      ),
      'ValidationException',
    );
    await rejects(
      as(owner, (ctx) =>
        documents.create(ctx, {
          name: 'Bad',
          content: '{"schemaVersion":"2.2"}',
          documentType: 'Command',
          documentFormat: 'JSON',
        }),
      ),
      'InvalidDocumentContent',
    );

    await rejects(
      as(owner, (ctx) => documents.update(ctx, { name: 'Echo', content: content(), documentFormat: 'JSON' })),
      'DuplicateDocumentContent',
    );
    await rejects(
      as(owner, (ctx) =>
        documents.update(ctx, {
          name: 'Echo',
          content: content('x'),
          documentFormat: 'JSON',
          documentVersion: '7',
        }),
      ),
      'InvalidDocumentVersion',
    );
    await rejects(
      as(owner, (ctx) =>
        documents.update(ctx, {
          name: 'Echo',
          content: content('x'),
          documentFormat: 'JSON',
          versionName: 'first',
        }),
      ),
      'DuplicateDocumentVersionName',
    );
    const updated = await as(owner, (ctx) =>
      documents.update(ctx, {
        name: 'Echo',
        content: content('v2'),
        documentFormat: 'JSON',
        documentVersion: '$LATEST',
        versionName: 'second',
      }),
    );
    assert.equal(updated.version.version, 2);
    assert.equal(updated.document.latestVersion, 2);
    assert.equal(updated.document.defaultVersion, 1);

    const byDefault = await as(owner, (ctx) => documents.resolve(ctx, 'Echo'));
    assert.equal(byDefault.version.version, 1);
    assert.deepEqual(byDefault.document.tags, { team: 'ops' });
    assert.equal(
      (await as(owner, (ctx) => documents.resolve(ctx, 'Echo', { documentVersion: '$LATEST' }))).version
        .versionName,
      'second',
    );
    assert.equal(
      (await as(owner, (ctx) => documents.resolve(ctx, 'Echo', { versionName: 'second' }))).version.version,
      2,
    );
    await rejects(
      as(owner, (ctx) => documents.resolve(ctx, 'Echo', { documentVersion: '3' })),
      'InvalidDocumentVersion',
    );

    await as(owner, (ctx) => documents.updateDefaultVersion(ctx, 'Echo', '2'));
    assert.equal((await as(owner, (ctx) => documents.resolve(ctx, 'Echo'))).version.version, 2);
    const versions = await as(owner, (ctx) => documents.listVersions(ctx, 'Echo', everything));
    assert.deepEqual(
      versions.map((v) => v.version.version),
      [2, 1],
    );

    await rejects(
      as(owner, (ctx) => documents.delete(ctx, 'Echo', { documentVersion: '2' })),
      'InvalidDocumentOperation',
    );
    await as(owner, (ctx) => documents.delete(ctx, 'Echo', { documentVersion: '1' }));
    await as(owner, (ctx) => documents.delete(ctx, 'Echo'));
    await rejects(
      as(owner, (ctx) => documents.resolve(ctx, 'Echo')),
      'InvalidDocument',
    );
  });

  it('lists own, Amazon and shared documents with Owner, Name, type, platform and tag filters', async () => {
    await as(owner, (ctx) =>
      documents.create(ctx, {
        name: 'Listed',
        content: content(),
        documentType: 'Command',
        documentFormat: 'JSON',
        tags: { env: 'prod' },
      }),
    );
    const names = async (accountId: string, filters: { key: string; values: string[] }[]) =>
      (await as(accountId, (ctx) => documents.list(ctx, filters, everything))).map(
        (d) => `${d.document.owner}/${d.document.name}`,
      );
    assert.deepEqual(await names(owner, [{ key: 'Owner', values: ['Self'] }]), [`${owner}/Listed`]);
    assert.deepEqual(await names(owner, [{ key: 'Owner', values: ['Amazon'] }]), [
      'Amazon/AWS-RunPatchBaseline',
      'Amazon/AWS-RunShellScript',
    ]);
    assert.deepEqual(await names(owner, [{ key: 'Name', values: ['AWS-RunShell'] }]), [
      'Amazon/AWS-RunShellScript',
    ]);
    assert.deepEqual(await names(owner, [{ key: 'tag:env', values: ['prod'] }]), [`${owner}/Listed`]);
    assert.deepEqual(
      await names(owner, [
        { key: 'PlatformTypes', values: ['Windows'] },
        { key: 'Owner', values: ['Self'] },
      ]),
      [],
    );
    assert.deepEqual(
      await names(owner, [
        { key: 'DocumentType', values: ['Command'] },
        { key: 'Owner', values: ['Self'] },
      ]),
      [`${owner}/Listed`],
    );
    assert.deepEqual(await names(friend, [{ key: 'Owner', values: ['Self'] }]), []);
    assert.ok(
      !(await names(friend, [])).includes(`${owner}/Listed`),
      'not visible across accounts unless shared',
    );
  });

  it('shares privately and publicly; shared documents are readable by ARN, and only there', async () => {
    await as(owner, (ctx) =>
      documents.create(ctx, {
        name: 'Shared',
        content: content(),
        documentType: 'Command',
        documentFormat: 'JSON',
      }),
    );
    const arn = `arn:aws:ssm:us-east-1:${owner}:document/Shared`;
    await rejects(
      as(friend, (ctx) => documents.resolve(ctx, arn)),
      'InvalidDocument',
    );
    await as(owner, (ctx) =>
      documents.modifyPermission(ctx, {
        name: 'Shared',
        add: [friend],
        remove: [],
        sharedVersion: undefined,
      }),
    );
    assert.equal((await as(friend, (ctx) => documents.resolve(ctx, arn))).version.version, 1);
    await rejects(
      as(stranger, (ctx) => documents.resolve(ctx, arn)),
      'InvalidDocument',
    );
    await rejects(
      as(friend, (ctx) =>
        documents.modifyPermission(ctx, { name: arn, add: [stranger], remove: [], sharedVersion: undefined }),
      ),
      'InvalidDocumentOperation',
    );
    await rejects(
      as(friend, (ctx) =>
        documents.update(ctx, { name: arn, content: content('x'), documentFormat: 'JSON' }),
      ),
      'InvalidDocumentOperation',
    );
    const friendList = await as(friend, (ctx) =>
      documents.list(ctx, [{ key: 'Owner', values: ['Private'] }], everything),
    );
    assert.deepEqual(
      friendList.map((d) => d.document.name),
      ['Shared'],
    );

    await rejects(
      as(owner, (ctx) =>
        documents.modifyPermission(ctx, {
          name: 'Shared',
          add: ['All', friend],
          remove: [],
          sharedVersion: undefined,
        }),
      ),
      'DocumentPermissionLimit',
    );
    await as(owner, (ctx) =>
      documents.modifyPermission(ctx, {
        name: 'Shared',
        add: ['All'],
        remove: [],
        sharedVersion: '$DEFAULT',
      }),
    );
    assert.equal((await as(stranger, (ctx) => documents.resolve(ctx, arn))).document.name, 'Shared');
    assert.deepEqual(
      (await as(owner, (ctx) => documents.describePermission(ctx, 'Shared', everything))).map(
        (s) => s.accountId,
      ),
      ['222222222222', 'all'],
    );
    await rejects(
      as(owner, (ctx) => documents.delete(ctx, 'Shared')),
      'InvalidDocumentOperation',
    );

    // Remove beats add; un-sharing hides the document again.
    await as(owner, (ctx) =>
      documents.modifyPermission(ctx, {
        name: 'Shared',
        add: [friend],
        remove: [friend],
        sharedVersion: undefined,
      }),
    );
    await as(owner, (ctx) =>
      documents.modifyPermission(ctx, { name: 'Shared', add: [], remove: ['ALL'], sharedVersion: undefined }),
    );
    await rejects(
      as(stranger, (ctx) => documents.resolve(ctx, arn)),
      'InvalidDocument',
    );
    await rejects(
      as(friend, (ctx) => documents.resolve(ctx, arn)),
      'InvalidDocument',
    );
    await as(owner, (ctx) => documents.delete(ctx, 'Shared'));

    const events = await db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('type', '=', 'DocumentPermissionChanged')
      .execute();
    assert.deepEqual(
      events.map((e) => (JSON.parse(e.payload) as { public: boolean }).public),
      [false, true, true, false],
    );
  });

  it('shares only the versions the share names', async () => {
    await as(owner, (ctx) =>
      documents.create(ctx, {
        name: 'Pinned',
        content: content(),
        documentType: 'Command',
        documentFormat: 'JSON',
      }),
    );
    await as(owner, (ctx) =>
      documents.update(ctx, { name: 'Pinned', content: content('two'), documentFormat: 'JSON' }),
    );
    await as(owner, (ctx) =>
      documents.modifyPermission(ctx, { name: 'Pinned', add: [friend], remove: [], sharedVersion: '2' }),
    );
    const arn = `arn:aws:ssm:us-east-1:${owner}:document/Pinned`;
    assert.equal((await as(friend, (ctx) => documents.resolve(ctx, arn))).version.version, 2);
    await rejects(
      as(friend, (ctx) => documents.resolve(ctx, arn, { documentVersion: '1' })),
      'InvalidDocumentVersion',
    );
  });

  it('blocks public sharing when the service setting is Disable, and resets to Enable', async () => {
    await as(owner, (ctx) =>
      documents.create(ctx, {
        name: 'Blocked',
        content: content(),
        documentType: 'Command',
        documentFormat: 'JSON',
      }),
    );
    const initial = await as(owner, (ctx) => settings.get(ctx, publicSharingSettingId));
    assert.deepEqual(
      [initial.value, initial.status, initial.lastModifiedUser],
      ['Enable', 'Default', 'System'],
    );
    await as(owner, (ctx) =>
      settings.update(
        ctx,
        `arn:aws:ssm:us-east-1:${owner}:servicesetting${publicSharingSettingId}`,
        'Disable',
      ),
    );
    const changed = await as(owner, (ctx) => settings.get(ctx, publicSharingSettingId));
    assert.deepEqual([changed.value, changed.status], ['Disable', 'Customized']);
    await rejects(
      as(owner, (ctx) =>
        documents.modifyPermission(ctx, {
          name: 'Blocked',
          add: ['all'],
          remove: [],
          sharedVersion: undefined,
        }),
      ),
      'InvalidPermissionType',
    );
    await as(owner, (ctx) =>
      documents.modifyPermission(ctx, {
        name: 'Blocked',
        add: [friend],
        remove: [],
        sharedVersion: undefined,
      }),
    );
    // Another account's setting is its own.
    assert.equal((await as(friend, (ctx) => settings.get(ctx, publicSharingSettingId))).value, 'Enable');
    await rejects(
      as(owner, (ctx) => settings.update(ctx, publicSharingSettingId, 'Maybe')),
      'ValidationException',
    );
    await rejects(
      as(owner, (ctx) => settings.get(ctx, '/ssm/unknown')),
      'ServiceSettingNotFound',
    );
    const reset = await as(owner, (ctx) => settings.reset(ctx, publicSharingSettingId));
    assert.deepEqual([reset.value, reset.status], ['Enable', 'Default']);
    await as(owner, (ctx) =>
      documents.modifyPermission(ctx, {
        name: 'Blocked',
        add: ['all'],
        remove: [],
        sharedVersion: undefined,
      }),
    );
  });

  it('limits public documents per account', async () => {
    for (let i = 0; i < 6; i += 1) {
      await as(stranger, (ctx) =>
        documents.create(ctx, {
          name: `Pub${i}`,
          content: content(),
          documentType: 'Command',
          documentFormat: 'JSON',
        }),
      );
    }
    for (let i = 0; i < 5; i += 1) {
      await as(stranger, (ctx) =>
        documents.modifyPermission(ctx, {
          name: `Pub${i}`,
          add: ['All'],
          remove: [],
          sharedVersion: undefined,
        }),
      );
    }
    await rejects(
      as(stranger, (ctx) =>
        documents.modifyPermission(ctx, { name: 'Pub5', add: ['All'], remove: [], sharedVersion: undefined }),
      ),
      'DocumentPermissionLimit',
    );
  });

  it('refuses changes to Amazon documents', async () => {
    await rejects(
      as(owner, (ctx) => documents.delete(ctx, 'AWS-RunPatchBaseline')),
      'InvalidDocumentOperation',
    );
    await rejects(
      as(owner, (ctx) =>
        documents.modifyPermission(ctx, {
          name: 'AWS-RunShellScript',
          add: [friend],
          remove: [],
          sharedVersion: undefined,
        }),
      ),
      'InvalidDocumentOperation',
    );
  });
});
