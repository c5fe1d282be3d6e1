import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import type { Db } from '../storage/database.js';
import { compileFilters, valuesForGroupBy, type FindingFilters } from './filters/index.js';
import { FindingsService, type IngestPolicy } from './findings-service.js';
import { ownAccountOnly } from './finding-scope.js';
import { FindingsStore } from './findings-store.js';
import type { FindingDocument } from './findings-model.js';

const account = '111122223333';
const other = '444455556666';
const productArn = (acct: string): string => `arn:aws:securityhub:us-east-1:${acct}:product/${acct}/default`;
const now = new Date('2026-06-01T00:00:00Z');
const labels = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
const typeNames = [
  'Software and Configuration Checks/Vulnerabilities/CVE',
  'TTPs/Discovery',
  'Effects/Data Exposure',
];

const allowAll: IngestPolicy = {
  rulesFor: () => Promise.resolve([]),
  isProductEnabled: () => Promise.resolve(true),
};

/** A deterministic spread of findings over severities, types, resources, dates and compliance states. */
function sampleFinding(index: number, acct = account): FindingDocument {
  const day = String(1 + (index % 28)).padStart(2, '0');
  const document: FindingDocument = {
    SchemaVersion: '2018-10-08',
    Id: `finding-${String(index).padStart(4, '0')}`,
    ProductArn: productArn(acct),
    GeneratorId: `generator-${index % 7}`,
    AwsAccountId: acct,
    CreatedAt: `2026-05-${day}T00:00:00Z`,
    UpdatedAt: `2026-05-${day}T12:00:00Z`,
    Title: index % 3 === 0 ? `CVE-2026-${index} in openssl` : `Port ${index} open`,
    Description: 'generated',
    Resources: [
      { Type: index % 2 === 0 ? 'AwsEc2Instance' : 'Other', Id: `i-${index % 11}` },
      ...(index % 5 === 0 ? [{ Type: 'Container', Id: `c-${index % 3}` }] : []),
    ],
    Severity: { Label: labels[index % 5] ?? 'LOW' },
    Types: index % 4 === 0 ? [typeNames[0] ?? '', typeNames[1] ?? ''] : [typeNames[index % 3] ?? ''],
  };
  if (index % 3 !== 1) document.Compliance = { Status: index % 2 === 0 ? 'PASSED' : 'FAILED' };
  if (index % 6 === 0) document.RecordState = 'ARCHIVED';
  return document;
}

describe('FindingsService over SQLite', () => {
  let db: Db;
  const service = new FindingsService(new FindingsStore(), allowAll, ownAccountOnly);
  const imported: FindingDocument[] = [];

  before(async () => {
    db = await openTestDatabase();
    for (let start = 0; start < 300; start += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => sampleFinding(start + i));
      const result = await inCtx(db, (ctx) => service.importFindings(ctx, batch), { now });
      assert.equal(result.SuccessCount, 100, JSON.stringify(result.FailedFindings[0]));
    }
    await inCtx(db, (ctx) => service.importFindings(ctx, [sampleFinding(1, other)]), {
      accountId: other,
      now,
    });
    const all = await readAll({}, []);
    imported.push(...all);
  });

  async function readAll(
    filters: FindingFilters,
    sortCriteria: { Field: string; SortOrder: 'asc' | 'desc' }[],
    pageSize = 37,
  ): Promise<FindingDocument[]> {
    const seen: FindingDocument[] = [];
    let nextToken: string | undefined;
    do {
      const page = await inCtx(
        db,
        (ctx) => service.getFindings(ctx, { filters, sortCriteria, nextToken, maxResults: pageSize }),
        { now },
      );
      seen.push(...page.findings);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return seen;
  }

  const filterCases: [string, FindingFilters][] = [
    ['severity EQUALS', { SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }] }],
    [
      'severity OR within a key',
      {
        SeverityLabel: [
          { Value: 'HIGH', Comparison: 'EQUALS' },
          { Value: 'CRITICAL', Comparison: 'EQUALS' },
        ],
      },
    ],
    ['title PREFIX', { Title: [{ Value: 'CVE-2026-1', Comparison: 'PREFIX' }] }],
    ['title CONTAINS (in memory)', { Title: [{ Value: 'openssl', Comparison: 'CONTAINS' }] }],
    [
      'negatives AND',
      {
        SeverityLabel: [
          { Value: 'LOW', Comparison: 'NOT_EQUALS' },
          { Value: 'MEDIUM', Comparison: 'NOT_EQUALS' },
        ],
      },
    ],
    [
      'nullable NOT_EQUALS keeps missing',
      { ComplianceStatus: [{ Value: 'PASSED', Comparison: 'NOT_EQUALS' }] },
    ],
    ['type PREFIX on the child table', { Type: [{ Value: 'TTPs', Comparison: 'PREFIX' }] }],
    [
      'type NOT_EQUALS: no element matches',
      { Type: [{ Value: 'TTPs/Discovery', Comparison: 'NOT_EQUALS' }] },
    ],
    ['resource id', { ResourceId: [{ Value: 'i-3', Comparison: 'EQUALS' }] }],
    [
      'resource type PREFIX_NOT_EQUALS',
      { ResourceType: [{ Value: 'Cont', Comparison: 'PREFIX_NOT_EQUALS' }] },
    ],
    ['date range', { UpdatedAt: [{ Start: '2026-05-10T00:00:00Z', End: '2026-05-12T23:59:59Z' }] }],
    ['date within days', { CreatedAt: [{ DateRange: { Value: 10, Unit: 'DAYS' } }] }],
    ['normalized range', { SeverityNormalized: [{ Gte: 40, Lt: 90 }] }],
    [
      'across keys AND',
      {
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }],
        ResourceType: [{ Value: 'AwsEc2Instance', Comparison: 'EQUALS' }],
      },
    ],
    [
      'generator and workflow',
      {
        GeneratorId: [{ Value: 'generator-3', Comparison: 'EQUALS' }],
        WorkflowStatus: [{ Value: 'NEW', Comparison: 'EQUALS' }],
      },
    ],
  ];

  for (const [name, filters] of filterCases) {
    it(`pages through exactly the in-memory matches: ${name}`, async () => {
      const expected = imported
        .filter(compileFilters(filters, now))
        .map((f) => f.Id)
        .sort();
      const actual = (await readAll(filters, [])).map((f) => f.Id);
      assert.equal(new Set(actual).size, actual.length, 'a finding was returned twice');
      assert.deepEqual([...actual].sort(), expected);
      assert.ok(expected.length > 0 || name.includes('none'), 'the case should match something');
    });
  }

  it('sorts by severity rank then keeps every match once', async () => {
    const found = await readAll({ RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] }, [
      { Field: 'SeverityLabel', SortOrder: 'desc' },
      { Field: 'Title', SortOrder: 'asc' },
    ]);
    const ranks = found.map((f) => labels.indexOf(f.Severity?.Label ?? 'INFORMATIONAL'));
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => b - a),
    );
    assert.equal(found.length, imported.filter((f) => f.RecordState === 'ACTIVE').length);
  });

  it('sees only the caller account', () => {
    assert.equal(imported.length, 300);
    assert.ok(imported.every((f) => f.AwsAccountId === account));
  });

  for (const attribute of ['SeverityLabel', 'ResourceId', 'Type', 'GeneratorId', 'ResourceType']) {
    for (const [label, filters] of [
      ['exact SQL', { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] }],
      ['in memory', { Title: [{ Value: 'open', Comparison: 'CONTAINS' }] }],
    ] as [string, FindingFilters][]) {
      it(`counts ${attribute} groups (${label}) like the in-memory definition`, async () => {
        const expected = new Map<string, number>();
        for (const finding of imported.filter(compileFilters(filters, now))) {
          for (const value of valuesForGroupBy(finding, attribute))
            expected.set(value, (expected.get(value) ?? 0) + 1);
        }
        const actual = await inCtx(db, (ctx) => service.countFindings(ctx, filters, attribute), { now });
        assert.deepEqual(new Map(actual.map((r) => [r.GroupByAttributeValue, r.Count])), expected);
        const counts = actual.map((r) => r.Count);
        assert.deepEqual(
          counts,
          [...counts].sort((a, b) => b - a),
        );
      });
    }
  }

  it('ignores a re-import whose UpdatedAt is not newer, and applies a newer one', async () => {
    const original = sampleFinding(7);
    const stale = { ...original, Title: 'stale title' };
    const result = await inCtx(db, (ctx) => service.importFindings(ctx, [stale]), { now });
    assert.equal(result.SuccessCount, 1);
    const [unchanged] = await readAll({ Id: [{ Value: original.Id, Comparison: 'EQUALS' }] }, []);
    assert.equal(unchanged?.Title, original.Title);
    await inCtx(
      db,
      (ctx) =>
        service.importFindings(ctx, [{ ...original, Title: 'fresh', UpdatedAt: '2026-05-30T00:00:00Z' }]),
      {
        now,
      },
    );
    const [changed] = await readAll({ Id: [{ Value: original.Id, Comparison: 'EQUALS' }] }, []);
    assert.equal(changed?.Title, 'fresh');
  });

  it('raises FindingsImported and FindingsUpdated in the outbox with the write, and nothing for a stale re-import', async () => {
    const before = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const since = Number(before?.seq ?? 0);
    const fresh = sampleFinding(950);
    await inCtx(db, (ctx) => service.importFindings(ctx, [fresh, sampleFinding(8)]), { now });
    await inCtx(db, (ctx) => service.importFindings(ctx, [sampleFinding(9)]), { now });
    await inCtx(
      db,
      (ctx) =>
        service.updateFindings(ctx, [{ Id: fresh.Id, ProductArn: fresh.ProductArn }], {
          Workflow: { Status: 'NOTIFIED' },
        }),
      { now },
    );
    const events = await db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('seq', '>', since)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      events.map((e) => [
        e.type,
        (JSON.parse(e.payload) as { findings: { findingId: string }[] }).findings.map((f) => f.findingId),
      ]),
      [
        ['FindingsImported', [fresh.Id]],
        ['FindingsUpdated', [fresh.Id]],
      ],
    );
  });

  it('rejects a NextToken made for other filters', async () => {
    const page = await inCtx(db, (ctx) =>
      service.getFindings(ctx, { filters: {}, sortCriteria: [], nextToken: undefined, maxResults: 5 }),
    );
    assert.ok(page.nextToken !== undefined);
    await assert.rejects(
      inCtx(db, (ctx) =>
        service.getFindings(ctx, {
          filters: { SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }] },
          sortCriteria: [],
          nextToken: page.nextToken,
          maxResults: 5,
        }),
      ),
      /NextToken is invalid/,
    );
  });

  it('refuses an import into another account as a whole request, storing nothing', async () => {
    await assert.rejects(
      inCtx(db, (ctx) => service.importFindings(ctx, [sampleFinding(900), sampleFinding(901, other)]), {
        now,
      }),
      /not authorized to perform: securityhub:BatchImportFindings/,
    );
    const found = await readAll({ Id: [{ Value: 'finding-0900', Comparison: 'EQUALS' }] }, []);
    assert.equal(found.length, 0);
  });
  it('keeps one finding per account for a shared ProductArn and Id: imports, updates and history stay apart', async () => {
    const shared = 'arn:aws:securityhub:us-east-1::product/prowler/prowler';
    const mine = { ...sampleFinding(960), ProductArn: shared, Title: 'mine' };
    const theirs = {
      ...sampleFinding(960, other),
      ProductArn: shared,
      Title: 'theirs',
      UpdatedAt: '2026-05-31T00:00:00Z',
    };
    await inCtx(db, (ctx) => service.importFindings(ctx, [mine]), { now });
    await inCtx(
      db,
      (ctx) =>
        service.updateFindings(ctx, [{ Id: mine.Id, ProductArn: shared }], {
          Note: { Text: 'private', UpdatedBy: 'me' },
        }),
      { now },
    );
    const result = await inCtx(db, (ctx) => service.importFindings(ctx, [theirs]), { now, accountId: other });
    assert.equal(result.SuccessCount, 1);

    const [kept] = await readAll({ Id: [{ Value: mine.Id, Comparison: 'EQUALS' }] }, []);
    assert.deepEqual([kept?.AwsAccountId, kept?.Title, kept?.Note?.Text], [account, 'mine', 'private']);
    const history = await inCtx(
      db,
      (ctx) =>
        service.findingHistory(ctx, {
          identifier: { Id: mine.Id, ProductArn: shared },
          startTime: undefined,
          endTime: undefined,
          nextToken: undefined,
          maxResults: undefined,
        }),
      { accountId: other },
    );
    assert.equal(history.records.length, 1, 'their own creation only');
    assert.ok(!JSON.stringify(history.records).includes('private'));
    const updated = await inCtx(
      db,
      (ctx) =>
        service.updateFindings(ctx, [{ Id: mine.Id, ProductArn: shared }], {
          Workflow: { Status: 'SUPPRESSED' },
        }),
      { now, accountId: other },
    );
    assert.equal(updated.ProcessedFindings.length, 1);
    const [still] = await readAll({ Id: [{ Value: mine.Id, Comparison: 'EQUALS' }] }, []);
    assert.equal(still?.Workflow?.Status, kept?.Workflow?.Status, 'their update reached only their finding');
  });
});
