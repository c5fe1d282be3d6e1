/**
 * The web console in a real browser (Debian's chromium through playwright-core) against an in-process server:
 * sign-in (wrong password, lockout, TOTP), the overview's figures against GetOverview, a filter against
 * GetFindings, a bulk RESOLVED in GetFindings and the audit trail, a read-only user, CSRF, an expired session,
 * axe-core on every page and no CSP violation. Screenshots go to test-artifacts/console/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  BatchImportFindingsCommand,
  DescribeStandardsControlsCommand,
  EnableSecurityHubCommand,
  GetEnabledStandardsCommand,
  GetInsightResultsCommand,
  GetInsightsCommand,
  type AwsSecurityFindingFilters,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SecretBox, loadMasterKey } from '../../src/access/index.js';
import { ConsoleCredentialAdministration } from '../../src/sessions/index.js';
import { totpCode } from '../../src/sessions/totp.js';
import { enqueue } from '../../src/worker/job-queue.js';
import { buildFinding, defaultProductArn } from '../factories.js';
import { getAllFindings } from '../support/accounts.js';
import { rawFetch } from '../support/aws-request.js';
import { registerNode, ssmClient } from '../support/ssm.js';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server.js';
import { repoRoot } from '../support/server-harness.js';
import { onlyOn } from '../support/engine-only.js';
import { assertAccessible, cspViolations, launchChromium, screenshot } from './console-browser.js';

const password = 'a long console password';

/** The little of a DOM element the test reads in the page (the test's tsconfig has no DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;

// The pages show what the console API answers; that API (sign-in, sessions, the operations it proxies, GetOverview)
// runs on both engines in test/console-api.e2e.test.ts, test/overview.e2e.test.ts and the other e2e files.
const browserOnly = onlyOn('sqlite', 'the pages render the console API, which runs on both engines');

describe('the web console in chromium', { timeout: 400_000, ...browserOnly }, () => {
  let server: InProcessServer;
  let hub: SecurityHubClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let csp: string[] = [];
  let totpSecret = '';
  let console_ = '';

  const credentials = () => new ConsoleCredentialAdministration(server.app.db, secrets());
  const secrets = () => new SecretBox(loadMasterKey(join(server.dataDir, 'master.key'), undefined));

  async function signIn(userName: string, pass = password): Promise<void> {
    await page.goto(console_);
    await page.getByLabel('User name').fill(userName);
    await page.getByLabel('Password').fill(pass);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Bulwark' }).waitFor();
  }

  async function visit(name: string, path: string, ready: string): Promise<void> {
    await page.goto(`${console_}${path}`);
    await page.getByRole('heading', { name: ready, exact: true }).first().waitFor();
    await page
      .locator('[aria-busy="true"]')
      .first()
      .waitFor({ state: 'detached', timeout: 15_000 })
      .catch(() => undefined);
    await assertAccessible(page, name);
    await screenshot(page, name);
  }

  before(async () => {
    server = await startInProcessServer({
      // The test signs in more often than the per-address sign-in burst allows a person.
      env: {
        BULWARK_CONSOLE_ASSETS_DIR: join(repoRoot, 'dist', 'web'),
        BULWARK_CONSOLE_SIGN_IN_BURST: '100',
      },
    });
    console_ = `${server.endpoint}/console/`;
    hub = server.client();
    await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: true }));
    const target = { accountId: server.accountId, region: 'us-east-1' };
    const findings = Array.from({ length: 24 }, (_, i) =>
      buildFinding(
        {
          Title: i % 3 === 0 ? `web-server exposes port ${8000 + i}` : `database backup ${i} is unencrypted`,
          Severity: { Label: severities[i % severities.length] },
          Resources: [
            {
              Type: 'AwsEc2Instance',
              Id: `i-0console${String(i % 4).padStart(8, '0')}`,
              Region: 'us-east-1',
            },
          ],
        },
        target,
      ),
    );
    const imported = await hub.send(new BatchImportFindingsCommand({ Findings: findings }));
    assert.equal(imported.FailedCount, 0);
    const admin = server.app.access.administration;
    const now = new Date();
    await admin.createPrincipal(
      { accountId: server.accountId, kind: 'user', name: 'reader', policies: ['SecurityHubReadOnly'] },
      now,
    );
    await admin.createPrincipal(
      { accountId: server.accountId, kind: 'user', name: 'mfa-user', policies: ['AdministratorAccess'] },
      now,
    );
    await admin.createPrincipal(
      { accountId: server.accountId, kind: 'user', name: 'locked', policies: ['SecurityHubReadOnly'] },
      now,
    );
    await admin.createPrincipal(
      { accountId: server.accountId, kind: 'user', name: 'importer', policies: ['SecurityHubImporter'] },
      now,
    );
    for (const userName of ['admin', 'reader', 'mfa-user', 'locked', 'importer']) {
      await credentials().setPassword({ userName }, password, now);
    }
    totpSecret = (await credentials().enrollTotp({ userName: 'mfa-user' }, { replace: false }, now)).secret;
    // The audit trail's verification runs when the test says (runJob), not a minute after the server started.
    await sql`update schedules set next_run_at = ${Date.now() + 3_600_000} where name = 'audit-verify'`.execute(
      server.app.db,
    );
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    csp = cspViolations(page);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('refuses a wrong password, locks a user out after 5 failures, and asks TOTP-enrolled users for a code', async () => {
    await signIn('admin', 'not the password at all');
    await page.getByRole('alert').getByText('The user name or password is wrong.').waitFor();
    await assertAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');

    for (let attempt = 0; attempt < 5; attempt++) {
      await signIn('locked', `wrong password ${attempt}`);
      await page.getByRole('alert').getByText('The user name or password is wrong.').waitFor();
    }
    await signIn('locked', password);
    await page
      .getByRole('alert')
      .getByText(/sign-in is locked/)
      .waitFor();

    await signIn('mfa-user');
    const code = totpCode(totpSecret, new Date());
    await page.getByLabel('Authentication code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page
      .getByRole('alert')
      .getByText(/authentication code is wrong/)
      .waitFor();
    await page.getByLabel('Authentication code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await signOut();
  });

  it('shows on the overview the figures GetOverview answers, first render measured', async () => {
    await signIn('admin');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    // First render: a fresh browser context (empty cache) with the session cookie, from navigation to the
    // overview's figures on screen.
    const cold = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      storageState: await context.storageState(),
    });
    try {
      const coldPage = await cold.newPage();
      const started = performance.now();
      await coldPage.goto(console_);
      await coldPage.locator('[data-severity="CRITICAL"]').waitFor();
      const firstRender = performance.now() - started;
      console.log(
        `console first render (cold cache, navigation to the overview's figures): ${firstRender.toFixed(0)} ms`,
      );
    } finally {
      await cold.close();
    }
    for (let attempt = 0; ; attempt++) {
      const before_ = await overviewByApi();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.locator('[data-severity="CRITICAL"]').waitFor();
      const shown = Object.fromEntries(
        await page
          .locator('[data-severity]')
          .evaluateAll((elements: PageElement[]) =>
            elements.map((e) => [e.getAttribute('data-severity') ?? '', e.textContent ?? '']),
          ),
      );
      const after_ = await overviewByApi();
      if (JSON.stringify(before_) !== JSON.stringify(after_) && attempt < 10) continue;
      const expected = after_.ActiveFindingsBySeverity;
      assert.deepEqual(
        shown,
        Object.fromEntries(severities.map((s) => [s, String(expected[s])])),
        'the overview shows GetOverview’s ACTIVE counts',
      );
      assert.ok(severities.reduce((sum, s) => sum + expected[s], 0) >= 24);
      break;
    }
    await assertAccessible(page, 'overview');
    await screenshot(page, 'overview');
    // Another Region (X-Bulwark-Region): none of these findings are there.
    await page.getByLabel('Region').selectOption('eu-west-1');
    await page.getByRole('heading', { name: 'ACTIVE findings by severity' }).waitFor();
    await page.waitForFunction("document.querySelector('[data-severity=\"CRITICAL\"]')?.textContent === '0'");
    await page.getByLabel('Region').selectOption('us-east-1');
    await page.waitForFunction("document.querySelector('[data-severity=\"CRITICAL\"]')?.textContent !== '0'");
    await page.emulateMedia({ colorScheme: 'dark' });
    await assertAccessible(page, 'overview (dark)');
    await screenshot(page, 'overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // A severity's count links to the findings it counts.
    const high = Number(await page.locator('[data-severity="HIGH"]').textContent());
    await page.locator('a', { has: page.locator('[data-severity="HIGH"]') }).click();
    await page.getByRole('heading', { name: 'Findings' }).waitFor();
    await page
      .locator('tr[data-finding-id]')
      .nth(high - 1)
      .waitFor();
    assert.equal(await page.locator('tr[data-finding-id]').count(), high);
  });

  async function overviewByApi(): Promise<{
    ActiveFindingsBySeverity: Record<(typeof severities)[number], number>;
  }> {
    const response = await rawFetch(
      server.endpoint,
      { method: 'GET', path: '/bulwark/overview' },
      server.credentials,
    );
    assert.equal(response.status, 200);
    return (await response.json()) as {
      ActiveFindingsBySeverity: Record<(typeof severities)[number], number>;
    };
  }

  async function shownFindingIds(): Promise<string[]> {
    await page.locator('table.findings, .empty').first().waitFor();
    return page
      .locator('tr[data-finding-id]')
      .evaluateAll((rows: PageElement[]) => rows.map((row) => row.getAttribute('data-finding-id') ?? ''));
  }

  it('filters findings like GetFindings with the same filter, and opens a finding in the drawer', async () => {
    await page.goto(`${console_}findings`);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'HIGH', exact: true }).click();
    await page.getByLabel('Title contains').fill('web-server');
    await page.getByLabel('Title contains').press('Enter');
    await page.locator('tr[data-finding-id]').first().waitFor();
    const filters: AwsSecurityFindingFilters = {
      SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }],
      Title: [{ Value: 'web-server', Comparison: 'CONTAINS' }],
    };
    const expected = (await getAllFindings(hub, filters)).map((f) => f.Id).sort();
    assert.ok(expected.length > 0);
    // The table answers each filter change in turn: wait (up to 10 s) for the answer to the last one.
    let shown: string[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(100)) {
      shown = (await shownFindingIds()).sort();
      if (JSON.stringify(shown) === JSON.stringify(expected)) break;
    }
    assert.deepEqual(shown, expected);
    await assertAccessible(page, 'findings');
    await screenshot(page, 'findings');

    // A saved view is an insight: its group-by counts are GetInsightResults'.
    await page.getByText('Saved views and group-by counts').click();
    await page.getByLabel('Group by').selectOption('SeverityLabel');
    await page.getByLabel('View name').fill('High web servers');
    await page.getByRole('button', { name: 'Save the current filter as a view' }).click();
    const counts = page.locator('table.group-counts');
    await counts.locator('tbody tr').first().waitFor();
    const insights = await hub.send(new GetInsightsCommand({}));
    const insight = (insights.Insights ?? []).find((i) => i.Name === 'High web servers');
    assert.ok(insight?.InsightArn !== undefined);
    const results = await hub.send(new GetInsightResultsCommand({ InsightArn: insight.InsightArn }));
    const shownCounts = await counts
      .locator('tbody tr')
      .evaluateAll((rows: PageElement[]) => rows.map((row) => row.textContent ?? ''));
    assert.deepEqual(
      shownCounts,
      (results.InsightResults?.ResultValues ?? []).map((r) => `${r.GroupByAttributeValue}${r.Count}`),
    );

    await page.locator('tr[data-finding-id] button.link').first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('heading', { name: 'Remediation' }).waitFor();
    await drawer.getByText('Raw ASFF JSON').click();
    await assertAccessible(page, 'finding drawer');
    await screenshot(page, 'finding-drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('resolves findings in bulk with a note: GetFindings and the audit trail (from the console) show it', async () => {
    await page.goto(`${console_}findings`);
    await page.locator('tr[data-finding-id]').nth(1).waitFor();
    const rows = page.locator('tr[data-finding-id]');
    const ids = [
      await rows.nth(0).getAttribute('data-finding-id'),
      await rows.nth(1).getAttribute('data-finding-id'),
    ] as string[];
    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await page.getByLabel('Set workflow to').selectOption('RESOLVED');
    await page.getByLabel('Note', { exact: true }).fill('fixed by the console test');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByText('2 finding(s) set to RESOLVED.').waitFor();

    const stored = await getAllFindings(hub, {
      Id: ids.map((Value) => ({ Value, Comparison: 'EQUALS' as const })),
    });
    assert.deepEqual(
      stored.map((f) => f.Workflow?.Status),
      ['RESOLVED', 'RESOLVED'],
    );
    assert.deepEqual(
      stored.map((f) => f.Note?.Text),
      ['fixed by the console test', 'fixed by the console test'],
    );

    const trail = new CloudTrailClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
    try {
      const events = await trail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'BatchUpdateFindings' }],
        }),
      );
      const event = (events.Events ?? []).find((e) => e.Username === 'admin');
      assert.ok(event !== undefined, 'the bulk change is in the audit trail');
      const record = JSON.parse(event.CloudTrailEvent ?? '{}') as {
        sessionCredentialFromConsole?: unknown;
        userAgent?: string;
      };
      assert.ok(
        record.sessionCredentialFromConsole === true || record.sessionCredentialFromConsole === 'true',
      );
      assert.match(record.userAgent ?? '', /Chrom/);
    } finally {
      trail.destroy();
    }

    await page.goto(`${console_}audit`);
    await page.getByLabel('Look up by').selectOption('EventName');
    await page.getByLabel('Value').fill('BatchUpdateFindings');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('tr[data-event-name="BatchUpdateFindings"]').first().waitFor();
    await assertAccessible(page, 'audit');
    await screenshot(page, 'audit');
  });

  /** Runs a background job now (the worker picks it up) and waits for it to finish. */
  async function runJob(name: 'audit-seal' | 'audit-verify'): Promise<void> {
    const id = await enqueue(server.app.db, { name });
    assert.ok(id !== undefined);
    for (const deadline = Date.now() + 30_000; ;) {
      const job = await server.app.db
        .selectFrom('jobs')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (job.state === 'done') return;
      assert.ok(job.state !== 'failed' && Date.now() < deadline, `job ${name}: ${job.state}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('shows the verdict of the trail’s verification on the audit page: not yet, intact, FAILED, denied', async () => {
    const verdict = page.locator('[data-verification]');
    await sql`delete from audit_verifications`.execute(server.app.db);
    await page.goto(`${console_}audit`);
    await verdict.getByText('The audit trail has not been verified yet').waitFor();

    await runJob('audit-seal');
    await runJob('audit-verify');
    const response = await rawFetch(
      server.endpoint,
      { method: 'GET', path: '/bulwark/auditTrail/verification', service: 'cloudtrail' },
      server.credentials,
    );
    const api = ((await response.json()) as { Verification: { Status: string; SealedThrough: number } })
      .Verification;
    assert.equal(api.Status, 'INTACT');
    await page.reload();
    await verdict.getByText('Audit trail intact, verified at').waitFor();
    assert.match((await verdict.textContent()) ?? '', new RegExp(`sealed through #${api.SealedThrough}\\.`));
    await assertAccessible(page, 'audit verdict');

    const victim = await server.app.db
      .selectFrom('audit_records')
      .select(['seq', 'action'])
      .where('seq', '<=', api.SealedThrough)
      .where('hash', 'is not', null)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    await server.app.db
      .updateTable('audit_records')
      .set({ action: 'DisableSecurityHub' })
      .where('seq', '=', victim.seq)
      .execute();
    await runJob('audit-verify');
    await page.reload();
    const failed = verdict.getByRole('alert');
    await failed.getByText('Verification FAILED at').waitFor();
    assert.match((await failed.textContent()) ?? '', /run bulwark audit verify on the server for details/);
    await assertAccessible(page, 'audit verification failed');
    await screenshot(page, 'audit-verification-failed');
    await server.app.db
      .updateTable('audit_records')
      .set({ action: victim.action })
      .where('seq', '=', victim.seq)
      .execute();
    await runJob('audit-verify');
    await page.reload();
    await verdict.getByText('Audit trail intact, verified at').waitFor();

    // A user whose policies do not allow the call is told so, as on every page.
    await signOut();
    await signIn('importer');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${console_}audit`);
    await verdict
      .getByRole('alert')
      .getByText(/You are not allowed to do this: .*cloudtrail:GetAuditTrailVerification/)
      .waitFor();
    await signOut();
    await signIn('admin');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  it('renders controls, fleet and operations (empty states included) and fits a phone width', async () => {
    await visit('controls', 'controls', 'Controls and standards');
    // Disable a control with a reason, as UpdateStandardsControl does, then enable it again.
    const standards = await hub.send(new GetEnabledStandardsCommand({}));
    const subscription = (standards.StandardsSubscriptions ?? [])[0]?.StandardsSubscriptionArn ?? '';
    const controlOf = async () =>
      (
        await hub.send(new DescribeStandardsControlsCommand({ StandardsSubscriptionArn: subscription }))
      ).Controls?.find((c) => c.ControlId === 'SSM.1');
    const section = page.getByRole('region', {
      name: (await page.locator('section.card h2').first().textContent()) ?? '',
    });
    await section.getByLabel('Reason to disable SSM.1').fill('no EC2 here');
    await section
      .getByRole('row', { name: /SSM\.1/ })
      .getByRole('button', { name: 'Disable' })
      .click();
    await section
      .getByRole('row', { name: /SSM\.1/ })
      .getByText('no EC2 here')
      .waitFor();
    const disabled = await controlOf();
    assert.equal(disabled?.ControlStatus, 'DISABLED');
    assert.equal(disabled?.DisabledReason, 'no EC2 here');
    await section
      .getByRole('row', { name: /SSM\.1/ })
      .getByRole('button', { name: 'Enable' })
      .click();
    await section.getByLabel('Reason to disable SSM.1').waitFor();
    assert.equal((await controlOf())?.ControlStatus, 'ENABLED');
    await visit('fleet-empty', 'fleet', 'Fleet');
    await page.getByText('No managed nodes yet').waitFor();
    await visit('operations-empty', 'operations', 'Operations');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(console_);
    await page.locator('[data-severity="CRITICAL"]').waitFor();
    assert.ok(
      (await page.evaluate<number>('document.documentElement.scrollWidth')) <= 390,
      'nothing overflows a 390 px wide screen',
    );
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Findings' }).waitFor();
    await assertAccessible(page, 'overview at 390 px');
    await screenshot(page, 'overview-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await signOut();
  });

  it('lists a registered node, its inventory search and a patch Scan sent from the console', async () => {
    const ssm = ssmClient(server, server.credentials);
    try {
      const node = await registerNode(server, ssm, 'web-01');
      await node.call('UpdateInstanceInformation', {
        InstanceId: node.instanceId,
        AgentVersion: '3.3.0.0',
        AgentName: 'amazon-ssm-agent',
        PlatformType: 'Linux',
        PlatformName: 'Debian GNU/Linux',
        PlatformVersion: '12',
        ComputerName: 'web-01',
      });
      await node.call('PutInventory', {
        InstanceId: node.instanceId,
        Items: [
          {
            TypeName: 'AWS:Application',
            SchemaVersion: '1.1',
            CaptureTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            Content: [
              { Name: 'openssl', Version: '3.0.11' },
              { Name: 'nginx', Version: '1.22.1' },
            ],
          },
        ],
      });
      await signIn('admin');
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.goto(`${console_}fleet`);
      await page.getByRole('link', { name: node.instanceId }).click();
      await page.getByRole('heading', { name: `Node ${node.instanceId}` }).waitFor();
      await page.getByRole('cell', { name: 'nginx', exact: true }).waitFor();
      await page.getByLabel('Package name starts with').fill('open');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('cell', { name: 'nginx', exact: true }).waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: 'openssl', exact: true }).waitFor();
      await assertAccessible(page, 'node');
      await screenshot(page, 'node');

      await page.goto(`${console_}operations`);
      await page.getByRole('checkbox', { name: new RegExp(node.instanceId) }).check();
      await page.getByRole('button', { name: 'Run AWS-RunPatchBaseline (Scan)' }).click();
      const sent = await page.getByText(/^Sent command /).textContent();
      const commandId = /Sent command (\S+)\./.exec(sent ?? '')?.[1] ?? '';
      assert.notEqual(commandId, '');
      await page.reload();
      await page.getByRole('button', { name: commandId }).click();
      await page.getByRole('button', { name: node.instanceId }).waitFor();
      await assertAccessible(page, 'operations with a command');
      await screenshot(page, 'operations');
      await visit('fleet', 'fleet', 'Fleet');
      await signOut();
    } finally {
      ssm.destroy();
    }
  });

  it('shows a read-only user why it cannot change anything, and the server refuses it too', async () => {
    await signIn('reader');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${console_}findings`);
    await page.locator('tr[data-finding-id]').first().waitFor();
    await page.locator('tr[data-finding-id]').first().getByRole('checkbox').check();
    await page
      .getByText('You are not allowed to change findings (securityhub:BatchUpdateFindings).')
      .waitFor();
    const findingId = await page.locator('tr[data-finding-id]').first().getAttribute('data-finding-id');
    assert.equal(await page.getByRole('button', { name: 'Apply', exact: true }).isDisabled(), true);
    await page.goto(`${console_}controls`);
    await page
      .getByText(/You are not allowed to enable or disable controls/)
      .first()
      .waitFor();
    const identifier = { Id: findingId, ProductArn: defaultProductArn(server.accountId, 'us-east-1') };
    const refused = await page.evaluate(async (finding) => {
      const session = (await (await fetch('/console/api/session')).json()) as {
        session: { csrfToken: string };
      };
      const response = await fetch('/console/api/securityhub/findings/batchupdate', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.session.csrfToken },
        body: JSON.stringify({ FindingIdentifiers: [finding], Workflow: { Status: 'RESOLVED' } }),
      });
      return { status: response.status, body: (await response.json()) as { __type: string } };
    }, identifier);
    assert.equal(refused.status, 403);
    assert.match(refused.body.__type, /AccessDenied/);
  });

  it('refuses a state-changing call without the CSRF token', async () => {
    const refused = await page.evaluate(async () => {
      const response = await fetch('/console/api/securityhub/findings/batchupdate', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ FindingIdentifiers: [], Workflow: { Status: 'RESOLVED' } }),
      });
      return { status: response.status, body: (await response.json()) as { __type: string } };
    });
    assert.deepEqual(refused, { status: 403, body: refused.body });
    assert.equal(refused.body.__type, 'InvalidCsrfToken');
  });

  it('returns to sign-in when the session expired', async () => {
    await page.goto(`${console_}findings`);
    await page.locator('tr[data-finding-id]').first().waitFor();
    await page.waitForLoadState('networkidle');
    await sql`update console_sessions set idle_expires_at = 1, absolute_expires_at = 1`.execute(
      server.app.db,
    );
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Sign in to Bulwark' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Bulwark' }).waitFor();
  });

  it('met no Content Security Policy violation on any page', () => {
    assert.deepEqual(csp, []);
  });
});
