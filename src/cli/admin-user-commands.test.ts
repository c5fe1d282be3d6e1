/** End to end through the built CLI: `bulwark admin set-password|enroll-totp|disable-totp`, then a console sign-in. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SecretBox, loadMasterKey } from '../access/index.js';
import { AuditStore } from '../audit/index.js';
import { SignInService } from '../sessions/index.js';
import { totpCode } from '../sessions/totp.js';
import type { Db } from '../storage/database.js';
import { openDatabase } from '../storage/open-database.js';
import { bulwarkBin, databaseFor, dropDatabase, repoRoot } from '../../test/support/server-harness.js';
import { onlyOn } from '../../test/support/engine-only.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const password = 'a long console password';

// What is tested here is the command line (prompts, stdin, output, exit codes); the credential store and sign-in
// behind it run on both engines in src/sessions/.
const cliOnly = onlyOn(
  'sqlite',
  'the command line is the same whatever the engine; sessions are tested on both',
);

describe('bulwark admin set-password, enroll-totp and disable-totp (built CLI)', cliOnly, () => {
  let dataDir = '';
  let databaseUrl = '';
  let accountId = '';

  async function bulwark(stdin: string, ...args: string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BULWARK_')) env[key] = value;
    const child = spawn(
      process.execPath,
      [bulwarkBin, 'admin', ...args, '--data-dir', dataDir, '--database', databaseUrl],
      { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end(stdin);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout, stderr };
  }

  /** Runs the sign-in service on the CLI's database, then closes it. */
  async function withSignIn<T>(body: (service: SignInService, db: Db) => Promise<T>): Promise<T> {
    const { db } = await openDatabase(databaseUrl);
    try {
      const box = new SecretBox(loadMasterKey(join(dataDir, 'master.key'), undefined));
      return await body(new SignInService(db, box, new AuditStore()), db);
    } finally {
      await db.destroy();
    }
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bulwark-console-cli-'));
    databaseUrl = await databaseFor(dataDir);
    const created = await bulwark('', 'create-key', '--new-account', '--json');
    assert.equal(created.code, 0, created.stderr);
    accountId = (JSON.parse(created.stdout) as { accountId: string }).accountId;
  });
  after(async () => {
    await dropDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a short password, an unknown user, and a password on the command line', async () => {
    const short = await bulwark('too short\n', 'set-password', '--user', 'admin');
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /at least 12 characters/);
    const unknown = await bulwark(`${password}\n`, 'set-password', '--user', 'nobody');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no user nobody in account \d{12}/);
    const argv = await bulwark('', 'set-password', '--user', 'admin', '--password', password);
    assert.notEqual(argv.code, 0);
    assert.match(argv.stderr, /unknown option '--password'/);
    const empty = await bulwark('', 'set-password', '--user', 'admin');
    assert.notEqual(empty.code, 0);
    assert.match(empty.stderr, /no password on stdin/);
  });

  it('sets a password read from stdin; the console then signs the user in', async () => {
    const run = await bulwark(
      `${password}\n`,
      'set-password',
      '--user',
      'admin',
      '--account',
      accountId,
      '--json',
    );
    assert.equal(run.code, 0, run.stderr);
    const set = JSON.parse(run.stdout) as { principalArn: string; replaced: boolean };
    assert.equal(set.principalArn, `arn:aws:iam::${accountId}:user/admin`);
    assert.equal(set.replaced, false);
    assert.ok(!run.stdout.includes(password));
    await withSignIn(async (service, db) => {
      const signedIn = await service.signIn({
        userName: 'admin',
        password,
        remoteAddress: '127.0.0.1',
        now: new Date(),
      });
      assert.ok(signedIn.ok);
      const wrong = await service.signIn({
        userName: 'admin',
        password: 'not the password',
        remoteAddress: '127.0.0.1',
        now: new Date(),
      });
      assert.equal(wrong.ok, false);
      const trail = await new AuditStore().readChain(db, 0, 1000);
      const created = trail.find((row) => row.action === 'CreateLoginProfile');
      assert.equal(created?.event_source, 'iam.amazonaws.com');
      assert.equal(created?.account_id, accountId);
      assert.match(created?.user_name ?? '', /^bulwark-admin:/);
      assert.ok(!JSON.stringify(trail).includes(password));
    });
  });

  it('enrolls a TOTP secret (printed once), then requires its code, until disable-totp', async () => {
    const run = await bulwark('', 'enroll-totp', '--user', 'admin', '--json');
    assert.equal(run.code, 0, run.stderr);
    const enrollment = JSON.parse(run.stdout) as { secret: string; otpauthUri: string };
    assert.match(enrollment.otpauthUri, /^otpauth:\/\/totp\/Bulwark:admin%40\d{12}\?secret=/);
    const again = await bulwark('', 'enroll-totp', '--user', 'admin');
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already has a TOTP device/);
    await withSignIn(async (service, db) => {
      const now = new Date();
      const attempt = { userName: 'admin', password, remoteAddress: '127.0.0.1', now };
      const required = await service.signIn(attempt);
      assert.equal(required.ok ? 'signed in' : required.refusal.kind, 'totp-required');
      const withCode = await service.signIn({ ...attempt, totpCode: totpCode(enrollment.secret, now) });
      assert.ok(withCode.ok);
      const trail = await new AuditStore().readChain(db, 0, 1000);
      assert.ok(trail.some((row) => row.action === 'EnableMFADevice'));
      assert.ok(!JSON.stringify(trail).includes(enrollment.secret));
    });
    const disabled = await bulwark('', 'disable-totp', '--user', 'admin');
    assert.equal(disabled.code, 0, disabled.stderr);
    await withSignIn(async (service) => {
      const signedIn = await service.signIn({
        userName: 'admin',
        password,
        remoteAddress: '127.0.0.2',
        now: new Date(),
      });
      assert.ok(signedIn.ok);
    });
  });
});
