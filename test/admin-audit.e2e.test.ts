/** E2E: `bulwark admin` changes land in the audit trail; create-key never makes an account by omission; list-accounts. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { openDatabase } from '../src/storage/open-database.js';
import { bulwarkBin, repoRoot } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('bulwark admin and the audit trail (e2e)', () => {
  let server: InProcessServer;

  before(async () => {
    server = await startInProcessServer();
  });
  after(async () => {
    await server?.dispose();
  });

  async function bulwark(...args: string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BULWARK_')) env[key] = value;
    const child = spawn(
      process.execPath,
      [bulwarkBin, ...args, '--data-dir', server.dataDir, '--database', server.databaseUrl],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout, stderr };
  }

  async function admin(...args: string[]): Promise<Record<string, unknown>> {
    const run = await bulwark('admin', ...args, '--json');
    assert.equal(run.code, 0, `admin ${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  interface ListedAccount {
    accountId: string;
    bootstrapAccessKeyId: string | null;
    keys: { accessKeyId: string; bootstrap: boolean; everUsed: boolean; principalArn: string }[];
  }

  async function listAccounts(): Promise<ListedAccount[]> {
    const run = await bulwark('admin', 'list-accounts', '--json');
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as ListedAccount[];
  }

  it('create-key without --account or --new-account is refused once accounts exist, and creates nothing', async () => {
    const before = await listAccounts();
    const refused = await bulwark('admin', 'create-key', '--name', 'someone');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--account.*--new-account/);
    const unknown = await bulwark('admin', 'create-key', '--account', '123456789012');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /account 123456789012 does not exist; pass --new-account/);
    assert.equal((await listAccounts()).length, before.length);
    const fresh = await admin('create-key', '--new-account');
    assert.equal((await listAccounts()).length, before.length + 1);
    assert.ok(!before.some((account) => account.accountId === fresh['accountId']));
  });

  it('list-accounts names the bootstrap key and whether it was ever used', async () => {
    let accounts = await listAccounts();
    const first = accounts[0];
    assert.equal(first?.accountId, server.accountId);
    assert.equal(first?.bootstrapAccessKeyId, server.accessKeyId);
    const bootstrapKey = first?.keys.find((key) => key.accessKeyId === server.accessKeyId);
    assert.equal(bootstrapKey?.bootstrap, true);
    assert.equal(bootstrapKey?.everUsed, false);
    await server
      .client()
      .send(new GetFindingsCommand({}))
      .catch(() => undefined);
    accounts = await listAccounts();
    assert.equal(accounts[0]?.keys.find((key) => key.accessKeyId === server.accessKeyId)?.everUsed, true);
    assert.ok(accounts.slice(1).every((account) => account.bootstrapAccessKeyId === null));
    const text = await bulwark('admin', 'list-accounts');
    assert.match(
      text.stdout,
      new RegExp(`${server.accountId}\\s+${server.accessKeyId}\\s+Active\\s+yes\\s+yes`),
    );
  });

  it('every admin change is an audit record in the changed account, and the trail verifies', async () => {
    const account = server.accountId;
    await admin('create-user', '--account', account, '--name', 'auditor', '--policy', 'SecurityHubReadOnly');
    await admin(
      'attach-policy',
      '--account',
      account,
      '--principal',
      'auditor',
      '--policy',
      'AdministratorAccess',
    );
    await admin(
      'detach-policy',
      '--account',
      account,
      '--principal',
      'auditor',
      '--policy',
      'AdministratorAccess',
    );
    const key = await admin('create-key', '--account', account, '--name', 'auditor');
    const keyId = String(key['accessKeyId']);
    await admin('deactivate-key', keyId);
    await admin('rotate-key', '--account', account, '--name', 'auditor');
    await admin('delete-key', keyId);
    await admin('create-role', '--account', account, '--name', 'agents', '--policy', 'SecurityHubReadOnly');
    const { db } = await openDatabase(server.databaseUrl);
    try {
      const rows = await db
        .selectFrom('audit_records')
        .selectAll()
        .where('event_source', '=', 'iam.amazonaws.com')
        .where('account_id', '=', account)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        rows.map((row) => row.action),
        [
          'CreateUser',
          'AttachUserPolicy',
          'DetachUserPolicy',
          'CreateAccessKey',
          'UpdateAccessKey',
          'RotateAccessKey',
          'DeleteAccessKey',
          'CreateRole',
        ],
      );
      const created = rows[3];
      assert.match(created?.response_elements ?? '', new RegExp(keyId));
      assert.doesNotMatch(JSON.stringify(rows), new RegExp(String(key['secretAccessKey'])));
      assert.match(created?.user_name ?? '', /^bulwark-admin:/);
      assert.match(rows[4]?.request_parameters ?? '', /"status":"Inactive"/);
    } finally {
      await db.destroy();
    }
    const verified = await bulwark('audit', 'verify');
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);

    // The newest admin record is anchored in the data dir: deleting it and moving the chain head back is named.
    const { db: raw } = await openDatabase(server.databaseUrl);
    try {
      const newest = await raw
        .selectFrom('audit_records')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(2)
        .execute();
      const [last, before] = newest;
      assert.equal(last?.action, 'CreateRole');
      await raw.deleteFrom('audit_records').where('seq', '=', Number(last?.seq)).execute();
      await raw
        .updateTable('audit_chain_heads')
        .set({ seq: Number(before?.seq), hash: before?.hash ?? null })
        .where('name', '=', 'records')
        .execute();
      const tampered = await bulwark('audit', 'verify');
      assert.equal(tampered.code, 1, tampered.stdout + tampered.stderr);
      assert.match(
        tampered.stdout,
        new RegExp(
          `record seq ${Number(last?.seq)}, committed and anchored in .*, is missing: records after seq`,
        ),
      );
      await raw.insertInto('audit_records').values(last).execute();
      await raw
        .updateTable('audit_chain_heads')
        .set({ seq: Number(last?.seq), hash: last?.hash ?? null })
        .where('name', '=', 'records')
        .execute();
    } finally {
      await raw.destroy();
    }
  });
});
