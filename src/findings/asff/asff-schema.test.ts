import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAsffTimestamp } from '../filters/index.js';
import { asffTimestampPattern, asffTypePattern, isAsffTimestamp } from './asff-primitives.js';

const valid = [
  '2019-01-31T23:00:00Z',
  '2019-01-31T23:00:00.123456789Z',
  '2024-01-04T15:25:10+17:59',
  '2024-01-04T15:25:10-1759',
  '2024-01-04T15:25:10.123456789+17:59',
  '2022-08-05T22:29:18.549914-07:00',
  '2024-01-04T15:25:10+05',
  '2024-01-04T15:25:10+18:00',
  '2024-01-04T15:25:10-18',
  '2016-12-31T23:59:60Z',
  '2024-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
];

const invalid = [
  '',
  '2019-01-31',
  '2019-01-31T23:00:00',
  '2019-01-31 23:00:00Z',
  '2019-01-31t23:00:00z',
  '2019-01-31T24:00:00Z',
  '2019-13-01T00:00:00Z',
  '2019-00-01T00:00:00Z',
  '2019-01-32T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2024-04-31T00:00:00Z',
  '2019-01-31T23:00:00.Z',
  '2019-01-31T23:00:00.1234567890Z',
  '2024-01-04T15:25:10+18:01',
  '2024-01-04T15:25:10+19:00',
  '2024-01-04T15:25:10+05:60',
  '2024-01-04T15:25:10+5:00',
  '2024-01-04T15:25:10Z ',
];

describe('isAsffTimestamp', () => {
  for (const text of valid) {
    it(`accepts ${text}`, () => assert.equal(isAsffTimestamp(text), true));
  }
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.equal(isAsffTimestamp(text), false));
  }

  it('accepts exactly what the filter code can turn into an instant', () => {
    for (const text of [...valid, ...invalid]) {
      assert.equal(isAsffTimestamp(text), parseAsffTimestamp(text) !== undefined, text);
    }
  });

  it('keeps the calendar check out of the pattern itself', () => {
    assert.equal(asffTimestampPattern.test('2023-02-30T00:00:00Z'), true);
  });
});

describe('asffTypePattern', () => {
  it('takes one to three non-empty parts', () => {
    for (const type of ['TTPs', 'TTPs/Discovery', 'Effects/Data Exposure/S3', 'ens-op.acc.5.aws.iam.1']) {
      assert.equal(asffTypePattern.test(type), true, type);
    }
    for (const type of ['', '/TTPs', 'TTPs/', 'a//b', 'a/b/c/d']) {
      assert.equal(asffTypePattern.test(type), false, type);
    }
  });
});
