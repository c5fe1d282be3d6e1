/**
 * E2E: the web console's JSON API over real HTTP — sign-in (wrong password, unknown user, lockout, TOTP and its
 * replay), the session and sign-out, CSRF and origin checks, and AWS operations called as the signed-in user
 * through the same authorize() and audit trail as signed calls.
 */
import assert from 'node:assert/strict';
import { request as httpsRequestOf } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { AuditStore } from '../src/audit/index.js';
import { totpCode } from '../src/sessions/totp.js';
import { enabledAccount, getFinding, type TestAccount } from './support/accounts.js';
import { ConsoleBrowser, consolePassword, createConsoleUser, type ConsoleUser } from './support/console.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

interface SessionBody {
  session: {
    accountId: string;
    userName: string;
    principalArn: string;
    csrfToken: string;
    mfa: boolean;
    idleExpiresAt: string;
    absoluteExpiresAt: string;
    region: string;
  };
}

describe('console API (e2e)', () => {
  let server: InProcessServer;
  let a: TestAccount;
  let b: TestAccount;
  let admin: ConsoleUser;
  let auditor: ConsoleUser;
  const browser = (): ConsoleBrowser => new ConsoleBrowser(server.endpoint);

  before(async () => {
    server = await startInProcessServer({
      env: {
        // The lockout per address and the request throttle are exercised by their own tests below.
        BULWARK_CONSOLE_ADDRESS_MAX_FAILURES: '1000',
        BULWARK_CONSOLE_SIGN_IN_BURST: '1000',
      },
    });
    a = await enabledAccount(server);
    b = await enabledAccount(server);
    admin = await createConsoleUser(server, a.accountId, 'alice', ['AdministratorAccess']);
    auditor = await createConsoleUser(server, a.accountId, 'audrey', ['SecurityHubReadOnly']);
  });
  after(async () => {
    await server?.dispose();
  });

  async function importFinding(account: TestAccount, title: string): Promise<AwsSecurityFinding> {
    const finding = account.finding({ Title: title });
    const imported = await account.client.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    assert.equal(imported.FailedCount, 0);
    return finding;
  }

  async function consoleEvents(
    accountClient: TestAccount,
    eventName: string,
  ): Promise<Record<string, unknown>[]> {
    const trail = new CloudTrailClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: accountClient.key,
      maxAttempts: 1,
    });
    try {
      const page = await trail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
        }),
      );
      return (page.Events ?? []).map(
        (event) => JSON.parse(event.CloudTrailEvent ?? '{}') as Record<string, unknown>,
      );
    } finally {
      trail.destroy();
    }
  }

  describe('sign-in', () => {
    it('signs a user in: the session in the body, the cookie HttpOnly, SameSite=Strict, Path=/console, Max-Age', async () => {
      const client = browser();
      const answer = await client.signIn({
        accountId: a.accountId,
        userName: 'alice',
        password: consolePassword,
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
      const { session } = answer.body as unknown as SessionBody;
      assert.equal(session.accountId, a.accountId);
      assert.equal(session.userName, 'alice');
      assert.equal(session.principalArn, `arn:aws:iam::${a.accountId}:user/alice`);
      assert.equal(session.mfa, false);
      assert.equal(session.region, 'us-east-1');
      assert.match(session.csrfToken, /^[A-Za-z0-9_-]{43}$/);
      const absolute = Date.parse(session.absoluteExpiresAt) - Date.now();
      assert.ok(absolute > 11.9 * 3_600_000 && absolute <= 12 * 3_600_000, session.absoluteExpiresAt);
      const cookie = answer.headers.get('set-cookie') ?? '';
      assert.match(
        cookie,
        /^bulwark-console=[A-Za-z0-9_-]{43}; Path=\/console; Max-Age=(43199|43200); HttpOnly; SameSite=Strict$/,
      );
      const again = await client.call<SessionBody>('GET', 'session');
      assert.equal(again.status, 200);
      assert.equal(again.body.session.csrfToken, session.csrfToken);
    });

    it('refuses a wrong password and an unknown user with the same answer', async () => {
      const wrong = await browser().signIn({
        accountId: a.accountId,
        userName: 'audrey',
        password: 'not the password!',
      });
      const unknown = await browser().signIn({
        accountId: a.accountId,
        userName: 'nobody',
        password: 'not the password!',
      });
      assert.equal(wrong.status, 401);
      assert.deepEqual(unknown, { ...unknown, status: wrong.status });
      assert.deepEqual(wrong.body, unknown.body);
      assert.equal(wrong.body['__type'], 'SignInRefused');
      assert.equal(wrong.body['reason'], 'wrong-credentials');
      assert.equal(wrong.headers.get('set-cookie'), null);
    });

    it('answers 400 InvalidInputException for a sign-in body that is not the sign-in shape', async () => {
      const answer = await browser().signIn({ userName: 'alice' });
      assert.equal(answer.status, 400);
      assert.equal(answer.body['__type'], 'InvalidInputException');
      assert.match(String(answer.body['message']), /password/);
    });

    it('locks a user after 5 failures: 429 with Retry-After, even for the right password', async () => {
      await createConsoleUser(server, a.accountId, 'locked', ['SecurityHubReadOnly']);
      for (let failure = 0; failure < 5; failure += 1) {
        const refused = await browser().signIn({
          accountId: a.accountId,
          userName: 'locked',
          password: 'wrong password!!',
        });
        assert.equal(refused.status, 401);
      }
      const locked = await browser().signIn({
        accountId: a.accountId,
        userName: 'locked',
        password: consolePassword,
      });
      assert.equal(locked.status, 429);
      assert.equal(locked.body['__type'], 'SignInRefused');
      assert.equal(locked.body['reason'], 'locked');
      const retryAfter = Number(locked.headers.get('retry-after'));
      assert.ok(retryAfter > 800 && retryAfter <= 900, String(retryAfter));
      assert.equal(locked.body['retryAfterSeconds'], retryAfter);
      const logins = await consoleEvents(a, 'ConsoleLogin');
      assert.ok(logins.some((event) => event['errorCode'] === 'UserLocked'));
    });

    it('asks a TOTP-enrolled user for the code, accepts a current one once and refuses its replay', async () => {
      const user = await createConsoleUser(server, a.accountId, 'totp', ['SecurityHubReadOnly'], {
        totp: true,
      });
      const input = { accountId: a.accountId, userName: 'totp', password: consolePassword };
      const asked = await browser().signIn(input);
      assert.equal(asked.status, 401);
      assert.equal(asked.body['reason'], 'totp-required');
      const code = totpCode(user.totpSecret ?? '', new Date());
      const accepted = await browser().signIn({ ...input, totpCode: code });
      assert.equal(accepted.status, 200);
      assert.equal((accepted.body as unknown as SessionBody).session.mfa, true);
      const replayed = await browser().signIn({ ...input, totpCode: code });
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body['reason'], 'totp-wrong');
    });

    it('refuses a sign-in from another origin with 403 InvalidOrigin, and accepts its own origin', async () => {
      const input = { accountId: a.accountId, userName: 'alice', password: consolePassword };
      const foreign = await browser().signIn({ ...input });
      assert.equal(foreign.status, 200);
      const client = browser();
      const refused = await client.call('POST', 'sign-in', input, {
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body['__type'], 'InvalidOrigin');
      assert.equal(refused.headers.get('set-cookie'), null);
      const own = await client.call('POST', 'sign-in', input, { headers: { origin: server.endpoint } });
      assert.equal(own.status, 200);
    });
  });

  describe('session', () => {
    it('answers 401 NotSignedIn without a cookie, and clears a cookie that names no session', async () => {
      const none = await browser().call('GET', 'session');
      assert.equal(none.status, 401);
      assert.equal(none.body['__type'], 'NotSignedIn');
      assert.equal(none.headers.get('set-cookie'), null);
      const stale = browser();
      stale.cookie = `bulwark-console=${'A'.repeat(43)}`;
      const cleared = await stale.call('GET', 'session');
      assert.equal(cleared.status, 401);
      assert.match(cleared.headers.get('set-cookie') ?? '', /^bulwark-console=; Path=\/console; Max-Age=0;/);
    });

    it('signs out with the CSRF token only: 204, the cookie cleared, the session gone', async () => {
      const client = await browser().signInAs(admin);
      const cookie = client.cookie;
      const withoutToken = await client.call('POST', 'sign-out', undefined, { csrf: false });
      assert.equal(withoutToken.status, 403);
      assert.equal(withoutToken.body['__type'], 'InvalidCsrfToken');
      assert.equal((await client.call('GET', 'session')).status, 200);
      const out = await client.call('POST', 'sign-out');
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
      const replay = browser();
      replay.cookie = cookie;
      assert.equal((await replay.call('GET', 'session')).status, 401);
      const signOuts = await consoleEvents(a, 'ConsoleSignOut');
      assert.ok(signOuts.length >= 1);
    });

    it('tells which actions the user may perform', async () => {
      const client = await browser().signInAs(auditor);
      const actions = [
        'securityhub:GetFindings',
        'securityhub:BatchUpdateFindings',
        'cloudtrail:LookupEvents',
      ];
      const answer = await client.call('POST', 'permissions', { actions });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, {
        allowed: {
          'securityhub:GetFindings': true,
          'securityhub:BatchUpdateFindings': false,
          'cloudtrail:LookupEvents': true,
        },
      });
      const noToken = await client.call('POST', 'permissions', { actions }, { csrf: false });
      assert.equal(noToken.status, 403);
    });
  });

  describe('operations as the signed-in user', () => {
    it('answers GetFindings exactly as the signed API does for the same filter', async () => {
      const finding = await importFinding(a, 'console-get-findings');
      const filters = { Title: [{ Value: 'console-get-findings', Comparison: 'EQUALS' }] };
      const client = await browser().signInAs(auditor);
      const viaConsole = await client.call<{ Findings: AwsSecurityFinding[] }>(
        'POST',
        'securityhub/findings',
        {
          Filters: filters,
          MaxResults: 10,
        },
      );
      assert.equal(viaConsole.status, 200);
      assert.equal(viaConsole.headers.get('cache-control'), 'no-store');
      const signed = await a.client.send(
        new GetFindingsCommand({ Filters: filters as never, MaxResults: 10 }),
      );
      assert.equal(viaConsole.body.Findings.length, 1);
      assert.equal(viaConsole.body.Findings[0]?.Id, finding.Id);
      assert.deepEqual(
        JSON.parse(JSON.stringify(viaConsole.body.Findings)),
        JSON.parse(JSON.stringify(signed.Findings)),
      );
    });

    it('resolves a finding with a note from the console: GetFindings shows it, the trail says it came from the console', async () => {
      const finding = await importFinding(a, 'console-resolve');
      const client = await browser().signInAs(admin);
      const session = (await client.call<SessionBody>('GET', 'session')).body.session;
      const answer = await client.call('PATCH', 'securityhub/findings/batchupdate', {
        FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
        Workflow: { Status: 'RESOLVED' },
        Note: { Text: 'fixed in the console', UpdatedBy: 'admin' },
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal((answer.body['ProcessedFindings'] as unknown[]).length, 1);
      const stored = await getFinding(a.client, finding.Id ?? '');
      assert.equal(stored.Workflow?.Status, 'RESOLVED');
      assert.equal(stored.Note?.Text, 'fixed in the console');
      const events = await consoleEvents(a, 'BatchUpdateFindings');
      const event = events.find((candidate) => candidate['sessionCredentialFromConsole'] === 'true');
      assert.ok(event, 'a BatchUpdateFindings event marked as made from the console');
      const identity = event['userIdentity'] as Record<string, unknown>;
      assert.equal(identity['arn'], session.principalArn);
      assert.equal(identity['type'], 'IAMUser');
      assert.match(String(identity['accessKeyId']), /^ASIA[A-Z0-9]{16}$/);
      assert.equal(event['errorCode'], undefined);
      assert.equal(event['userAgent'], 'node');
      // Signed calls are not marked.
      const signedEvents = await consoleEvents(a, 'EnableSecurityHub');
      assert.ok(signedEvents.length > 0 && signedEvents.every((e) => !('sessionCredentialFromConsole' in e)));
    });

    it('refuses a read-only user BatchUpdateFindings with 403 AccessDeniedException, changes nothing, audits the denial', async () => {
      const finding = await importFinding(a, 'console-read-only');
      const client = await browser().signInAs(auditor);
      const answer = await client.call('PATCH', 'securityhub/findings/batchupdate', {
        FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
        Workflow: { Status: 'RESOLVED' },
      });
      assert.equal(answer.status, 403);
      assert.equal(answer.body['__type'], 'AccessDeniedException');
      assert.match(
        String(answer.body['message']),
        /user\/audrey is not authorized to perform: securityhub:BatchUpdateFindings/,
      );
      assert.equal((await getFinding(a.client, finding.Id ?? '')).Workflow?.Status, 'NEW');
      const denied = (await consoleEvents(a, 'BatchUpdateFindings')).filter(
        (event) => event['errorCode'] === 'AccessDeniedException',
      );
      assert.ok(
        denied.some((event) => (event['userIdentity'] as Record<string, unknown>)['userName'] === 'audrey'),
      );
    });

    it('refuses a change without the CSRF token, or with a wrong one, and changes nothing', async () => {
      const finding = await importFinding(a, 'console-csrf');
      const client = await browser().signInAs(admin);
      const update = {
        FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
        Workflow: { Status: 'SUPPRESSED' },
      };
      for (const csrf of [false, 'A'.repeat(43), ''] as const) {
        const answer = await client.call('PATCH', 'securityhub/findings/batchupdate', update, { csrf });
        assert.equal(answer.status, 403);
        assert.equal(answer.body['__type'], 'InvalidCsrfToken');
      }
      const foreign = await client.call('PATCH', 'securityhub/findings/batchupdate', update, {
        headers: { origin: 'http://evil.example' },
      });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body['__type'], 'InvalidOrigin');
      assert.equal((await getFinding(a.client, finding.Id ?? '')).Workflow?.Status, 'NEW');
    });

    it('calls SSM DescribeInstanceInformation and CloudTrail LookupEvents', async () => {
      const client = await browser().signInAs(admin);
      const instances = await client.call('POST', 'ssm/DescribeInstanceInformation', { MaxResults: 50 });
      assert.equal(instances.status, 200, JSON.stringify(instances.body));
      assert.deepEqual(instances.body['InstanceInformationList'], []);
      const trail = await client.call<{ Events: { EventName: string; CloudTrailEvent: string }[] }>(
        'POST',
        'cloudtrail/LookupEvents',
        { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeInstanceInformation' }] },
      );
      assert.equal(trail.status, 200);
      const [event] = trail.body.Events;
      assert.equal(event?.EventName, 'DescribeInstanceInformation');
      assert.equal(
        (JSON.parse(event?.CloudTrailEvent ?? '{}') as Record<string, unknown>)[
          'sessionCredentialFromConsole'
        ],
        'true',
      );
      const reads = await client.call('GET', 'securityhub/bulwark/securityScore');
      assert.equal(reads.status, 200, JSON.stringify(reads.body));
    });

    it('acts in the Region X-Bulwark-Region names, and refuses one that is not a Region name', async () => {
      const client = await browser().signInAs(admin);
      const other = await client.call(
        'POST',
        'securityhub/findings',
        {},
        { headers: { 'x-bulwark-region': 'eu-west-1' } },
      );
      assert.equal(other.status, 401, 'the hub is not enabled in eu-west-1');
      assert.equal(other.body['__type'], 'InvalidAccessException');
      const bad = await client.call(
        'POST',
        'securityhub/findings',
        {},
        { headers: { 'x-bulwark-region': 'not/a-region' } },
      );
      assert.equal(bad.status, 400);
      assert.equal(bad.body['__type'], 'InvalidInputException');
    });

    it('shows a user of one account none of another account’s findings', async () => {
      const theirs = await importFinding(b, 'console-tenant-b');
      const client = await browser().signInAs(admin);
      for (const Filters of [
        { Id: [{ Value: theirs.Id, Comparison: 'EQUALS' }] },
        { AwsAccountId: [{ Value: b.accountId, Comparison: 'EQUALS' }] },
        { Title: [{ Value: 'console-tenant-b', Comparison: 'EQUALS' }] },
      ]) {
        const answer = await client.call('POST', 'securityhub/findings', { Filters });
        assert.equal(answer.status, 200);
        assert.deepEqual(answer.body['Findings'], []);
      }
      const update = await client.call('PATCH', 'securityhub/findings/batchupdate', {
        FindingIdentifiers: [{ Id: theirs.Id, ProductArn: theirs.ProductArn }],
        Workflow: { Status: 'RESOLVED' },
      });
      assert.equal(update.status, 200);
      assert.deepEqual(update.body['ProcessedFindings'], []);
      assert.equal((await getFinding(b.client, theirs.Id ?? '')).Workflow?.Status, 'NEW');
    });
  });
});

describe('console sessions that expire and sign-ins that are throttled (e2e)', () => {
  let server: InProcessServer;
  let user: ConsoleUser;
  const idleMs = 2000;
  const absoluteMs = 5000;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  before(async () => {
    server = await startInProcessServer({
      env: {
        BULWARK_CONSOLE_IDLE_TIMEOUT_MS: String(idleMs),
        BULWARK_CONSOLE_ABSOLUTE_TIMEOUT_MS: String(absoluteMs),
        BULWARK_CONSOLE_SIGN_IN_BURST: '4',
        BULWARK_CONSOLE_SIGN_IN_PER_MINUTE: '1',
      },
    });
    user = await createConsoleUser(server, server.accountId, 'short', ['AdministratorAccess']);
  });
  after(async () => {
    await server?.dispose();
  });

  it('slides the idle expiry with each request, then ends an idle session: 401 NotSignedIn, cookie cleared', async () => {
    const client = await new ConsoleBrowser(server.endpoint).signInAs(user);
    const cookie = client.cookie;
    // Requests 700 ms apart keep the session past its idle timeout.
    for (let poll = 0; poll < 4; poll += 1) {
      await sleep(700);
      assert.equal((await client.call('GET', 'session')).status, 200, `poll ${poll}`);
    }
    await sleep(idleMs + 300);
    const expired = await client.call('POST', 'securityhub/findings', {});
    assert.equal(expired.status, 401);
    assert.equal(expired.body['__type'], 'NotSignedIn');
    assert.match(expired.headers.get('set-cookie') ?? '', /Max-Age=0/);
    const again = new ConsoleBrowser(server.endpoint);
    again.cookie = cookie;
    assert.equal((await again.call('GET', 'session')).status, 401);
  });

  it('ends a session at its absolute timeout however busy it is', async () => {
    const signedInAt = Date.now();
    const client = await new ConsoleBrowser(server.endpoint).signInAs(user);
    let endedAfter: number | undefined;
    while (endedAfter === undefined && Date.now() - signedInAt < absoluteMs + 3000) {
      await sleep(500);
      const answer = await client.call('GET', 'session');
      if (answer.status === 401) endedAfter = Date.now() - signedInAt;
      else assert.equal(answer.status, 200);
    }
    assert.ok(endedAfter !== undefined, 'the session ended');
    assert.ok(endedAfter >= absoluteMs, `ended after ${endedAfter} ms`);
  });

  it('throttles sign-in requests per address before checking them, and audits the refusals', async () => {
    const attempts = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      attempts.push(
        await new ConsoleBrowser(server.endpoint).signIn({ userName: 'short', password: 'wrong password!!' }),
      );
    }
    // Two sign-ins happened in the tests above: two of these three fit in the burst of four.
    const throttled = attempts.filter((answer) => answer.status === 429);
    assert.ok(throttled.length >= 1, attempts.map((answer) => answer.status).join(','));
    const [refusal] = throttled;
    assert.equal(refusal?.body['reason'], 'locked');
    assert.ok(Number(refusal?.headers.get('retry-after')) > 0);
    // No account is known before the body is read: the record is in the trail, under no account.
    const rows = await new AuditStore().readChain(server.app.db, 0, 10_000);
    const codes = rows.filter((row) => row.action === 'ConsoleLogin').map((row) => row.error_code);
    assert.ok(codes.includes('ThrottlingException'), codes.join(','));
  });
});

describe('console sign-in under TLS (e2e)', () => {
  let server: InProcessServer;
  let user: ConsoleUser;

  before(async () => {
    server = await startInProcessServer({ env: { BULWARK_TLS: 'self-signed' } });
    user = await createConsoleUser(server, server.accountId, 'tls-user', ['SecurityHubReadOnly']);
  });
  after(async () => {
    await server?.dispose();
  });

  /** A request over HTTPS to the self-signed listener (its certificate is not what this test checks). */
  function httpsRequest(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    const url = new URL(server.endpoint);
    return new Promise((resolve, reject) => {
      const req = httpsRequestOf(
        { host: url.hostname, port: url.port, path, method, headers, rejectUnauthorized: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('sets a Secure cookie with the __Secure- prefix and takes the https origin as its own', async () => {
    const host = new URL(server.endpoint).host;
    const input = JSON.stringify({
      userName: 'tls-user',
      password: consolePassword,
      accountId: user.accountId,
    });
    const headers = { 'content-type': 'application/json', host, origin: `https://${host}` };
    const answer = await httpsRequest('POST', '/console/api/sign-in', headers, input);
    assert.equal(answer.status, 200, answer.body);
    const [cookie = ''] = (answer.headers['set-cookie'] as string[] | undefined) ?? [];
    assert.match(
      cookie,
      /^__Secure-bulwark-console=[A-Za-z0-9_-]{43}; Path=\/console; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/,
    );
    const session = await httpsRequest('GET', '/console/api/session', { cookie: cookie.split(';')[0] ?? '' });
    assert.equal(session.status, 200);
    const plainOrigin = await httpsRequest(
      'POST',
      '/console/api/sign-in',
      { ...headers, origin: `http://${host}` },
      input,
    );
    assert.equal(plainOrigin.status, 403);
  });
});
