import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase } from '../../test/support/service-context.js';
import { AccessService, AccessStore, SecretBox } from '../access/index.js';
import { AuditStore, type AuditRow } from '../audit/index.js';
import type { Db } from '../storage/database.js';
import { ConsoleCredentialAdministration } from './credential-administration.js';
import { purgeExpiredConsoleState } from './console-purge.js';
import { isConsoleActor } from './console-actor.js';
import { csrfTokenMatches } from './session-secrets.js';
import { SignInService, type SignInRequest, type SignInResult } from './sign-in-service.js';
import { totpCode } from './totp.js';

/** Test hashes cost 2^10: the rules are the same, the CPU bill is not. */
const cheap = { logN: 10, r: 8, p: 1 };
const t0 = new Date('2026-06-01T00:00:00Z');
const minutes = (n: number, from: Date = t0): Date => new Date(from.getTime() + n * 60_000);
const password = 'a long console password';

function refusal(result: SignInResult): string {
  return result.ok ? 'signed in' : result.refusal.kind;
}

describe('console sign-in and sessions', () => {
  let db: Db;
  let account = '';
  let admin: ConsoleCredentialAdministration;
  let signIn: SignInService;
  const audit = new AuditStore();
  const box = new SecretBox(randomBytes(32));

  before(async () => {
    db = await openTestDatabase();
    const access = new AccessService(db, new AccessStore(), box);
    const bootstrap = await access.bootstrap(t0);
    assert.ok(bootstrap);
    account = bootstrap.accountId;
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      await access.administration.createPrincipal(
        { accountId: account, kind: 'user', name, policies: ['SecurityHubReadOnly'] },
        t0,
      );
    }
    await access.administration.createPrincipal(
      { accountId: account, kind: 'role', name: 'agents', policies: ['SecurityHubReadOnly'] },
      t0,
    );
    admin = new ConsoleCredentialAdministration(db, box, undefined, cheap);
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      await admin.setPassword({ userName: name }, password, t0);
    }
    signIn = new SignInService(db, box, audit, { scrypt: cheap });
  });
  after(async () => {
    await db?.destroy();
  });

  const attempt = (overrides: Partial<SignInRequest>): Promise<SignInResult> =>
    signIn.signIn({ userName: 'alice', password, remoteAddress: '192.0.2.1', now: t0, ...overrides });

  async function records(since: number): Promise<AuditRow[]> {
    const rows = await audit.readChain(db, since, 1000);
    return rows.filter((row) => row.event_source === 'signin.amazonaws.com');
  }
  async function head(): Promise<number> {
    return (await audit.heads(db)).records.seq;
  }

  it('signs a user in with the right password and resolves the session to a console actor', async () => {
    const since = await head();
    const result = await attempt({ accountId: account });
    assert.ok(result.ok, refusal(result));
    assert.equal(result.mfaUsed, false);
    const { session } = result;
    assert.equal(session.principalArn, `arn:aws:iam::${account}:user/alice`);
    assert.equal(session.idleExpiresAt.getTime(), minutes(30).getTime());
    assert.equal(session.absoluteExpiresAt.getTime(), minutes(720).getTime());
    const resolved = await signIn.sessions.resolve(session.sessionId, minutes(1));
    assert.ok(resolved);
    assert.ok(isConsoleActor(resolved.actor));
    assert.equal(resolved.actor.principalName, 'alice');
    assert.equal(resolved.actor.accessKeyId, session.sessionRef);
    assert.equal(resolved.actor.policies.length, 1);
    assert.ok(csrfTokenMatches(resolved.csrfToken, session.csrfToken));
    assert.ok(!csrfTokenMatches(resolved.csrfToken, 'forged'));
    // Only the SHA-256 of the session id is stored.
    const stored = await db
      .withTables<{ console_sessions: { session_hash: string; session_ref: string } }>()
      .selectFrom('console_sessions')
      .selectAll()
      .where('session_ref', '=', session.sessionRef)
      .execute();
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]?.session_hash, session.sessionId);
    const [record] = await records(since);
    assert.equal(record?.action, 'ConsoleLogin');
    assert.equal(record?.outcome, 'Success');
    assert.equal(record?.user_name, 'alice');
    assert.equal(record?.access_key_id, session.sessionRef);
    assert.equal(record?.account_id, account);
    assert.deepEqual(JSON.parse(record?.response_elements ?? 'null'), {
      ConsoleLogin: 'Success',
      MFAUsed: 'No',
    });
  });

  it('refuses a wrong password and an unknown user alike, and hides the unknown name in the audit trail', async () => {
    const since = await head();
    const wrong = await attempt({
      userName: 'bob',
      password: 'not the password',
      remoteAddress: '192.0.2.2',
    });
    const unknown = await attempt({ userName: 'nobody', remoteAddress: '192.0.2.2' });
    const role = await attempt({ userName: 'agents', remoteAddress: '192.0.2.2' });
    assert.ok(!wrong.ok && !unknown.ok && !role.ok);
    assert.deepEqual(unknown.refusal, wrong.refusal);
    assert.deepEqual(role.refusal, wrong.refusal);
    assert.equal(wrong.refusal.kind, 'wrong-credentials');
    const rows = await records(since);
    assert.deepEqual(
      rows.map((row) => [row.user_name, row.error_code, row.outcome]),
      [
        ['bob', 'FailedAuthentication', 'Failure'],
        ['HIDDEN_DUE_TO_SECURITY_REASONS', 'FailedAuthentication', 'Failure'],
        ['HIDDEN_DUE_TO_SECURITY_REASONS', 'FailedAuthentication', 'Failure'],
      ],
    );
    for (const row of rows) assert.equal(row.source_ip, '192.0.2.2');
  });

  it('locks a user after 5 failures in 15 minutes, for 15 minutes, right password or not', async () => {
    for (let i = 0; i < 5; i += 1) {
      const result = await attempt({
        userName: 'carol',
        password: 'wrong password!',
        remoteAddress: `198.51.100.${i}`,
      });
      assert.equal(refusal(result), 'wrong-credentials');
    }
    const locked = await attempt({ userName: 'carol', remoteAddress: '198.51.100.99', now: minutes(1) });
    assert.ok(!locked.ok);
    assert.equal(locked.refusal.kind, 'locked');
    assert.equal(locked.refusal.retryAfter?.getTime(), minutes(15).getTime());
    assert.equal(
      refusal(await attempt({ userName: 'carol', remoteAddress: '198.51.100.99', now: minutes(14) })),
      'locked',
    );
    const since = await head();
    assert.equal(
      refusal(await attempt({ userName: 'carol', remoteAddress: '198.51.100.99', now: minutes(15) })),
      'signed in',
    );
    assert.equal((await records(since))[0]?.outcome, 'Success');
    // An unknown name locks the same way, so a lock tells nothing about whether the user exists.
    for (let i = 0; i < 5; i += 1) await attempt({ userName: 'ghost', remoteAddress: `198.51.100.${i}` });
    assert.equal(refusal(await attempt({ userName: 'ghost', remoteAddress: '198.51.100.98' })), 'locked');
  });

  it('starts a new window when the last one is over: 4 failures, a pause, 4 more do not lock', async () => {
    for (let i = 0; i < 4; i += 1)
      await attempt({ userName: 'dave', password: 'wrong password!', remoteAddress: '203.0.113.50' });
    for (let i = 0; i < 4; i += 1) {
      await attempt({
        userName: 'dave',
        password: 'wrong password!',
        remoteAddress: '203.0.113.50',
        now: minutes(16),
      });
    }
    assert.equal(
      refusal(await attempt({ userName: 'dave', remoteAddress: '203.0.113.50', now: minutes(17) })),
      'signed in',
    );
  });

  it('locks an address after 20 failures in 15 minutes, whatever the names', async () => {
    for (let i = 0; i < 20; i += 1) {
      assert.equal(
        refusal(await attempt({ userName: `guess${i}`, remoteAddress: '203.0.113.7' })),
        'wrong-credentials',
      );
    }
    const since = await head();
    assert.equal(refusal(await attempt({ userName: 'erin', remoteAddress: '203.0.113.7' })), 'locked');
    assert.equal((await records(since))[0]?.error_code, 'AddressLocked');
    assert.equal(refusal(await attempt({ userName: 'erin', remoteAddress: '203.0.113.8' })), 'signed in');
    assert.equal(
      refusal(await attempt({ userName: 'erin', remoteAddress: '203.0.113.7', now: minutes(15) })),
      'signed in',
    );
  });

  it('asks for a TOTP code once enrolled, accepts ±1 step, refuses a wrong or replayed code', async () => {
    const enrollment = await admin.enrollTotp({ userName: 'bob' }, { replace: false }, t0);
    assert.match(enrollment.otpauthUri, /^otpauth:\/\/totp\/Bulwark:bob%40\d{12}\?secret=[A-Z2-7]{32}&/);
    await assert.rejects(admin.enrollTotp({ userName: 'bob' }, { replace: false }, t0), /already has a TOTP/);
    const secret = enrollment.secret;
    const at = minutes(100);
    const bob = (code: string | undefined, now: Date = at): Promise<SignInResult> =>
      attempt({ userName: 'bob', remoteAddress: '192.0.2.30', totpCode: code, now });
    assert.equal(refusal(await bob(undefined)), 'totp-required');
    const good = totpCode(secret, at);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    assert.equal(refusal(await bob(wrong)), 'totp-wrong');
    const since = await head();
    const result = await bob(good);
    assert.ok(result.ok);
    assert.equal(result.mfaUsed, true);
    const resolved = await signIn.sessions.resolve(result.session.sessionId, at);
    assert.equal(resolved?.actor.mfaAuthenticated, true);
    assert.equal(refusal(await bob(good)), 'totp-wrong');
    const rows = await records(since);
    assert.deepEqual(
      rows.map((row) => row.error_code),
      [null, 'MfaReplayed'],
    );
    // The next step's code (the phone's clock a little ahead) is accepted once.
    assert.equal(refusal(await bob(totpCode(secret, new Date(at.getTime() + 30_000)))), 'signed in');
    // Two steps ahead is too far.
    assert.equal(refusal(await bob(totpCode(secret, new Date(at.getTime() + 90_000)))), 'totp-wrong');
    await admin.disableTotp({ userName: 'bob' }, at);
    assert.equal(refusal(await bob(undefined, minutes(200))), 'signed in');
  });

  it('ends a session after 30 idle minutes, and any session 12 hours after sign-in', async () => {
    const opened = await attempt({ userName: 'erin', remoteAddress: '192.0.2.40', now: minutes(300) });
    assert.ok(opened.ok);
    const id = opened.session.sessionId;
    // Each request slides the idle expiry; 29 minutes apart, the session lives on.
    let now = minutes(300);
    for (let i = 0; i < 30; i += 1) {
      now = minutes(29, now);
      const resolved = await signIn.sessions.resolve(id, now);
      if (now.getTime() >= minutes(300 + 720).getTime()) {
        assert.equal(resolved, undefined, 'past the absolute timeout');
        break;
      }
      assert.ok(resolved, `alive at ${now.toISOString()}`);
      assert.ok(resolved.idleExpiresAt.getTime() <= minutes(300 + 720).getTime());
    }
    assert.ok(now.getTime() >= minutes(300 + 720).getTime());
    assert.equal(await signIn.sessions.resolve(id, minutes(1, now)), undefined);

    const idle = await attempt({ userName: 'erin', remoteAddress: '192.0.2.40', now: minutes(2000) });
    assert.ok(idle.ok);
    assert.ok(await signIn.sessions.resolve(idle.session.sessionId, minutes(2029)));
    assert.equal(await signIn.sessions.resolve(idle.session.sessionId, minutes(2029 + 30)), undefined);
    assert.equal(await signIn.sessions.resolve('not a session id', minutes(2000)), undefined);
    assert.equal(await signIn.sessions.resolve(undefined, minutes(2000)), undefined);
  });

  it('signs out (audited), and a new password ends every session of the user', async () => {
    const at = minutes(3000);
    const first = await attempt({ userName: 'dave', remoteAddress: '192.0.2.50', now: at });
    const second = await attempt({ userName: 'dave', remoteAddress: '192.0.2.50', now: at });
    assert.ok(first.ok && second.ok);
    const since = await head();
    assert.equal(
      await signIn.signOut(first.session.sessionId, { now: at, remoteAddress: '192.0.2.50' }),
      true,
    );
    assert.equal(await signIn.sessions.resolve(first.session.sessionId, at), undefined);
    assert.equal(
      await signIn.signOut(first.session.sessionId, { now: at, remoteAddress: '192.0.2.50' }),
      false,
    );
    const [record] = await records(since);
    assert.equal(record?.action, 'ConsoleSignOut');
    assert.equal(record?.access_key_id, first.session.sessionRef);
    assert.ok(await signIn.sessions.resolve(second.session.sessionId, at));
    const set = await admin.setPassword(
      { accountId: account, userName: 'dave' },
      'another long password',
      at,
    );
    assert.equal(set.replaced, true);
    // The open session, and dave's earlier one (expired, not yet purged).
    assert.equal(set.sessionsEnded, 2);
    assert.equal(await signIn.sessions.resolve(second.session.sessionId, at), undefined);
    assert.equal(
      refusal(await attempt({ userName: 'dave', remoteAddress: '192.0.2.51', now: at })),
      'wrong-credentials',
    );
  });

  it('refuses short passwords and unknown principals when a password is set', async () => {
    await assert.rejects(admin.setPassword({ userName: 'alice' }, 'too short', t0), /at least 12/);
    await assert.rejects(admin.setPassword({ userName: 'nobody' }, password, t0), /no user nobody/);
    await assert.rejects(admin.setPassword({ userName: 'agents' }, password, t0), /no user agents/);
    await assert.rejects(
      admin.setPassword({ accountId: '999999999999', userName: 'alice' }, password, t0),
      /does not exist/,
    );
  });

  it('purges expired sessions and spent limits', async () => {
    const far = minutes(100_000);
    const purged = await purgeExpiredConsoleState(db, far);
    assert.ok(purged.sessions >= 1, JSON.stringify(purged));
    assert.ok(purged.limits >= 1, JSON.stringify(purged));
    assert.deepEqual(await purgeExpiredConsoleState(db, far), { sessions: 0, limits: 0 });
  });

  it('never writes a password or TOTP code into the audit trail', async () => {
    const rows = await audit.readChain(db, 0, 10_000);
    const text = JSON.stringify(rows);
    for (const secret of [password, 'not the password', 'wrong password!', 'another long password']) {
      assert.ok(!text.includes(secret), `the trail holds "${secret}"`);
    }
    for (const row of rows.filter((r) => r.event_source === 'signin.amazonaws.com')) {
      assert.equal(row.request_parameters, null);
    }
  });

  it('needs the account id once several accounts exist', async () => {
    const access = new AccessService(db, new AccessStore(), box);
    await access.administration.createKey({ newAccount: true, name: 'admin' }, t0);
    const result = await attempt({ now: minutes(5000) });
    assert.equal(refusal(result), 'account-required');
    assert.equal(refusal(await attempt({ accountId: account, now: minutes(5000) })), 'signed in');
  });
});
