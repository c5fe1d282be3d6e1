import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  automationRuleCriteriaKeys,
  automationRuleCriteriaSchema,
  findingFiltersSchema,
} from './filter-schema.js';
import type { FindingFilters } from './filter-value-schemas.js';
import { filterKeys, filterKeysOfType, type FilterKey } from './filter-keys.js';

function firstIssue(result: {
  success: boolean;
  error?: { issues: readonly { message: string; path: readonly PropertyKey[] }[] };
}) {
  assert.equal(result.success, false);
  const issue = result.error?.issues[0];
  assert.ok(issue);
  return issue;
}

const aValueOfEachType: Readonly<Record<string, unknown>> = {
  string: { Value: 'x', Comparison: 'EQUALS' },
  number: { Gte: 1 },
  date: { DateRange: { Value: 7, Unit: 'DAYS' } },
  map: { Key: 'k', Value: 'v', Comparison: 'EQUALS' },
  ip: { Cidr: '10.0.0.0/8' },
  boolean: { Value: true },
  keyword: { Value: 'word' },
};

describe('findingFiltersSchema', () => {
  it('accepts the empty filter set', () => {
    assert.deepEqual(findingFiltersSchema.parse({}), {});
  });

  it('accepts every one of the 107 keys with its filter type', () => {
    for (let start = 0; start < filterKeys.length; start += 10) {
      const chunk = filterKeys.slice(start, start + 10);
      const filters = Object.fromEntries(
        chunk.map((key: FilterKey) => {
          const type = (['string', 'number', 'date', 'map', 'ip', 'boolean', 'keyword'] as const).find((t) =>
            (filterKeysOfType(t) as readonly string[]).includes(key),
          );
          return [key, [aValueOfEachType[type ?? 'string']]];
        }),
      );
      assert.deepEqual(findingFiltersSchema.parse(filters), filters);
    }
  });

  it('accepts a realistic console filter and types it', () => {
    const filters: FindingFilters = findingFiltersSchema.parse({
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      WorkflowStatus: [
        { Value: 'NEW', Comparison: 'EQUALS' },
        { Value: 'NOTIFIED', Comparison: 'EQUALS' },
      ],
      SeverityNormalized: [{ Gte: 70 }],
      UpdatedAt: [{ Start: '2024-01-01T00:00:00Z', End: '2024-02-01T00:00:00.000+01:00' }],
      ResourceTags: [{ Key: 'env', Value: 'prod', Comparison: 'EQUALS' }],
    });
    assert.equal(filters.WorkflowStatus?.[1]?.Value, 'NOTIFIED');
  });

  const rejects: readonly [string, unknown, RegExp][] = [
    ['an unknown key, by name', { Titel: [] }, /Unknown filter key: Titel/],
    ['several unknown keys', { Foo: [], Bar: [] }, /Unknown filter keys: Foo, Bar/],
    [
      'CONTAINS_WORD',
      { Title: [{ Value: 'x', Comparison: 'CONTAINS_WORD' }] },
      /CONTAINS_WORD is only supported by GetFindingsV2/,
    ],
    [
      'an unknown comparison',
      { Title: [{ Value: 'x', Comparison: 'LIKE' }] },
      /Comparison must be one of EQUALS, PREFIX/,
    ],
    ['a missing Comparison', { Title: [{ Value: 'x' }] }, /Comparison must be one of/],
    ['an empty Value', { Title: [{ Value: '', Comparison: 'EQUALS' }] }, /must not be empty/],
    ['a misspelt member', { Title: [{ Value: 'x', Comparison: 'EQUALS', Comparision: 'x' }] }, /Comparision/],
    ['a non-list', { Title: { Value: 'x', Comparison: 'EQUALS' } }, /expected array/],
    ['a string filter on a number key', { Confidence: [{ Value: '1', Comparison: 'EQUALS' }] }, /Value/],
    ['an empty NumberFilter', { Confidence: [{}] }, /at least one of Gte, Lte, Eq, Gt, Lt/],
    ['a non-numeric bound', { Confidence: [{ Gte: '5' }] }, /expected number/],
    [
      'a DateRange unit other than DAYS',
      { CreatedAt: [{ DateRange: { Value: 1, Unit: 'HOURS' } }] },
      /Unit must be DAYS/,
    ],
    ['a fractional DateRange', { CreatedAt: [{ DateRange: { Value: 1.5, Unit: 'DAYS' } }] }, /expected int/],
    [
      'a bad DateRange comparison',
      { CreatedAt: [{ DateRange: { Value: 1, Unit: 'DAYS', Comparison: 'NEWER' } }] },
      /WITHIN or OLDER_THAN/,
    ],
    [
      'a map comparison PREFIX',
      { ResourceTags: [{ Key: 'k', Value: 'v', Comparison: 'PREFIX' }] },
      /EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS/,
    ],
    ['a non-boolean Sample', { Sample: [{ Value: 'true' }] }, /expected boolean/],
    // Semantic checks run as part of the schema.
    [
      '11 attributes',
      Object.fromEntries(
        filterKeysOfType('string')
          .slice(0, 11)
          .map((k) => [k, [{ Value: 'x', Comparison: 'EQUALS' }]]),
      ),
      /at most 10/,
    ],
    [
      'EQUALS with NOT_EQUALS',
      {
        Id: [
          { Value: 'a', Comparison: 'EQUALS' },
          { Value: 'b', Comparison: 'NOT_EQUALS' },
        ],
      },
      /Filter Id cannot combine EQUALS with NOT_EQUALS/,
    ],
    ['a bad CIDR', { NetworkSourceIpV4: [{ Cidr: '10.0.0.0/40' }] }, /invalid CIDR/],
  ];
  for (const [what, input, message] of rejects) {
    it(`rejects ${what}`, () => {
      assert.match(firstIssue(findingFiltersSchema.safeParse(input)).message, message);
    });
  }

  it('reports where the problem is', () => {
    const issue = firstIssue(findingFiltersSchema.safeParse({ Title: [{ Value: 'x', Comparison: 'LIKE' }] }));
    assert.deepEqual(issue.path, ['Title', 0, 'Comparison']);
  });
});

describe('automationRuleCriteriaSchema', () => {
  it('has the 41 keys of §10', () => {
    assert.equal(automationRuleCriteriaKeys.length, 41);
    assert.equal(new Set(automationRuleCriteriaKeys).size, 41);
  });

  it('accepts CONTAINS, NOT_CONTAINS and more than 10 attributes', () => {
    const criteria = Object.fromEntries(
      automationRuleCriteriaKeys
        .filter((key) => (filterKeysOfType('string') as readonly string[]).includes(key))
        .map((key) => [key, [{ Value: 'x', Comparison: 'CONTAINS' }]]),
    );
    assert.ok(Object.keys(criteria).length > 10);
    assert.deepEqual(automationRuleCriteriaSchema.parse(criteria), criteria);
    const negated = { Title: [{ Value: 'x', Comparison: 'NOT_CONTAINS' }] };
    assert.deepEqual(automationRuleCriteriaSchema.parse(negated), negated);
  });

  it('rejects keys outside the §10 subset, naming them', () => {
    const issue = firstIssue(
      automationRuleCriteriaSchema.safeParse({ MalwareName: [{ Value: 'x', Comparison: 'EQUALS' }] }),
    );
    assert.match(issue.message, /Unknown automation rule criteria key: MalwareName/);
  });

  const many = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ Value: `v${i}`, Comparison: 'EQUALS' }));
  const limits: readonly [string, number, boolean][] = [
    ['Title', 100, true],
    ['Title', 101, false],
    ['AwsAccountId', 100, true],
    ['GeneratorId', 100, true],
    ['ResourceId', 100, true],
    ['ResourceId', 101, false],
    ['Description', 20, true],
    ['Description', 21, false],
    ['ProductName', 0, false],
  ];
  for (const [key, count, ok] of limits) {
    it(`${ok ? 'accepts' : 'rejects'} ${count} values for ${key}`, () => {
      const result = automationRuleCriteriaSchema.safeParse({ [key]: many(count) });
      assert.equal(result.success, ok);
      if (!ok) assert.match(firstIssue(result).message, new RegExp(`Filter ${key} `));
    });
  }
});
