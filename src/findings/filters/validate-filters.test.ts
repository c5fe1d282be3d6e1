import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FindingFilters, StringFilter } from './filter-value-schemas.js';
import { filterKeysOfType } from './filter-keys.js';
import {
  automationRuleCriteriaLimits,
  findFilterProblem,
  findingFilterLimits,
  validateFilters,
} from './validate-filters.js';

const s = (Comparison: StringFilter['Comparison'], Value = 'x'): StringFilter => ({ Value, Comparison });

describe('validateFilters: string comparison combinations (§4.1)', () => {
  const cases: readonly [StringFilter['Comparison'][], string | undefined][] = [
    [['EQUALS', 'EQUALS'], undefined],
    [['EQUALS', 'PREFIX'], undefined],
    [['PREFIX', 'NOT_EQUALS'], undefined],
    [['PREFIX', 'PREFIX_NOT_EQUALS'], undefined],
    [['NOT_EQUALS', 'PREFIX_NOT_EQUALS'], undefined],
    [['CONTAINS', 'CONTAINS'], undefined],
    [['NOT_CONTAINS', 'NOT_CONTAINS'], undefined],
    [['CONTAINS', 'NOT_CONTAINS'], 'cannot combine CONTAINS with NOT_CONTAINS'],
    [['EQUALS', 'NOT_EQUALS'], 'cannot combine EQUALS with NOT_EQUALS'],
    [['EQUALS', 'PREFIX_NOT_EQUALS'], 'cannot combine EQUALS with PREFIX_NOT_EQUALS'],
    [['CONTAINS', 'EQUALS'], 'cannot combine CONTAINS with other comparisons (EQUALS)'],
    [['PREFIX', 'CONTAINS'], 'cannot combine CONTAINS with other comparisons (PREFIX)'],
    [['CONTAINS', 'NOT_EQUALS'], 'cannot combine CONTAINS with other comparisons (NOT_EQUALS)'],
    [['NOT_CONTAINS', 'PREFIX'], 'cannot combine NOT_CONTAINS with other comparisons (PREFIX)'],
    [['NOT_EQUALS', 'NOT_CONTAINS'], 'cannot combine NOT_CONTAINS with other comparisons (NOT_EQUALS)'],
    [
      ['PREFIX_NOT_EQUALS', 'NOT_CONTAINS'],
      'cannot combine NOT_CONTAINS with other comparisons (PREFIX_NOT_EQUALS)',
    ],
  ];
  for (const [comparisons, problem] of cases) {
    it(`${comparisons.join(' + ')} → ${problem ?? 'ok'}`, () => {
      const filters: FindingFilters = { Title: comparisons.map((c, i) => s(c, `v${i}`)) };
      if (problem === undefined) {
        assert.doesNotThrow(() => validateFilters(filters, findingFilterLimits));
      } else {
        assert.throws(() => validateFilters(filters, findingFilterLimits), {
          kind: 'InvalidInput',
          message: `Filter Title ${problem}`,
        });
      }
    });
  }

  it('judges each key on its own', () => {
    const filters: FindingFilters = { Title: [s('CONTAINS')], Description: [s('NOT_CONTAINS')] };
    assert.equal(findFilterProblem(filters, findingFilterLimits), undefined);
  });
});

describe('validateFilters: map comparison combinations', () => {
  const m = (Comparison: 'EQUALS' | 'NOT_EQUALS' | 'CONTAINS' | 'NOT_CONTAINS', Key = 'env') => ({
    Key,
    Value: 'v',
    Comparison,
  });
  const cases: readonly [FindingFilters, string | undefined][] = [
    [{ ResourceTags: [m('EQUALS'), m('CONTAINS')] }, undefined],
    [{ ResourceTags: [m('NOT_EQUALS'), m('NOT_CONTAINS')] }, undefined],
    [{ ResourceTags: [m('EQUALS'), m('NOT_CONTAINS')] }, undefined],
    [
      { ResourceTags: [m('CONTAINS'), m('NOT_CONTAINS')] },
      'Filter ResourceTags cannot combine CONTAINS with NOT_CONTAINS',
    ],
    [
      { UserDefinedFields: [m('EQUALS'), m('NOT_EQUALS', 'other')] },
      'Filter UserDefinedFields cannot combine EQUALS with NOT_EQUALS',
    ],
  ];
  for (const [filters, problem] of cases) {
    it(`${JSON.stringify(filters)} → ${problem ?? 'ok'}`, () => {
      assert.equal(findFilterProblem(filters, findingFilterLimits), problem);
    });
  }
});

describe('validateFilters: dates and CIDRs', () => {
  const cases: readonly [FindingFilters, string | undefined][] = [
    [{ CreatedAt: [{ Start: '2024-01-01T00:00:00Z' }] }, undefined],
    [{ CreatedAt: [{ End: '2024-01-01T00:00:00-0700' }] }, undefined],
    [{ CreatedAt: [{ DateRange: { Value: 0, Unit: 'DAYS', Comparison: 'OLDER_THAN' } }] }, undefined],
    [{ CreatedAt: [{}] }, 'Filter CreatedAt needs either Start/End or DateRange'],
    [
      { UpdatedAt: [{ Start: '2024-01-01T00:00:00Z', DateRange: { Value: 1, Unit: 'DAYS' } }] },
      'Filter UpdatedAt takes either Start/End or DateRange, not both',
    ],
    [
      { NoteUpdatedAt: [{ Start: '2024-01-01' }] },
      'Filter NoteUpdatedAt has an invalid Start date: 2024-01-01',
    ],
    [
      { NoteUpdatedAt: [{ End: '2024-02-30T00:00:00Z' }] },
      'Filter NoteUpdatedAt has an invalid End date: 2024-02-30T00:00:00Z',
    ],
    [{ NetworkSourceIpV6: [{ Cidr: '2001:db8::/32' }] }, undefined],
    [{ ResourceAwsEc2InstanceIpV4Addresses: [{ Cidr: '10.0.0.1' }] }, undefined],
    [
      { NetworkDestinationIpV4: [{ Cidr: '10.0.0.0/33' }] },
      'Filter NetworkDestinationIpV4 has an invalid CIDR: 10.0.0.0/33',
    ],
    [
      { NetworkDestinationIpV4: [{ Cidr: 'example.com' }] },
      'Filter NetworkDestinationIpV4 has an invalid CIDR: example.com',
    ],
  ];
  for (const [filters, problem] of cases) {
    it(`${JSON.stringify(filters)} → ${problem ?? 'ok'}`, () => {
      assert.equal(findFilterProblem(filters, findingFilterLimits), problem);
    });
  }
});

describe('validateFilters: limits', () => {
  const values = (count: number) => Array.from({ length: count }, (_, i) => s('EQUALS', `v${i}`));
  const stringKeys = filterKeysOfType('string');

  it('allows 10 attributes with 20 values each', () => {
    const filters: FindingFilters = Object.fromEntries(
      stringKeys.slice(0, 10).map((key) => [key, values(20)]),
    );
    assert.equal(findFilterProblem(filters, findingFilterLimits), undefined);
  });

  it('rejects an 11th attribute, listing them', () => {
    const filters: FindingFilters = Object.fromEntries(
      stringKeys.slice(0, 11).map((key) => [key, values(1)]),
    );
    assert.match(
      findFilterProblem(filters, findingFilterLimits) ?? '',
      /^Filters use 11 attributes \(ProductArn, .*\); at most 10 are allowed$/,
    );
  });

  it('does not count empty lists as attributes', () => {
    const filters: FindingFilters = Object.fromEntries(
      stringKeys.slice(0, 11).map((key, i) => [key, i === 0 ? [] : values(1)]),
    );
    assert.equal(findFilterProblem(filters, findingFilterLimits), undefined);
  });

  it('rejects a 21st value', () => {
    assert.equal(
      findFilterProblem({ Title: values(21) }, findingFilterLimits),
      'Filter Title has 21 values; at most 20 are allowed',
    );
  });

  it('applies the automation rule limits per key, with no attribute limit', () => {
    const limits = automationRuleCriteriaLimits;
    assert.equal(findFilterProblem({ Title: values(100) }, limits), undefined);
    assert.equal(
      findFilterProblem({ Title: values(101) }, limits),
      'Filter Title has 101 values; at most 100 are allowed',
    );
    assert.equal(
      findFilterProblem({ Description: values(21) }, limits),
      'Filter Description has 21 values; at most 20 are allowed',
    );
    assert.equal(findFilterProblem({ Description: [] }, limits), 'Filter Description needs at least 1 value');
    const wide: FindingFilters = Object.fromEntries(stringKeys.slice(0, 30).map((key) => [key, values(1)]));
    assert.equal(findFilterProblem(wide, limits), undefined);
  });
});
