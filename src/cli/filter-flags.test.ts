import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterFlagError, buildFindingFilters, parseFilterFlag, parseSortFlag } from './filter-flags.js';

describe('parseFilterFlag: good', () => {
  it('string keys: KEY=COMPARISON:VALUE, comparison in any case, value may hold colons', () => {
    assert.deepEqual(parseFilterFlag('SeverityLabel=EQUALS:CRITICAL'), {
      key: 'SeverityLabel',
      filter: { Value: 'CRITICAL', Comparison: 'EQUALS' },
    });
    assert.deepEqual(parseFilterFlag('productarn=prefix:arn:aws:securityhub:us-east-1::product/aws/'), {
      key: 'ProductArn',
      filter: { Value: 'arn:aws:securityhub:us-east-1::product/aws/', Comparison: 'PREFIX' },
    });
    assert.deepEqual(parseFilterFlag('Title=not-contains:a=b').filter, {
      Value: 'a=b',
      Comparison: 'NOT_CONTAINS',
    });
  });

  it('number keys: bounds, joined with commas', () => {
    assert.deepEqual(parseFilterFlag('SeverityNormalized=gte:70'), {
      key: 'SeverityNormalized',
      filter: { Gte: 70 },
    });
    assert.deepEqual(parseFilterFlag('Confidence=GT:10,lt:90.5').filter, { Gt: 10, Lt: 90.5 });
    assert.deepEqual(parseFilterFlag('NetworkDestinationPort=eq:22').filter, { Eq: 22 });
  });

  it('date keys: within, older_than, start, end', () => {
    assert.deepEqual(parseFilterFlag('UpdatedAt=within:7d'), {
      key: 'UpdatedAt',
      filter: { DateRange: { Value: 7, Unit: 'DAYS' } },
    });
    assert.deepEqual(parseFilterFlag('CreatedAt=older-than:30').filter, {
      DateRange: { Value: 30, Unit: 'DAYS', Comparison: 'OLDER_THAN' },
    });
    assert.deepEqual(
      parseFilterFlag('UpdatedAt=start:2024-01-01T00:00:00Z,end:2024-02-01T00:00:00Z').filter,
      {
        Start: '2024-01-01T00:00:00Z',
        End: '2024-02-01T00:00:00Z',
      },
    );
  });

  it('map, ip, boolean and keyword keys', () => {
    assert.deepEqual(parseFilterFlag('ResourceTags=EQUALS:env=prod').filter, {
      Key: 'env',
      Value: 'prod',
      Comparison: 'EQUALS',
    });
    assert.deepEqual(parseFilterFlag('NetworkSourceIpV4=10.0.0.0/8').filter, { Cidr: '10.0.0.0/8' });
    assert.deepEqual(parseFilterFlag('NetworkSourceIpV6=cidr:2001:db8::/32').filter, {
      Cidr: '2001:db8::/32',
    });
    assert.deepEqual(parseFilterFlag('Sample=true').filter, { Value: true });
    assert.deepEqual(parseFilterFlag('Keyword=root').filter, { Value: 'root' });
  });
});

describe('parseFilterFlag: bad', () => {
  const bad: [string, RegExp][] = [
    ['SeverityLabel', /expected KEY=COMPARISON:VALUE/],
    ['=EQUALS:x', /expected KEY=COMPARISON:VALUE/],
    [
      'Severity=EQUALS:HIGH',
      /unknown filter key "Severity" \(did you mean SeverityProduct, SeverityNormalized, SeverityLabel/,
    ],
    ['NoSuchKey=EQUALS:x', /unknown filter key "NoSuchKey"$/],
    ['Title=root', /COMPARISON one of EQUALS, PREFIX/],
    ['Title=LIKE:root', /COMPARISON one of/],
    ['SeverityNormalized=70', /OP:NUMBER/],
    ['SeverityNormalized=gte:high', /"high" is not a number/],
    ['SeverityNormalized=gte:', /is not a number/],
    ['UpdatedAt=within:7w', /within takes a number of days/],
    ['UpdatedAt=last:7d', /a date filter is within:Nd/],
    ['ResourceTags=EQUALS:prod', /MAPKEY=VALUE/],
    ['ResourceTags=PREFIX:env=prod', /COMPARISON one of EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS/],
    ['Sample=yes', /true or false/],
    ['NetworkSourceIpV4=', /CIDR/],
  ];
  for (const [flag, message] of bad) {
    it(`rejects ${flag}`, () => {
      assert.throws(
        () => parseFilterFlag(flag),
        (error: unknown) => {
          assert.ok(error instanceof FilterFlagError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('buildFindingFilters', () => {
  it('combines shorthands, generic flags and --filters-json', () => {
    const filters = buildFindingFilters({
      filtersJson: '{"SeverityLabel":[{"Value":"HIGH","Comparison":"EQUALS"}]}',
      severity: ['critical'],
      workflow: ['new'],
      recordState: 'active',
      productName: 'Trivy',
      resourceId: 'Ruby',
      typePrefix: 'Software and Configuration Checks',
      titleContains: 'CVE',
      filter: ['SeverityNormalized=gte:70'],
    });
    assert.deepEqual(filters, {
      SeverityLabel: [
        { Value: 'HIGH', Comparison: 'EQUALS' },
        { Value: 'CRITICAL', Comparison: 'EQUALS' },
      ],
      WorkflowStatus: [{ Value: 'NEW', Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      ProductName: [{ Value: 'Trivy', Comparison: 'EQUALS' }],
      ResourceId: [{ Value: 'Ruby', Comparison: 'EQUALS' }],
      Type: [{ Value: 'Software and Configuration Checks', Comparison: 'PREFIX' }],
      Title: [{ Value: 'CVE', Comparison: 'CONTAINS' }],
      SeverityNormalized: [{ Gte: 70 }],
    });
  });

  it('no flags: no filters', () => {
    assert.deepEqual(buildFindingFilters({}), {});
  });

  it('reads --filters-json from file://', () => {
    const filters = buildFindingFilters({ filtersJson: 'file:///tmp/f.json' }, (path) => {
      assert.equal(path, '/tmp/f.json');
      return '{"Id":[{"Value":"x","Comparison":"EQUALS"}]}';
    });
    assert.deepEqual(filters, { Id: [{ Value: 'x', Comparison: 'EQUALS' }] });
  });

  const bad: [string, Parameters<typeof buildFindingFilters>[0], RegExp][] = [
    [
      'a bad severity',
      { severity: ['urgent'] },
      /--severity "urgent": expected one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL/,
    ],
    ['a bad workflow', { workflow: ['open'] }, /--workflow "open"/],
    [
      'a bad record state',
      { recordState: 'deleted' },
      /--record-state "deleted": expected one of ACTIVE, ARCHIVED/,
    ],
    ['JSON that is not JSON', { filtersJson: '{nope' }, /--filters-json: not JSON/],
    ['JSON that is not an object', { filtersJson: '[]' }, /expected a JSON object/],
    ['an unknown key in JSON', { filtersJson: '{"Bogus":[]}' }, /invalid filters: Unknown filter key: Bogus/],
    [
      'a bad comparison in JSON',
      { filtersJson: '{"Title":[{"Value":"x","Comparison":"LIKE"}]}' },
      /invalid filters at Title\[0\]\.Comparison: Comparison must be one of/,
    ],
    ['a bad date', { filter: ['UpdatedAt=start:yesterday'] }, /invalid filters: .*UpdatedAt.*yesterday/],
    [
      'more than 20 values for one key',
      { severity: Array.from({ length: 21 }, () => 'LOW') },
      /invalid filters/,
    ],
  ];
  for (const [name, flags, message] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => buildFindingFilters(flags),
        (error: unknown) => {
          assert.ok(error instanceof FilterFlagError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('parseSortFlag', () => {
  it('reads Field:order, ascending by default', () => {
    assert.deepEqual(parseSortFlag('SeverityNormalized:desc'), {
      Field: 'SeverityNormalized',
      SortOrder: 'desc',
    });
    assert.deepEqual(parseSortFlag('updatedat:ASC'), { Field: 'UpdatedAt', SortOrder: 'asc' });
    assert.deepEqual(parseSortFlag('Title'), { Field: 'Title', SortOrder: 'asc' });
  });

  it('rejects a bad order, an unknown field and an unsortable one', () => {
    assert.throws(() => parseSortFlag('Title:up'), /asc or desc/);
    assert.throws(() => parseSortFlag('Nope:asc'), /unknown filter key "Nope"/);
    assert.throws(() => parseSortFlag('ResourceTags:asc'), /map field and cannot be sorted on/);
  });
});
