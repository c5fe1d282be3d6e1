import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AsffDocument } from './filter-keys.js';
import {
  compareBySortCriteria,
  compareCodePoints,
  isSortField,
  validateSortCriteria,
  type SortCriterion,
} from './sort-findings.js';

const doc = (Id: string, extra: Record<string, unknown> = {}): AsffDocument => ({
  Id,
  ProductArn: 'arn:p',
  ...extra,
});
const idsOf = (docs: readonly AsffDocument[]) => docs.map((d) => d['Id']);
const sorted = (docs: readonly AsffDocument[], criteria: readonly SortCriterion[]) =>
  idsOf([...docs].sort(compareBySortCriteria(criteria)));

describe('compareBySortCriteria', () => {
  const bySeverity = [
    doc('a', { Severity: { Label: 'LOW' } }),
    doc('b', { Severity: { Label: 'CRITICAL' } }),
    doc('c', {}),
    doc('d', { Severity: { Label: 'INFORMATIONAL' } }),
    doc('e', { Severity: { Label: 'HIGH' } }),
    doc('f', { Severity: { Label: 'MEDIUM' } }),
  ];

  it('sorts SeverityLabel by rank, missing last', () => {
    assert.deepEqual(sorted(bySeverity, [{ Field: 'SeverityLabel', SortOrder: 'asc' }]), [
      'd',
      'a',
      'f',
      'e',
      'b',
      'c',
    ]);
    assert.deepEqual(sorted(bySeverity, [{ Field: 'SeverityLabel', SortOrder: 'desc' }]), [
      'b',
      'e',
      'f',
      'a',
      'd',
      'c',
    ]);
  });

  it('sorts dates as instants, not as text', () => {
    const docs = [
      doc('utc', { UpdatedAt: '2024-01-01T10:00:00Z' }),
      doc('offset', { UpdatedAt: '2024-01-01T09:30:00-01:00' }),
      doc('nanos', { UpdatedAt: '2024-01-01T09:59:59.999999999Z' }),
      doc('bad', { UpdatedAt: 'soon' }),
    ];
    assert.deepEqual(sorted(docs, [{ Field: 'UpdatedAt', SortOrder: 'asc' }]), [
      'nanos',
      'utc',
      'offset',
      'bad',
    ]);
    assert.deepEqual(sorted(docs, [{ Field: 'UpdatedAt', SortOrder: 'desc' }]), [
      'offset',
      'utc',
      'nanos',
      'bad',
    ]);
  });

  it('sorts numbers numerically', () => {
    const docs = [
      doc('a', { Confidence: 9 }),
      doc('b', { Confidence: 10 }),
      doc('c', { Confidence: 100 }),
      doc('d'),
    ];
    assert.deepEqual(sorted(docs, [{ Field: 'Confidence', SortOrder: 'asc' }]), ['a', 'b', 'c', 'd']);
    assert.deepEqual(sorted(docs, [{ Field: 'Confidence', SortOrder: 'desc' }]), ['c', 'b', 'a', 'd']);
  });

  it('sorts strings by code point (case-sensitive)', () => {
    const docs = [
      doc('1', { Title: 'b' }),
      doc('2', { Title: 'B' }),
      doc('3', { Title: 'a' }),
      doc('4', { Title: '\u{1F600}' }),
      doc('5', { Title: '\uFF5E' }),
    ];
    assert.deepEqual(sorted(docs, [{ Field: 'Title', SortOrder: 'asc' }]), ['2', '3', '1', '5', '4']);
  });

  it('uses later criteria to break ties, then Id', () => {
    const docs = [
      doc('z', { Severity: { Label: 'HIGH' }, Title: 'x' }),
      doc('y', { Severity: { Label: 'HIGH' }, Title: 'w' }),
      doc('x', { Severity: { Label: 'LOW' }, Title: 'a' }),
      doc('w', { Severity: { Label: 'HIGH' }, Title: 'w' }),
    ];
    const criteria: SortCriterion[] = [
      { Field: 'SeverityLabel', SortOrder: 'desc' },
      { Field: 'Title', SortOrder: 'asc' },
    ];
    assert.deepEqual(sorted(docs, criteria), ['w', 'y', 'z', 'x']);
  });

  it('defaults to UpdatedAt desc', () => {
    const docs = [
      doc('old', { UpdatedAt: '2020-01-01T00:00:00Z' }),
      doc('new', { UpdatedAt: '2024-01-01T00:00:00Z' }),
    ];
    assert.deepEqual(sorted(docs, []), ['new', 'old']);
  });

  it('sorts a multi-valued field by its smallest value ascending and largest descending', () => {
    const docs = [
      doc('ab', { Types: ['b', 'a'] }),
      doc('c', { Types: ['c'] }),
      doc('bz', { Types: ['z', 'b'] }),
    ];
    assert.deepEqual(sorted(docs, [{ Field: 'Type', SortOrder: 'asc' }]), ['ab', 'bz', 'c']);
    assert.deepEqual(sorted(docs, [{ Field: 'Type', SortOrder: 'desc' }]), ['bz', 'c', 'ab']);
  });

  it('orders the published samples by severity then recency', () => {
    const files = [
      'aws-docs-securityhub-user-guide.json',
      'ocsf-examples-securityhub.json',
      'trivy-asff.json',
      'prowler-asff.json',
    ];
    const all = files.flatMap(
      (file) =>
        JSON.parse(readFileSync(`${process.cwd()}/../shared/samples/asff/${file}`, 'utf8')) as AsffDocument[],
    );
    const ordered = [...all].sort(
      compareBySortCriteria([
        { Field: 'SeverityLabel', SortOrder: 'desc' },
        { Field: 'UpdatedAt', SortOrder: 'desc' },
      ]),
    );
    const labels = ordered.map((d) => (d['Severity'] as { Label?: string }).Label ?? '(none)');
    // Trivy #1 gives only Normalized, so it has no label and sorts last.
    assert.deepEqual(labels, [
      'CRITICAL',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'INFORMATIONAL',
      '(none)',
    ]);
    const medium = ordered.filter((d) => (d['Severity'] as { Label?: string }).Label === 'MEDIUM');
    const times = medium.map((d) => Date.parse(String(d['UpdatedAt'])));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
  });
});

describe('validateSortCriteria', () => {
  it('accepts string, number and date keys and defaults SortOrder to asc', () => {
    assert.deepEqual(
      validateSortCriteria([
        { Field: 'UpdatedAt', SortOrder: 'desc' },
        { Field: 'SeverityNormalized', SortOrder: 'asc' },
        { Field: 'ResourceId' },
      ]),
      [
        { Field: 'UpdatedAt', SortOrder: 'desc' },
        { Field: 'SeverityNormalized', SortOrder: 'asc' },
        { Field: 'ResourceId', SortOrder: 'asc' },
      ],
    );
  });

  const rejected: readonly [{ Field?: string; SortOrder?: string }, RegExp][] = [
    [{ Field: 'Bogus', SortOrder: 'asc' }, /Field Bogus is not a sortable/],
    [{ Field: 'ResourceTags', SortOrder: 'asc' }, /Field ResourceTags is not a sortable/],
    [{ Field: 'Sample', SortOrder: 'asc' }, /Field Sample is not a sortable/],
    [{ Field: 'NetworkSourceIpV4', SortOrder: 'asc' }, /not a sortable/],
    [{ SortOrder: 'asc' }, /Field \(missing\)/],
    [{ Field: 'Title', SortOrder: 'ASC' }, /SortOrder for Title must be asc or desc, not ASC/],
    [{ Field: 'Title', SortOrder: 'descending' }, /must be asc or desc/],
  ];
  for (const [criterion, message] of rejected) {
    it(`rejects ${JSON.stringify(criterion)}`, () => {
      assert.throws(() => validateSortCriteria([criterion]), { kind: 'InvalidInput', message });
    });
  }

  it('knows the sortable fields', () => {
    assert.equal(isSortField('CreatedAt'), true);
    assert.equal(isSortField('Keyword'), false);
    assert.equal(isSortField('hasOwnProperty'), false);
  });
});

describe('compareCodePoints', () => {
  const cases: readonly [string, string, number][] = [
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    ['Z', 'a', -1],
    ['\uFF5E', '\u{1F600}', -1],
    ['\u{1F600}', '\uFF5E', 1],
    ['\u{1F600}', '\u{1F601}', -1],
  ];
  for (const [x, y, sign] of cases) {
    it(`${JSON.stringify(x)} vs ${JSON.stringify(y)}`, () => {
      assert.equal(Math.sign(compareCodePoints(x, y)), sign);
    });
  }
});
