import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase } from '../../test/support/service-context.js';
import { ApiError } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { authorize } from './policy.js';
import { SecretBox } from './secret-box.js';
import { AccessService } from './access-service.js';
import { AccessStore } from './access-store.js';

const hub = (account: string): string => `arn:aws:securityhub:us-east-1:${account}:hub/default`;
const t0 = new Date('2026-06-01T00:00:00Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);

async function rejectsWith(
  promise: Promise<unknown>,
  kind: ApiError['kind'],
  message?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.kind, kind, error.message);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

describe('AccessAdministration and AccessService', () => {
  let db: Db;
  let access: AccessService;
  let account = '';
  const box = new SecretBox(randomBytes(32));

  before(async () => {
    db = await openTestDatabase();
    access = new AccessService(db, new AccessStore(), box);
    const bootstrap = await access.bootstrap(t0);
    assert.ok(bootstrap);
    account = bootstrap.accountId;
  });
  after(async () => {
    await db?.destroy();
  });

  it('bootstraps once, with AdministratorAccess attached to user admin', async () => {
    assert.equal(await access.bootstrap(t0), undefined);
    const admin = await access.administration.getPrincipal(account, 'admin');
    assert.equal(admin.arn, `arn:aws:iam::${account}:user/admin`);
    assert.deepEqual(admin.policyArns, ['arn:aws:iam::aws:policy/AdministratorAccess']);
  });

  it('gives the first principal of a new account AdministratorAccess, and requires --policy afterwards', async () => {
    // Once accounts exist, a key lands in a new account only when asked to.
    await rejectsWith(access.administration.createKey({ name: 'admin' }, t0), 'InvalidInput');
    await rejectsWith(
      access.administration.createKey({ accountId: '123456789012', name: 'admin' }, t0),
      'NotFound',
    );
    const issued = await access.administration.createKey({ newAccount: true, name: 'admin' }, t0);
    assert.notEqual(issued.accountId, account);
    const identity = await access.resolveKey(issued.accessKeyId, t0);
    assert.doesNotThrow(() =>
      authorize(identity.actor, 'securityhub:DisableSecurityHub', hub(issued.accountId)),
    );
    await rejectsWith(
      access.administration.createKey({ accountId: issued.accountId, name: 'tool' }, t0),
      'InvalidInput',
      /needs at least one policy/,
    );
    const tool = await access.administration.createKey(
      { accountId: issued.accountId, name: 'tool', policies: ['SecurityHubImporter'] },
      t0,
    );
    assert.equal(tool.principalArn, `arn:aws:iam::${issued.accountId}:user/tool`);
    await rejectsWith(
      access.administration.createKey(
        { accountId: issued.accountId, name: 'tool', policies: ['SecurityHubReadOnly'] },
        t0,
      ),
      'Conflict',
      /attach-policy/,
    );
  });

  it('resolves a key to its principal with every attached policy, explicit deny winning', async () => {
    await access.administration.createPrincipal(
      { accountId: account, kind: 'user', name: 'auditor', policies: ['SecurityHubReadOnly'] },
      t0,
    );
    const key = await access.administration.createKey({ accountId: account, name: 'auditor' }, t0);
    const actor = (await access.resolveKey(key.accessKeyId, t0)).actor;
    assert.equal(actor.principalType, 'user');
    assert.equal(actor.policies.length, 1);
    authorize(actor, 'securityhub:GetFindings', hub(account));
    assert.throws(
      () => authorize(actor, 'securityhub:BatchUpdateFindings', hub(account)),
      new RegExp(
        `^ApiError: User: arn:aws:iam::${account}:user/auditor is not authorized to perform: securityhub:BatchUpdateFindings on resource: ${hub(account)}$`,
      ),
    );

    await access.administration.createPolicy(
      {
        accountId: account,
        name: 'NoFindingsRead',
        documentText: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 'securityhub:GetFindings', Resource: '*' }],
        }),
      },
      t0,
    );
    await access.administration.attachPolicy(account, 'auditor', 'NoFindingsRead', t0);
    // The change cleared this node's cache: the deny applies at once.
    const denied = (await access.resolveKey(key.accessKeyId, t0)).actor;
    assert.equal(denied.policies.length, 2);
    assert.throws(
      () => authorize(denied, 'securityhub:GetFindings', hub(account)),
      /with an explicit deny in an identity-based policy$/,
    );
    authorize(denied, 'securityhub:DescribeHub', hub(account));

    await access.administration.detachPolicy(account, 'auditor', 'NoFindingsRead');
    authorize((await access.resolveKey(key.accessKeyId, t0)).actor, 'securityhub:GetFindings', hub(account));
    await rejectsWith(access.administration.detachPolicy(account, 'auditor', 'NoFindingsRead'), 'NotFound');
  });

  it('validates customer policies, refuses built-in names, and refuses to delete attached ones', async () => {
    await rejectsWith(
      access.administration.createPolicy(
        {
          accountId: account,
          name: 'Bad',
          documentText: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}',
        },
        t0,
      ),
      'InvalidInput',
      /exactly one of Action and NotAction/,
    );
    await rejectsWith(
      access.administration.createPolicy(
        { accountId: account, name: 'SecurityHubImporter', documentText: '{}' },
        t0,
      ),
      'Conflict',
    );
    await access.administration.createPolicy(
      {
        accountId: account,
        name: 'Regional',
        description: 'us-east-1 only',
        documentText: JSON.stringify({
          Version: '2012-10-17',
          Statement: {
            Effect: 'Allow',
            Action: 'securityhub:*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
          },
        }),
      },
      t0,
    );
    await rejectsWith(
      access.administration.createPolicy(
        {
          accountId: account,
          name: 'Regional',
          documentText: JSON.stringify({
            Version: '2012-10-17',
            Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
          }),
        },
        t0,
      ),
      'Conflict',
      /already exists/,
    );
    const listed = await access.administration.listPolicies(account);
    assert.deepEqual(
      listed.filter((p) => p.builtIn).map((p) => p.name),
      [
        'AdministratorAccess',
        'SecurityHubImporter',
        'SecurityHubReadOnly',
        'SecurityHubAnalyst',
        'BulwarkAgent',
      ],
    );
    const regional = listed.find((p) => p.name === 'Regional');
    assert.equal(regional?.arn, `arn:aws:iam::${account}:policy/Regional`);
    assert.equal(regional?.description, 'us-east-1 only');
    assert.equal((await access.administration.getPolicy('SecurityHubImporter', undefined)).builtIn, true);
    await rejectsWith(access.administration.getPolicy('Regional', undefined), 'NotFound');
    assert.equal((await access.administration.getPolicy('Regional', account)).name, 'Regional');

    await access.administration.createPrincipal(
      { accountId: account, kind: 'user', name: 'regional', policies: ['Regional'] },
      t0,
    );
    await rejectsWith(access.administration.deletePolicy(account, 'Regional'), 'Conflict', /detach it first/);
    await rejectsWith(access.administration.deletePolicy(account, 'AdministratorAccess'), 'InvalidInput');
    await access.administration.detachPolicy(account, 'regional', 'Regional');
    await access.administration.deletePolicy(account, 'Regional');
    await rejectsWith(access.administration.getPolicy('Regional', account), 'NotFound');
    // Another account cannot see or attach this account's policies.
    const other = await access.administration.createKey({ newAccount: true, name: 'admin' }, t0);
    await access.administration.createPolicy(
      {
        accountId: other.accountId,
        name: 'Theirs',
        documentText: JSON.stringify({
          Version: '2012-10-17',
          Statement: { Effect: 'Allow', Action: '*', Resource: '*' },
        }),
      },
      t0,
    );
    await rejectsWith(access.administration.attachPolicy(account, 'regional', 'Theirs', t0), 'NotFound');
    await rejectsWith(
      access.administration.attachPolicy(
        account,
        'regional',
        `arn:aws:iam::${other.accountId}:policy/Theirs`,
        t0,
      ),
      'NotFound',
    );
  });

  it('limits a user to two active keys, deactivates, reactivates and deletes keys', async () => {
    await access.administration.createPrincipal(
      { accountId: account, kind: 'user', name: 'ci', policies: ['SecurityHubImporter'] },
      t0,
    );
    const first = await access.administration.createKey({ accountId: account, name: 'ci' }, t0);
    const second = await access.administration.createKey({ accountId: account, name: 'user/ci' }, later(1));
    await rejectsWith(
      access.administration.createKey({ accountId: account, name: 'ci' }, t0),
      'LimitExceeded',
    );

    await access.resolveKey(first.accessKeyId, later(5_000));
    const deactivated = await access.administration.setKeyStatus(first.accessKeyId, 'Inactive');
    assert.equal(deactivated.status, 'Inactive');
    await rejectsWith(access.resolveKey(first.accessKeyId, later(5_000)), 'UnrecognizedClient');

    const third = await access.administration.createKey({ accountId: account, name: 'ci' }, later(2));
    await rejectsWith(access.administration.setKeyStatus(first.accessKeyId, 'Active'), 'LimitExceeded');
    await access.administration.deleteKey(third.accessKeyId);
    assert.equal((await access.administration.setKeyStatus(first.accessKeyId, 'Active')).status, 'Active');
    await access.resolveKey(first.accessKeyId, later(5_000));

    const keys = await access.administration.listKeys(account, 'ci');
    assert.deepEqual(
      keys.map((k) => [k.accessKeyId, k.status]),
      [
        [first.accessKeyId, 'Active'],
        [second.accessKeyId, 'Active'],
      ],
    );
    assert.equal(keys[0]?.lastUsedAt?.getTime(), later(5_000).getTime());
    assert.equal(keys[1]?.lastUsedAt, undefined);
    await rejectsWith(access.administration.deleteKey('AKIANOSUCHKEY0000000'), 'NotFound');
  });

  it('rotates: a new key, the old ones deactivated (or deleted with deleteOld)', async () => {
    await access.administration.createPrincipal(
      { accountId: account, kind: 'user', name: 'rotating', policies: ['SecurityHubReadOnly'] },
      t0,
    );
    const old = await access.administration.createKey({ accountId: account, name: 'rotating' }, t0);
    const rotation = await access.administration.rotateKey(
      { accountId: account, name: 'rotating', deleteOld: false },
      later(1),
    );
    assert.deepEqual(rotation.retired, [old.accessKeyId]);
    await rejectsWith(access.resolveKey(old.accessKeyId, t0), 'UnrecognizedClient');
    assert.equal((await access.resolveKey(rotation.issued.accessKeyId, t0)).actor.principalName, 'rotating');
    const again = await access.administration.rotateKey(
      { accountId: account, name: 'rotating', deleteOld: true },
      later(2),
    );
    assert.deepEqual(again.retired, [rotation.issued.accessKeyId]);
    const keys = await access.administration.listKeys(account, 'rotating');
    assert.deepEqual(
      keys.map((k) => [k.accessKeyId, k.status]),
      [
        [old.accessKeyId, 'Inactive'],
        [again.issued.accessKeyId, 'Active'],
      ],
    );
  });

  it('gives roles one key per instance without the user limit, and rotates a single key of a role', async () => {
    await rejectsWith(
      access.administration.createPrincipal({ accountId: account, kind: 'role', name: 'agents' }, t0),
      'InvalidInput',
      /least privilege/,
    );
    const role = await access.administration.createPrincipal(
      { accountId: account, kind: 'role', name: 'agents', policies: ['BulwarkAgent'] },
      t0,
    );
    assert.equal(role.arn, `arn:aws:iam::${account}:role/agents`);
    assert.match(role.principalId, /^AROA/);
    const keys = [];
    for (let i = 0; i < 3; i += 1)
      keys.push(await access.administration.createKey({ accountId: account, name: 'role/agents' }, t0));
    const actor = (await access.resolveKey(keys[0]?.accessKeyId ?? '', t0)).actor;
    assert.equal(actor.principalType, 'role');
    authorize(actor, 'ssm:UpdateInstanceInformation', '*');
    assert.throws(() => authorize(actor, 'securityhub:GetFindings', hub(account)), /not authorized/);

    const rotation = await access.administration.rotateKey(
      { accountId: account, name: 'agents', deleteOld: true, onlyKey: keys[1]?.accessKeyId },
      t0,
    );
    assert.deepEqual(rotation.retired, [keys[1]?.accessKeyId]);
    assert.equal((await access.administration.listKeys(account, 'role/agents')).length, 3);

    // A user and a role called the same need a kind prefix.
    await access.administration.createPrincipal(
      { accountId: account, kind: 'user', name: 'agents', policies: ['SecurityHubReadOnly'] },
      t0,
    );
    await rejectsWith(
      access.administration.getPrincipal(account, 'agents'),
      'InvalidInput',
      /user\/agents or role\/agents/,
    );
    assert.equal((await access.administration.getPrincipal(account, 'user/agents')).kind, 'user');
  });

  it('drops cached identities when another node (or the CLI) changes access data', async () => {
    // Two more nodes on the same database (same master key).
    const node = new AccessService(db, new AccessStore(), box);
    const otherNode = new AccessService(db, new AccessStore(), box);
    await access.administration.createPrincipal(
      { accountId: account, kind: 'user', name: 'cached', policies: ['SecurityHubReadOnly'] },
      t0,
    );
    const key = await access.administration.createKey({ accountId: account, name: 'cached' }, t0);
    await node.resolveKey(key.accessKeyId, t0);
    await otherNode.administration.setKeyStatus(key.accessKeyId, 'Inactive');
    // Within the 2 s check interval the node still serves its cache …
    await node.resolveKey(key.accessKeyId, later(1_000));
    // … and after it, the generation changed, so the key is refused.
    await rejectsWith(node.resolveKey(key.accessKeyId, later(2_500)), 'UnrecognizedClient');
  });

  it('refuses unknown accounts and malformed names', async () => {
    await rejectsWith(
      access.administration.createPrincipal(
        { accountId: '999999999999', kind: 'user', name: 'x', policies: ['SecurityHubReadOnly'] },
        t0,
      ),
      'NotFound',
    );
    await rejectsWith(
      access.administration.createPrincipal(
        { accountId: account, kind: 'user', name: 'bad name', policies: ['SecurityHubReadOnly'] },
        t0,
      ),
      'InvalidInput',
    );
    await rejectsWith(
      access.administration.createPrincipal(
        { accountId: account, kind: 'user', name: 'nopolicy', policies: ['NoSuchPolicy'] },
        t0,
      ),
      'NotFound',
    );
    await rejectsWith(access.administration.listKeys('12', undefined), 'InvalidInput');
  });
});
