/** E2E: BatchImportFindings, BatchUpdateFindings and GetFindingHistory through the AWS SDK. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingHistoryCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import {
  buildFinding,
  defaultProductArn,
  loadSampleFindings,
  retargetSample,
  uniqueFindingId,
  withoutFields,
} from './factories.js';
import { enabledAccount, getAllFindings, getFinding, type TestAccount } from './support/accounts.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

const t0 = '2024-03-01T10:00:00.000Z';
const t1 = '2024-03-02T10:00:00.000Z';
const t2 = '2024-03-03T10:00:00.000Z';

describe('findings import and update (e2e)', () => {
  let server: InProcessServer;
  let account: TestAccount;

  before(async () => {
    server = await startInProcessServer();
    account = await enabledAccount(server);
  });
  after(async () => {
    await server?.dispose();
  });

  async function importOk(findings: AwsSecurityFinding[], into: TestAccount = account): Promise<void> {
    const result = await into.client.send(new BatchImportFindingsCommand({ Findings: findings }));
    assert.deepEqual(result.FailedFindings, []);
    assert.equal(result.SuccessCount, findings.length);
    assert.equal(result.FailedCount, 0);
  }

  it('imports every published sample, retargeted to the default product, and reads each back', async () => {
    const own = await enabledAccount(server);
    const samples = loadSampleFindings();
    assert.equal(samples.length, 13, 'SOURCES.md lists 13 sample findings');
    const findings = samples.map((sample) => retargetSample(sample.finding, own.target));
    await importOk(findings, own);

    const stored = await getAllFindings(own.client);
    assert.equal(stored.length, 13);
    for (const sample of samples) {
      const label = `${sample.file}#${sample.index}`;
      const found = stored.filter((f) => f.Id === sample.finding.Id);
      assert.equal(found.length, 1, `${label} stored once`);
      const finding = found[0] as AwsSecurityFinding;
      assert.equal(finding.ProductArn, own.productArn, label);
      assert.equal(finding.AwsAccountId, own.accountId, label);
      assert.equal(finding.Region, 'us-east-1', label);
      assert.equal(finding.Title, sample.finding.Title, label);
      assert.equal(finding.Description, sample.finding.Description, label);
      assert.equal(finding.CreatedAt, sample.finding.CreatedAt, `${label}: timestamps are kept as sent`);
      assert.equal(finding.UpdatedAt, sample.finding.UpdatedAt, label);
      assert.deepEqual(
        finding.Resources?.map((r) => r.Id),
        sample.finding.Resources?.map((r) => r.Id),
        label,
      );
      assert.equal(finding.RecordState, sample.finding.RecordState ?? 'ACTIVE', label);
      assert.equal(finding.Workflow?.Status, sample.finding.Workflow?.Status ?? 'NEW', label);
      assert.ok(finding.Severity?.Label !== undefined, `${label}: Severity.Label filled`);
      assert.ok(!Number.isNaN(Date.parse(finding.ProcessedAt ?? '')), `${label}: ProcessedAt set`);
      assert.equal(
        finding.ProductFields?.['aws/securityhub/FindingId'],
        `${own.productArn}/${sample.finding.Id}`,
        `${label}: reserved ProductFields are the service's`,
      );
    }
    const byId = (id: string): AwsSecurityFinding => stored.find((f) => f.Id === id) as AwsSecurityFinding;
    // Trivy #1 gives only Normalized 70 → HIGH; GuardDuty gives Label LOW with Normalized 40 → Label wins.
    assert.equal(byId('Ruby/CVE-2020-25613').Severity?.Label, 'HIGH');
    assert.equal(byId('Ruby/CVE-2020-25613').Severity?.Normalized, 70);
    const guardDuty = samples.find((s) => s.file === 'ocsf-examples-securityhub.json' && s.index === 0);
    assert.equal(byId(String(guardDuty?.finding.Id)).Severity?.Label, 'LOW');
    const inspector = samples.find((s) => s.file === 'ocsf-examples-securityhub.json' && s.index === 1);
    assert.equal(byId(String(inspector?.finding.Id)).Vulnerabilities?.[0]?.Id, 'CVE-2023-1255');
    assert.equal(byId('alpine:3.10 (alpine 3.10.9)/CVE-2021-36159').Severity?.Label, 'CRITICAL');
    assert.equal(
      byId('alpine:3.10 (alpine 3.10.9)/CVE-2021-36159').UpdatedAt,
      '2022-08-10T22:29:18.549938-07:00',
      'an offset timestamp is returned as sent',
    );
  });

  it('rejects 101 findings with InvalidInputException and stores none of them', async () => {
    const generator = `batch-limit-${uniqueFindingId()}`;
    const findings = Array.from({ length: 101 }, () => account.finding({ GeneratorId: generator }));
    await expectAwsError(
      account.client.send(new BatchImportFindingsCommand({ Findings: findings })),
      'InvalidInputException',
      400,
    );
    const stored = await account.client.send(
      new GetFindingsCommand({ Filters: { GeneratorId: [{ Value: generator, Comparison: 'EQUALS' }] } }),
    );
    assert.deepEqual(stored.Findings, []);
    await expectAwsError(
      account.client.send(new BatchImportFindingsCommand({ Findings: [] })),
      'InvalidInputException',
      400,
    );
  });

  it('reports malformed findings in FailedFindings (InvalidInput) and stores the others', async () => {
    const generator = `partial-${uniqueFindingId()}`;
    const good1 = account.finding({ GeneratorId: generator });
    const good2 = account.finding({ GeneratorId: generator });
    const noTitle = withoutFields(account.finding({ GeneratorId: generator }), 'Title');
    const badLabel = account.finding({ GeneratorId: generator, Severity: { Label: 'SEVERE' as 'HIGH' } });
    const result = await account.client.send(
      new BatchImportFindingsCommand({ Findings: [good1, noTitle as AwsSecurityFinding, good2, badLabel] }),
    );
    assert.equal(result.SuccessCount, 2);
    assert.equal(result.FailedCount, 2);
    assert.deepEqual(
      result.FailedFindings?.map((f) => [f.Id, f.ErrorCode]),
      [
        [noTitle.Id, 'InvalidInput'],
        [badLabel.Id, 'InvalidInput'],
      ],
    );
    assert.match(result.FailedFindings?.[0]?.ErrorMessage ?? '', /Title/);
    assert.match(result.FailedFindings?.[1]?.ErrorMessage ?? '', /Severity/);
    const stored = await getAllFindings(account.client, {
      GeneratorId: [{ Value: generator, Comparison: 'EQUALS' }],
    });
    assert.deepEqual(stored.map((f) => f.Id).sort(), [good1.Id, good2.Id].sort());
  });

  it("refuses another account's ProductArn or AwsAccountId with AccessDeniedException, storing nothing", async () => {
    const other = await enabledAccount(server);
    const generator = `foreign-${uniqueFindingId()}`;
    const mine = account.finding({ GeneratorId: generator });
    const foreignProduct = account.finding({ GeneratorId: generator, ProductArn: other.productArn });
    await expectAwsError(
      account.client.send(new BatchImportFindingsCommand({ Findings: [mine, foreignProduct] })),
      'AccessDeniedException',
      403,
      /is not authorized to perform: securityhub:BatchImportFindings on resource: /,
    );
    const foreignAccount = account.finding({ GeneratorId: generator, AwsAccountId: other.accountId });
    await expectAwsError(
      account.client.send(new BatchImportFindingsCommand({ Findings: [mine, foreignAccount] })),
      'AccessDeniedException',
      403,
    );
    const otherRegion = account.finding({
      GeneratorId: generator,
      ProductArn: defaultProductArn(account.accountId, 'eu-west-1'),
    });
    await expectAwsError(
      account.client.send(new BatchImportFindingsCommand({ Findings: [otherRegion] })),
      'AccessDeniedException',
      403,
    );
    for (const client of [account.client, other.client]) {
      const stored = await client.send(
        new GetFindingsCommand({ Filters: { GeneratorId: [{ Value: generator, Comparison: 'EQUALS' }] } }),
      );
      assert.deepEqual(stored.Findings, []);
    }
  });

  it('ignores a re-import whose UpdatedAt is equal or older', async () => {
    const original = account.finding({ CreatedAt: t1, UpdatedAt: t1, Title: 'original title' });
    await importOk([original]);
    for (const updatedAt of [t1, t0, '2024-03-02T11:00:00+02:00']) {
      const result = await account.client.send(
        new BatchImportFindingsCommand({
          Findings: [{ ...original, UpdatedAt: updatedAt, Title: 'stale title', Severity: { Label: 'LOW' } }],
        }),
      );
      assert.equal(result.FailedCount, 0, `UpdatedAt ${updatedAt}`);
      const stored = await getFinding(account.client, String(original.Id));
      assert.equal(stored.Title, 'original title', `UpdatedAt ${updatedAt} must not replace`);
      assert.equal(stored.UpdatedAt, t1);
      assert.equal(stored.Severity?.Label, 'MEDIUM');
    }
  });

  it('treats any later instant as newer: across UTC offsets and below the millisecond (§1.5: up to 9 digits)', async () => {
    const offset = account.finding({ CreatedAt: t1, UpdatedAt: t1, Title: 'v1' });
    const fine = account.finding({
      CreatedAt: '2024-01-25T16:12:37.059068601Z',
      UpdatedAt: '2024-01-25T16:12:37.059068601Z',
      Title: 'v1',
    });
    await importOk([offset, fine]);
    // 06:00-05:00 is 11:00Z, an hour after t1.
    await importOk([{ ...offset, UpdatedAt: '2024-03-02T06:00:00-05:00', Title: 'v2' }]);
    assert.equal((await getFinding(account.client, String(offset.Id))).Title, 'v2');
    // 299 ns later is still later.
    await importOk([{ ...fine, UpdatedAt: '2024-01-25T16:12:37.059068900Z', Title: 'v2' }]);
    const stored = await getFinding(account.client, String(fine.Id));
    assert.equal(
      stored.UpdatedAt,
      '2024-01-25T16:12:37.059068900Z',
      'a sub-millisecond newer update is applied',
    );
    assert.equal(stored.Title, 'v2');
  });

  it('applies the newest copy when one batch carries the same finding twice', async () => {
    const finding = account.finding({ UpdatedAt: t1, Title: 'first copy' });
    const result = await account.client.send(
      new BatchImportFindingsCommand({
        Findings: [
          finding,
          { ...finding, UpdatedAt: t2, Title: 'newer copy' },
          { ...finding, UpdatedAt: t0, Title: 'older copy' },
        ],
      }),
    );
    assert.equal(result.FailedCount, 0);
    assert.equal((await getFinding(account.client, String(finding.Id))).Title, 'newer copy');
  });

  it('rejects a request over 6 MB with 413 RequestEntityTooLargeException', async () => {
    const generator = `oversized-${uniqueFindingId()}`;
    const bulk = Object.fromEntries(
      Array.from({ length: 34 }, (_, i) => [`evidence/${i}`, 'x'.repeat(2000)]),
    );
    const findings = Array.from({ length: 100 }, () =>
      account.finding({ GeneratorId: generator, ProductFields: bulk }),
    );
    assert.ok(JSON.stringify({ Findings: findings }).length > 6_500_000);
    await expectAwsError(
      account.client.send(new BatchImportFindingsCommand({ Findings: findings })),
      'RequestEntityTooLargeException',
      413,
    );
    const stored = await account.client.send(
      new GetFindingsCommand({ Filters: { GeneratorId: [{ Value: generator, Comparison: 'EQUALS' }] } }),
    );
    assert.deepEqual(stored.Findings, []);
  });

  it('replaces provider fields on a newer re-import but keeps Workflow, Note and UserDefinedFields', async () => {
    const original = account.finding({ UpdatedAt: t0 });
    await importOk([original]);
    const update = await account.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: original.Id, ProductArn: original.ProductArn }],
        Workflow: { Status: 'NOTIFIED' },
        Note: { Text: 'ticket SEC-42 opened', UpdatedBy: 'alice' },
        UserDefinedFields: { ticket: 'SEC-42' },
        VerificationState: 'TRUE_POSITIVE',
      }),
    );
    assert.equal(update.ProcessedFindings?.length, 1);
    const withoutRemediation = withoutFields(original, 'Remediation');
    await importOk([
      {
        ...withoutRemediation,
        UpdatedAt: t1,
        Title: 'Security group allows SSH and RDP from 0.0.0.0/0',
        Workflow: { Status: 'SUPPRESSED' },
        Note: { Text: 'provider note', UpdatedBy: 'scanner', UpdatedAt: t1 },
        VerificationState: 'FALSE_POSITIVE',
      },
    ]);
    const stored = await getFinding(account.client, String(original.Id));
    assert.equal(stored.Title, 'Security group allows SSH and RDP from 0.0.0.0/0');
    assert.equal(stored.UpdatedAt, t1);
    assert.equal(stored.Remediation, undefined, 'a field left out of the newer document is gone');
    assert.equal(stored.Workflow?.Status, 'NOTIFIED');
    assert.equal(stored.Note?.Text, 'ticket SEC-42 opened');
    assert.equal(stored.Note?.UpdatedBy, 'alice');
    assert.deepEqual(stored.UserDefinedFields, { ticket: 'SEC-42' });
    assert.equal(stored.VerificationState, 'TRUE_POSITIVE');
  });

  it('applies the FindingProviderFields rules: customer-updated Severity survives, FPF follows the provider', async () => {
    const created = account.finding({
      UpdatedAt: t0,
      Severity: { Label: 'LOW' },
      FindingProviderFields: { Severity: { Label: 'CRITICAL', Original: '9.8' }, Confidence: 60 },
    });
    await importOk([created]);
    let stored = await getFinding(account.client, String(created.Id));
    assert.equal(stored.Severity?.Label, 'CRITICAL', 'FPF wins over top-level on creation');
    assert.equal(stored.Severity?.Normalized, 90);
    assert.equal(stored.Confidence, 60);
    assert.equal(stored.FindingProviderFields?.Severity?.Label, 'CRITICAL');
    assert.equal(stored.FindingProviderFields?.Severity?.Original, '9.8');
    assert.deepEqual(stored.FindingProviderFields?.Types, created.Types, 'FPF.Types copied from top-level');
    assert.equal(stored.FindingProviderFields?.Criticality, 50);

    await account.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: created.Id, ProductArn: created.ProductArn }],
        Severity: { Label: 'HIGH' },
      }),
    );
    stored = await getFinding(account.client, String(created.Id));
    assert.equal(stored.Severity?.Label, 'HIGH');
    assert.equal(stored.Severity?.Normalized, 70);
    assert.equal(stored.FindingProviderFields?.Severity?.Label, 'CRITICAL', 'customers never change FPF');

    // Only FindingProviderFields carries the mirrored fields here, so the top-level copies follow it unless customer-updated.
    const rest = withoutFields(created, 'Severity', 'Confidence', 'Criticality');
    await importOk([
      {
        ...rest,
        UpdatedAt: t1,
        FindingProviderFields: {
          Severity: { Label: 'LOW', Original: '2.0' },
          Types: created.Types,
          Confidence: 30,
          Criticality: 10,
        },
      },
    ]);
    stored = await getFinding(account.client, String(created.Id));
    assert.equal(stored.Severity?.Label, 'HIGH', 'customer-updated Severity is not overwritten');
    assert.equal(stored.FindingProviderFields?.Severity?.Label, 'LOW');
    assert.equal(stored.FindingProviderFields?.Severity?.Original, '2.0');
    assert.equal(stored.Confidence, 30, 'Confidence was never customer-updated, so it follows the provider');
    assert.equal(stored.FindingProviderFields?.Confidence, 30);
    assert.equal(stored.Criticality, 10);

    const withoutFpf = withoutFields(created, 'Confidence', 'Criticality', 'FindingProviderFields');
    await importOk([{ ...withoutFpf, UpdatedAt: t2, Severity: { Label: 'MEDIUM' } }]);
    stored = await getFinding(account.client, String(created.Id));
    assert.equal(
      stored.Severity?.Label,
      'HIGH',
      'top-level provider Severity does not override the customer',
    );
    assert.equal(
      stored.FindingProviderFields?.Severity?.Label,
      'MEDIUM',
      'top-level-only update overwrites FPF',
    );
  });

  it('sends a RESOLVED finding back to NEW when Compliance goes PASSED → FAILED or RecordState ARCHIVED → ACTIVE', async () => {
    const compliance = account.finding({ UpdatedAt: t0, Compliance: { Status: 'PASSED' } });
    const archived = account.finding({ UpdatedAt: t0, RecordState: 'ARCHIVED' });
    const suppressed = account.finding({ UpdatedAt: t0, RecordState: 'ARCHIVED' });
    const stillPassing = account.finding({ UpdatedAt: t0, Compliance: { Status: 'PASSED' } });
    await importOk([compliance, archived, suppressed, stillPassing]);
    const resolve = (findings: AwsSecurityFinding[], status: 'RESOLVED' | 'SUPPRESSED') =>
      account.client.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: findings.map((f) => ({ Id: f.Id, ProductArn: f.ProductArn })),
          Workflow: { Status: status },
        }),
      );
    await resolve([compliance, archived, stillPassing], 'RESOLVED');
    await resolve([suppressed], 'SUPPRESSED');
    await importOk([
      { ...compliance, UpdatedAt: t1, Compliance: { Status: 'FAILED' } },
      { ...archived, UpdatedAt: t1, RecordState: 'ACTIVE' },
      { ...suppressed, UpdatedAt: t1, RecordState: 'ACTIVE' },
      { ...stillPassing, UpdatedAt: t1, Title: 'still passing' },
    ]);
    assert.equal((await getFinding(account.client, String(compliance.Id))).Workflow?.Status, 'NEW');
    const reactivated = await getFinding(account.client, String(archived.Id));
    assert.equal(reactivated.Workflow?.Status, 'NEW');
    assert.equal(reactivated.RecordState, 'ACTIVE');
    assert.equal((await getFinding(account.client, String(suppressed.Id))).Workflow?.Status, 'SUPPRESSED');
    const unchanged = await getFinding(account.client, String(stillPassing.Id));
    assert.equal(unchanged.Title, 'still passing');
    assert.equal(unchanged.Workflow?.Status, 'RESOLVED');
  });

  it('BatchUpdateFindings reports Processed and Unprocessed (FindingNotFound, DuplicatedFindingIdentifier)', async () => {
    const a = account.finding({ UpdatedAt: t0 });
    const b = account.finding({ UpdatedAt: t0 });
    await importOk([a, b]);
    const idOf = (f: AwsSecurityFinding) => ({ Id: f.Id, ProductArn: f.ProductArn });
    const missing = { Id: uniqueFindingId('missing'), ProductArn: account.productArn };
    const result = await account.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [idOf(a), missing, idOf(b), idOf(b)],
        Severity: { Normalized: 95 },
        Criticality: 99,
      }),
    );
    assert.deepEqual(result.ProcessedFindings, [idOf(a)]);
    const unprocessed = (result.UnprocessedFindings ?? []).map((u) => [
      u.FindingIdentifier?.Id,
      u.ErrorCode,
      u.ErrorMessage,
    ]);
    assert.deepEqual(unprocessed, [
      [missing.Id, 'FindingNotFound', 'Finding Not Found'],
      [b.Id, 'DuplicatedFindingIdentifier', 'Finding Identifier is duplicated'],
      [b.Id, 'DuplicatedFindingIdentifier', 'Finding Identifier is duplicated'],
    ]);
    const updated = await getFinding(account.client, String(a.Id));
    assert.equal(updated.Severity?.Normalized, 95);
    assert.equal(updated.Severity?.Label, 'CRITICAL', 'Label derived from Normalized');
    assert.equal(updated.Severity?.Original, 'MEDIUM', 'Original is kept');
    assert.equal(updated.Criticality, 99);
    assert.equal(updated.UpdatedAt, t0, 'BatchUpdateFindings does not touch UpdatedAt');
    assert.equal(
      (await getFinding(account.client, String(b.Id))).Criticality,
      50,
      'duplicates are not applied',
    );

    for (const [normalized, label] of [
      [0, 'INFORMATIONAL'],
      [1, 'LOW'],
      [39, 'LOW'],
      [40, 'MEDIUM'],
      [69, 'MEDIUM'],
      [70, 'HIGH'],
      [89, 'HIGH'],
      [90, 'CRITICAL'],
    ] as const) {
      await account.client.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: [idOf(b)],
          Severity: { Normalized: normalized },
        }),
      );
      const stored = await getFinding(account.client, String(b.Id));
      assert.equal(stored.Severity?.Label, label, `Normalized ${normalized}`);
    }
    await account.client.send(
      new BatchUpdateFindingsCommand({ FindingIdentifiers: [idOf(b)], Severity: { Label: 'LOW' } }),
    );
    assert.equal((await getFinding(account.client, String(b.Id))).Severity?.Normalized, 1);

    await expectAwsError(
      account.client.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: [idOf(a)],
          Workflow: { Status: 'DONE' as 'NEW' },
        }),
      ),
      'InvalidInputException',
      400,
    );
    await expectAwsError(
      account.client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [idOf(a)], Confidence: 101 })),
      'InvalidInputException',
      400,
    );
    await expectAwsError(
      account.client.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: Array.from({ length: 101 }, (_, i) => ({
            Id: `x-${i}`,
            ProductArn: account.productArn,
          })),
          Confidence: 5,
        }),
      ),
      'InvalidInputException',
      400,
    );
  });

  it('GetFindingHistory shows the import and the update', async () => {
    const finding = account.finding({ UpdatedAt: t0 });
    await importOk([finding]);
    await account.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
        Workflow: { Status: 'NOTIFIED' },
      }),
    );
    const history = await account.client.send(
      new GetFindingHistoryCommand({ FindingIdentifier: { Id: finding.Id, ProductArn: finding.ProductArn } }),
    );
    const records = history.Records ?? [];
    assert.equal(records.length, 2);
    const [created, updated] = records;
    assert.equal(created?.FindingCreated, true);
    assert.equal(created?.UpdateSource?.Type, 'BATCH_IMPORT_FINDINGS');
    assert.equal(created?.UpdateSource?.Identity, account.key.principalArn);
    assert.equal(created?.FindingIdentifier?.Id, finding.Id);
    assert.ok(
      created?.UpdateTime instanceof Date && Math.abs(created.UpdateTime.getTime() - Date.now()) < 60_000,
    );
    assert.equal(updated?.FindingCreated, false);
    assert.equal(updated?.UpdateSource?.Type, 'BATCH_UPDATE_FINDINGS');
    assert.deepEqual(updated?.Updates, [
      { UpdatedField: 'Workflow', OldValue: '{"Status":"NEW"}', NewValue: '{"Status":"NOTIFIED"}' },
    ]);
  });

  it("keeps accounts apart: another account neither sees nor updates the first account's findings", async () => {
    const finding = account.finding({ UpdatedAt: t0 });
    await importOk([finding]);
    const other = await enabledAccount(server);
    const seen = await other.client.send(new GetFindingsCommand({}));
    assert.deepEqual(seen.Findings, []);
    const byId = await other.client.send(
      new GetFindingsCommand({ Filters: { Id: [{ Value: String(finding.Id), Comparison: 'EQUALS' }] } }),
    );
    assert.deepEqual(byId.Findings, []);
    const update = await other.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
        Workflow: { Status: 'SUPPRESSED' },
      }),
    );
    assert.deepEqual(update.ProcessedFindings, []);
    assert.deepEqual(
      update.UnprocessedFindings?.map((u) => u.ErrorCode),
      ['FindingNotFound'],
    );
    const history = await other.client.send(
      new GetFindingHistoryCommand({ FindingIdentifier: { Id: finding.Id, ProductArn: finding.ProductArn } }),
    );
    assert.deepEqual(history.Records, []);
    assert.equal((await getFinding(account.client, String(finding.Id))).Workflow?.Status, 'NEW');
  });

  it('builds findings that the server accepts unchanged (factory sanity)', async () => {
    const finding = buildFinding({}, account.target);
    await importOk([finding]);
    const stored = await getFinding(account.client, String(finding.Id));
    assert.deepEqual(stored.Resources, finding.Resources);
    assert.deepEqual(stored.Network, finding.Network);
  });
});
