/**
 * E2E: GetOverview (`GET /bulwark/overview`) signed with SigV4 against an in-process server. Its numbers equal
 * what GetFindings, GetSecurityScore and DescribeInstanceInformation answer for the same data; another
 * account's findings never count; a key without securityhub:GetOverview is refused; parameters are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AcceptAdministratorInvitationCommand,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  CreateMembersCommand,
  InviteMembersCommand,
  ListInvitationsCommand,
} from '@aws-sdk/client-securityhub';
import {
  DescribeInstanceInformationCommand,
  PutComplianceItemsCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import { rawFetch } from './support/aws-request.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { eventually, registerNode, ssmClient } from './support/ssm.js';

const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
const eq = (Value: string) => ({ Value, Comparison: 'EQUALS' as const });

interface WireOverview {
  SecurityScores: {
    StandardsArn: string;
    Name: string;
    Score: number | null;
    PassedControls: number;
    FailedControls: number;
  }[];
  ActiveFindingsBySeverity: Record<(typeof severities)[number], number>;
  ActiveFindingsTrend: ({ Date: string } & Record<(typeof severities)[number], number>)[];
  TopFailingControls: { ControlId: string; Title: string; SeverityRating: string; FailedResources: number }[];
  FleetPatchCompliance: Record<
    'Compliant' | 'NonCompliant' | 'NotScanned' | 'Online' | 'ConnectionLost' | 'Total',
    number
  >;
  TopNodesByCriticalFindings: { ResourceId: string; Critical: number; High: number }[];
  OpenIncidents: null;
}

describe('GetOverview (e2e)', () => {
  let server: InProcessServer;
  let a: TestAccount;
  let b: TestAccount;
  let ssm: SSMClient;

  before(async () => {
    server = await startInProcessServer({ env: { BULWARK_WORKER_POLL_MS: '50' } });
    a = await enabledAccount(server, 'us-east-1', { defaultStandards: true });
    b = await enabledAccount(server);
    ssm = ssmClient(server, a.key);
  });
  after(async () => {
    ssm?.destroy();
    await server?.dispose();
  });

  async function overviewOf(account: TestAccount, query?: Record<string, string>): Promise<Response> {
    return rawFetch(
      server.endpoint,
      { method: 'GET', path: '/bulwark/overview', ...(query === undefined ? {} : { query }) },
      account.key,
    );
  }

  async function overview(account: TestAccount): Promise<WireOverview> {
    const response = await overviewOf(account);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return JSON.parse(text) as WireOverview;
  }

  /** ACTIVE (RecordState ACTIVE, Workflow NEW or NOTIFIED) findings per severity, counted by GetFindings. */
  async function activeBySeverity(account: TestAccount): Promise<Record<string, number>> {
    const found = await getAllFindings(account.client, {
      RecordState: [eq('ACTIVE')],
      WorkflowStatus: [eq('NEW'), eq('NOTIFIED')],
    });
    const counts: Record<string, number> = Object.fromEntries(severities.map((s) => [s, 0]));
    for (const f of found)
      counts[f.Severity?.Label ?? 'INFORMATIONAL'] = (counts[f.Severity?.Label ?? ''] ?? 0) + 1;
    return counts;
  }

  it('counts what GetFindings, GetSecurityScore and DescribeInstanceInformation answer for the same data', async () => {
    const web = await registerNode(server, ssm, 'web-1');
    await registerNode(server, ssm, 'db-1');
    await ssm.send(
      new PutComplianceItemsCommand({
        ResourceId: web.instanceId,
        ResourceType: 'ManagedInstance',
        ComplianceType: 'Patch',
        ExecutionSummary: { ExecutionTime: new Date() },
        Items: [{ Id: 'KB1', Title: 'openssl', Severity: 'CRITICAL', Status: 'NON_COMPLIANT' }],
      }),
    );
    const findings = [
      a.finding({ Severity: { Label: 'CRITICAL' }, Resources: [{ Type: 'AwsEc2Instance', Id: 'i-0web' }] }),
      a.finding({ Severity: { Label: 'CRITICAL' }, Resources: [{ Type: 'AwsEc2Instance', Id: 'i-0web' }] }),
      a.finding({ Severity: { Label: 'HIGH' }, Resources: [{ Type: 'AwsEc2Instance', Id: 'i-0db' }] }),
      a.finding({ Severity: { Label: 'LOW' } }),
      a.finding({ Severity: { Label: 'HIGH' }, RecordState: 'ARCHIVED' }),
    ];
    const resolved = a.finding({
      Severity: { Label: 'CRITICAL' },
      Resources: [{ Type: 'Other', Id: 'i-0db' }],
    });
    await a.client.send(new BatchImportFindingsCommand({ Findings: [...findings, resolved] }));
    await a.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: resolved.Id, ProductArn: resolved.ProductArn }],
        Workflow: { Status: 'RESOLVED' },
      }),
    );
    // Account B's critical findings on a resource of the same name never reach A's overview.
    await b.client.send(
      new BatchImportFindingsCommand({
        Findings: [1, 2, 3].map(() =>
          b.finding({
            Severity: { Label: 'CRITICAL' },
            Resources: [{ Type: 'AwsEc2Instance', Id: 'i-0db' }],
          }),
        ),
      }),
    );

    // Control findings arrive in the background: compare once two overviews around the reads agree.
    const settled = await eventually(
      async () => {
        const first = await overview(a);
        const counts = await activeBySeverity(a);
        const score = await rawFetch(
          server.endpoint,
          { method: 'GET', path: '/bulwark/securityScore' },
          a.key,
        );
        const second = await overview(a);
        return { first, second, counts, score: (await score.json()) as Record<string, unknown> };
      },
      ({ first, second, counts }) =>
        JSON.stringify(first) === JSON.stringify(second) &&
        JSON.stringify(first.ActiveFindingsBySeverity) === JSON.stringify(counts) &&
        first.TopFailingControls.length > 0,
      'a settled overview',
    );
    const body = settled.first;
    assert.deepEqual(body.ActiveFindingsBySeverity, settled.counts);
    assert.ok((body.ActiveFindingsBySeverity.CRITICAL ?? 0) >= 2);
    assert.equal(body.ActiveFindingsTrend.length, 30);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(body.ActiveFindingsTrend.at(-1)?.Date, today);
    assert.deepEqual(
      { ...body.ActiveFindingsTrend.at(-1), Date: undefined },
      {
        ...body.ActiveFindingsBySeverity,
        Date: undefined,
      },
    );
    const web0 = body.TopNodesByCriticalFindings.find((n) => n.ResourceId === 'i-0web');
    const db0 = body.TopNodesByCriticalFindings.find((n) => n.ResourceId === 'i-0db');
    assert.deepEqual(web0, { ResourceId: 'i-0web', Critical: 2, High: 0 });
    assert.deepEqual(db0, { ResourceId: 'i-0db', Critical: 0, High: 1 });
    assert.equal(body.TopNodesByCriticalFindings[0]?.ResourceId, 'i-0web');
    assert.equal(body.OpenIncidents, null);

    const scores = settled.score['SecurityScores'] as {
      Standards: { StandardsArn: string; Score?: number; PassedControls: number }[];
      Controls: { SecurityControlId: string; Status: string }[];
    }[];
    const standards = scores[0]?.Standards ?? [];
    assert.equal(body.SecurityScores.length, standards.length);
    for (const standard of standards) {
      const mine = body.SecurityScores.find((s) => s.StandardsArn === standard.StandardsArn);
      assert.equal(mine?.Score, standard.Score ?? null);
      assert.equal(mine?.PassedControls, standard.PassedControls);
    }
    const failed = new Set(
      (scores[0]?.Controls ?? []).filter((c) => c.Status === 'FAILED').map((c) => c.SecurityControlId),
    );
    for (const control of body.TopFailingControls) {
      assert.ok(failed.has(control.ControlId), `${control.ControlId} fails in GetSecurityScore`);
      assert.ok(control.FailedResources > 0);
      assert.notEqual(control.Title, '');
    }

    const nodes = (await ssm.send(new DescribeInstanceInformationCommand({}))).InstanceInformationList ?? [];
    const fleet = body.FleetPatchCompliance;
    assert.equal(fleet.Total, nodes.length);
    assert.equal(fleet.Online, nodes.filter((n) => n.PingStatus === 'Online').length);
    assert.equal(fleet.ConnectionLost, nodes.filter((n) => n.PingStatus === 'ConnectionLost').length);
    assert.deepEqual([fleet.Total, fleet.NonCompliant, fleet.Compliant, fleet.NotScanned], [2, 1, 0, 1]);

    const other = await overview(b);
    assert.deepEqual(other.ActiveFindingsBySeverity, { ...other.ActiveFindingsBySeverity, CRITICAL: 3 });
    assert.deepEqual(other.TopNodesByCriticalFindings, [{ ResourceId: 'i-0db', Critical: 3, High: 0 }]);
    assert.equal(other.FleetPatchCompliance.Total, 0);
  });

  it("an administrator's overview counts an Enabled member's findings, and only once it is Enabled", async () => {
    const admin = await enabledAccount(server);
    const member = await enabledAccount(server);
    await member.client.send(
      new BatchImportFindingsCommand({
        Findings: [1, 2].map(() =>
          member.finding({
            Severity: { Label: 'CRITICAL' },
            Resources: [{ Type: 'AwsEc2Instance', Id: 'i-0member' }],
          }),
        ),
      }),
    );
    await admin.client.send(new CreateMembersCommand({ AccountDetails: [{ AccountId: member.accountId }] }));
    await admin.client.send(new InviteMembersCommand({ AccountIds: [member.accountId] }));
    assert.equal((await overview(admin)).ActiveFindingsBySeverity.CRITICAL, 0, 'invited, not Enabled');
    const invitation = (await member.client.send(new ListInvitationsCommand({}))).Invitations?.[0];
    await member.client.send(
      new AcceptAdministratorInvitationCommand({
        AdministratorId: admin.accountId,
        InvitationId: invitation?.InvitationId ?? '',
      }),
    );
    const body = await overview(admin);
    assert.deepEqual(body.ActiveFindingsBySeverity, await activeBySeverity(admin));
    assert.equal(body.ActiveFindingsBySeverity.CRITICAL, 2);
    assert.deepEqual(body.TopNodesByCriticalFindings, [{ ResourceId: 'i-0member', Critical: 2, High: 0 }]);
    assert.equal(body.ActiveFindingsTrend.at(-1)?.CRITICAL, 2);
    // The member's own overview is its own findings only.
    assert.equal((await overview(member)).ActiveFindingsBySeverity.CRITICAL, 2);
  });

  it('answers a new account without Security Hub with empty figures (the console shows what to do next)', async () => {
    const key = await server.createKey();
    const response = await rawFetch(server.endpoint, { method: 'GET', path: '/bulwark/overview' }, key);
    assert.equal(response.status, 200);
    const body = (await response.json()) as WireOverview;
    assert.deepEqual(body.SecurityScores, []);
    assert.deepEqual(body.ActiveFindingsBySeverity, {
      CRITICAL: 0,
      HIGH: 0,
      MEDIUM: 0,
      LOW: 0,
      INFORMATIONAL: 0,
    });
    assert.equal(body.ActiveFindingsTrend.length, 30);
    assert.ok(body.ActiveFindingsTrend.every((day) => day.CRITICAL === 0 && day.INFORMATIONAL === 0));
    assert.deepEqual(body.TopFailingControls, []);
    assert.deepEqual(body.TopNodesByCriticalFindings, []);
    assert.deepEqual(body.FleetPatchCompliance, {
      Compliant: 0,
      NonCompliant: 0,
      NotScanned: 0,
      Online: 0,
      ConnectionLost: 0,
      Total: 0,
    });
  });

  it('refuses a key whose policies do not allow securityhub:GetOverview', async () => {
    const issued = await server.app.access.administration.createKey(
      { accountId: a.accountId, name: 'importer', policies: ['SecurityHubImporter'] },
      new Date(),
    );
    const response = await rawFetch(server.endpoint, { method: 'GET', path: '/bulwark/overview' }, issued);
    assert.equal(response.status, 403);
    const body = (await response.json()) as { __type?: string; message?: string };
    assert.match(String(body.__type), /AccessDeniedException/);
    assert.match(String(body.message), /securityhub:GetOverview/);
  });

  it('refuses query parameters it does not take with a 400', async () => {
    for (const query of [{ MaxResults: '5' }, { '%%garbage': '\u0000' }]) {
      const response = await overviewOf(a, query);
      assert.equal(response.status, 400, JSON.stringify(query));
      const body = (await response.json()) as { __type?: string };
      assert.match(String(body.__type), /InvalidInputException/);
    }
  });
});
