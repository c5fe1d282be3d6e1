import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyFieldsUpdate,
  completeSeverity,
  createFinding,
  diffFindings,
  labelFromNormalized,
  reimportFinding,
  type FindingDocument,
  type ImportContext,
} from './findings-model.js';

const account = '111122223333';
const productArn = `arn:aws:securityhub:us-east-1:${account}:product/${account}/default`;
const context: ImportContext = {
  region: 'us-east-1',
  now: new Date('2026-06-01T00:00:00Z'),
  defaultProduct: true,
  productName: 'Default',
  companyName: 'Personal',
};

function finding(overrides: Partial<FindingDocument> = {}): FindingDocument {
  return {
    SchemaVersion: '2018-10-08',
    Id: 'f-1',
    ProductArn: productArn,
    GeneratorId: 'gen',
    AwsAccountId: account,
    CreatedAt: '2026-05-01T00:00:00Z',
    UpdatedAt: '2026-05-01T00:00:00Z',
    Title: 'title',
    Description: 'description',
    Resources: [{ Type: 'Other', Id: 'i-1' }],
    Severity: { Label: 'HIGH' },
    Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
    ...overrides,
  };
}

describe('severity completion', () => {
  const cases: [number, string][] = [
    [0, 'INFORMATIONAL'],
    [1, 'LOW'],
    [39, 'LOW'],
    [40, 'MEDIUM'],
    [69, 'MEDIUM'],
    [70, 'HIGH'],
    [89, 'HIGH'],
    [90, 'CRITICAL'],
    [100, 'CRITICAL'],
  ];
  for (const [normalized, label] of cases) {
    it(`Normalized ${normalized} is ${label}`, () => assert.equal(labelFromNormalized(normalized), label));
  }
  it('derives Normalized from Label', () => {
    assert.deepEqual(completeSeverity({ Label: 'MEDIUM' }), { Label: 'MEDIUM', Normalized: 40 });
    assert.deepEqual(completeSeverity({ Label: 'CRITICAL' }), { Label: 'CRITICAL', Normalized: 90 });
  });
  it('keeps both when both are given', () => {
    assert.deepEqual(completeSeverity({ Label: 'LOW', Normalized: 55 }), { Label: 'LOW', Normalized: 55 });
  });
});

describe('createFinding', () => {
  it('copies top-level mirrored fields into FindingProviderFields and sets defaults', () => {
    const created = createFinding(finding({ Confidence: 80 }), context);
    assert.deepEqual(created.FindingProviderFields, {
      Confidence: 80,
      Severity: { Label: 'HIGH' },
      Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
    });
    assert.deepEqual(created.Severity, { Label: 'HIGH', Normalized: 70 });
    assert.deepEqual(created.Workflow, { Status: 'NEW' });
    assert.equal(created.RecordState, 'ACTIVE');
    assert.equal(created.WorkflowState, 'NEW');
    assert.equal(created.Region, 'us-east-1');
    assert.equal(created.ProcessedAt, '2026-06-01T00:00:00.000Z');
  });

  it('prefers FindingProviderFields over top-level values', () => {
    const created = createFinding(
      finding({
        Severity: { Label: 'LOW' },
        FindingProviderFields: { Severity: { Label: 'CRITICAL', Original: '9.8' } },
      }),
      context,
    );
    assert.deepEqual(created.Severity, { Label: 'CRITICAL', Original: '9.8', Normalized: 90 });
    assert.deepEqual(created.FindingProviderFields?.Severity, { Label: 'CRITICAL', Original: '9.8' });
  });

  it('drops reserved aws/ product fields a provider sends and adds the service ones', () => {
    const created = createFinding(
      finding({ ProductFields: { 'aws/securityhub/FindingId': 'forged', mine: 'x' } }),
      context,
    );
    assert.deepEqual(created.ProductFields, {
      mine: 'x',
      'aws/securityhub/FindingId': `${productArn}/f-1`,
      'aws/securityhub/ProductName': 'Default',
      'aws/securityhub/CompanyName': 'Personal',
    });
  });

  it('lets only the default product name itself', () => {
    const partner = createFinding(finding({ ProductName: 'Forged', CompanyName: 'Forged' }), {
      ...context,
      defaultProduct: false,
      productName: 'Prowler',
      companyName: 'Prowler',
    });
    assert.equal(partner.ProductName, 'Prowler');
    const own = createFinding(finding({ ProductName: 'Mine', CompanyName: 'Us' }), context);
    assert.equal(own.ProductName, 'Mine');
    assert.equal(own.CompanyName, 'Us');
  });
});

describe('reimportFinding', () => {
  const stored = (document: FindingDocument, customerUpdated = 0) => ({ pk: 1, document, customerUpdated });

  it('keeps customer-owned fields and replaces provider fields', () => {
    const first = createFinding(finding(), context);
    const updated = applyFieldsUpdate(
      stored(first),
      {
        Workflow: { Status: 'NOTIFIED' },
        Note: { Text: 'triaged', UpdatedBy: 'alice' },
        UserDefinedFields: { team: 'ops' },
      },
      context.now,
    );
    const again = reimportFinding(
      stored(updated.document, updated.customerUpdated),
      finding({ UpdatedAt: '2026-05-02T00:00:00Z', Title: 'new title', Workflow: { Status: 'SUPPRESSED' } }),
      context,
    );
    assert.equal(again.Title, 'new title');
    assert.deepEqual(again.Workflow, { Status: 'NOTIFIED' });
    assert.equal(again.Note?.Text, 'triaged');
    assert.deepEqual(again.UserDefinedFields, { team: 'ops' });
  });

  it('does not overwrite a customer-updated Severity but updates FindingProviderFields', () => {
    const first = createFinding(finding(), context);
    const updated = applyFieldsUpdate(stored(first), { Severity: { Label: 'LOW' } }, context.now);
    const again = reimportFinding(
      stored(updated.document, updated.customerUpdated),
      finding({ UpdatedAt: '2026-05-02T00:00:00Z', Severity: { Label: 'CRITICAL' } }),
      context,
    );
    assert.equal(again.Severity?.Label, 'LOW');
    assert.equal(again.FindingProviderFields?.Severity?.Label, 'CRITICAL');
  });

  it('takes the top-level value when a provider sends both it and FindingProviderFields', () => {
    const first = createFinding(finding(), context);
    const again = reimportFinding(
      stored(first),
      finding({
        UpdatedAt: '2026-05-02T00:00:00Z',
        FindingProviderFields: { Severity: { Label: 'MEDIUM' } },
      }),
      context,
    );
    assert.equal(again.Severity?.Label, 'HIGH');
    assert.equal(again.FindingProviderFields?.Severity?.Label, 'MEDIUM');
  });

  it('updates a mirrored field the customer never touched', () => {
    const first = createFinding(finding(), context);
    const providerOnly = finding({
      UpdatedAt: '2026-05-02T00:00:00Z',
      FindingProviderFields: { Severity: { Label: 'MEDIUM' }, Types: ['TTPs/Discovery'] },
    });
    delete providerOnly.Severity;
    delete providerOnly.Types;
    const again = reimportFinding(stored(first), providerOnly, context);
    assert.deepEqual(again.Severity, { Label: 'MEDIUM', Normalized: 40 });
    assert.deepEqual(again.Types, ['TTPs/Discovery']);
  });

  it('reopens a RESOLVED finding whose compliance leaves PASSED', () => {
    const first = createFinding(finding({ Compliance: { Status: 'PASSED' } }), context);
    const resolved = applyFieldsUpdate(stored(first), { Workflow: { Status: 'RESOLVED' } }, context.now);
    const failed = reimportFinding(
      stored(resolved.document),
      finding({ UpdatedAt: '2026-05-02T00:00:00Z', Compliance: { Status: 'FAILED' } }),
      context,
    );
    assert.deepEqual(failed.Workflow, { Status: 'NEW' });
  });

  it('reopens a NOTIFIED finding that becomes ACTIVE again, but never a SUPPRESSED one', () => {
    const archived = createFinding(finding({ RecordState: 'ARCHIVED' }), context);
    for (const [status, expected] of [
      ['NOTIFIED', 'NEW'],
      ['SUPPRESSED', 'SUPPRESSED'],
    ] as const) {
      const set = applyFieldsUpdate(stored(archived), { Workflow: { Status: status } }, context.now);
      const active = reimportFinding(
        stored(set.document),
        finding({ UpdatedAt: '2026-05-02T00:00:00Z', RecordState: 'ACTIVE' }),
        context,
      );
      assert.equal(active.Workflow?.Status, expected);
    }
  });
});

describe('applyFieldsUpdate', () => {
  it('sets the note time, derives the severity label, merges user-defined fields and flags mirrored fields', () => {
    const first = createFinding(finding({ UserDefinedFields: { a: '1' } }), context);
    const now = new Date('2026-07-01T12:00:00Z');
    const result = applyFieldsUpdate(
      { pk: 1, document: first, customerUpdated: 0 },
      {
        Note: { Text: 'n', UpdatedBy: 'bob' },
        Severity: { Normalized: 95 },
        UserDefinedFields: { b: '2' },
        Types: ['Effects/Data Exposure'],
      },
      now,
    );
    assert.deepEqual(result.document.Note, {
      Text: 'n',
      UpdatedBy: 'bob',
      UpdatedAt: '2026-07-01T12:00:00.000Z',
    });
    assert.deepEqual(result.document.Severity, { Normalized: 95, Label: 'CRITICAL' });
    assert.deepEqual(result.document.UserDefinedFields, { a: '1', b: '2' });
    assert.equal(result.document.UpdatedAt, first.UpdatedAt);
    assert.equal(result.customerUpdated, 8 | 16);
  });
});

describe('diffFindings', () => {
  it('lists changed top-level fields with JSON values and ignores ProcessedAt', () => {
    const before = createFinding(finding(), context);
    const after = {
      ...before,
      Title: 'other',
      ProcessedAt: 'later',
      Workflow: { Status: 'RESOLVED' as const },
    };
    assert.deepEqual(diffFindings(before, after), [
      { UpdatedField: 'Title', OldValue: 'title', NewValue: 'other' },
      { UpdatedField: 'Workflow', OldValue: '{"Status":"NEW"}', NewValue: '{"Status":"RESOLVED"}' },
    ]);
  });
});
