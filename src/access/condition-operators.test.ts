import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evaluateConditionOperator,
  parseConditionOperator,
  parseIpAddress,
  type ConditionOperator,
} from './condition-operators.js';

function op(name: string): ConditionOperator {
  const parsed = parseConditionOperator(name);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

function problem(name: string): string {
  const parsed = parseConditionOperator(name);
  assert.equal(typeof parsed, 'string', `${name} should be refused`);
  return parsed as string;
}

/** [operator, request values (undefined = key missing), policy values, expected]. */
type Row = [string, string[] | undefined, string[], boolean];

const rows: Row[] = [
  ['StringEquals', ['alice'], ['alice'], true],
  ['StringEquals', ['Alice'], ['alice'], false],
  ['StringEquals', ['bob'], ['alice', 'bob'], true],
  ['StringEquals', ['a*'], ['a*'], true],
  ['StringEquals', ['abc'], ['a*'], false],
  ['StringEquals', undefined, ['alice'], false],
  ['StringNotEquals', ['carol'], ['alice', 'bob'], true],
  ['StringNotEquals', ['bob'], ['alice', 'bob'], false],
  ['StringNotEquals', undefined, ['alice'], true],
  ['StringEqualsIgnoreCase', ['ALICE'], ['alice'], true],
  ['StringNotEqualsIgnoreCase', ['ALICE'], ['alice'], false],
  ['StringNotEqualsIgnoreCase', ['carol'], ['alice'], true],
  ['StringLike', ['aws-cli/2.15 Python/3.11'], ['aws-cli/*'], true],
  ['StringLike', ['boto3/1.34'], ['aws-cli/*', 'Boto3/*'], false],
  ['StringLike', ['abc'], ['a?c'], true],
  ['StringLike', ['ac'], ['a?c'], false],
  ['StringNotLike', ['curl/8'], ['aws-cli/*'], true],
  ['StringNotLike', ['aws-cli/2'], ['aws-cli/*'], false],
  ['StringNotLike', undefined, ['aws-cli/*'], true],
  ['NumericEquals', ['10'], ['10'], true],
  ['NumericEquals', ['10'], ['10.0'], true],
  ['NumericEquals', ['ten'], ['10'], false],
  ['NumericNotEquals', ['11'], ['10'], true],
  ['NumericNotEquals', ['10'], ['10'], false],
  ['NumericLessThan', ['9'], ['10'], true],
  ['NumericLessThan', ['10'], ['10'], false],
  ['NumericLessThanEquals', ['10'], ['10'], true],
  ['NumericGreaterThan', ['11'], ['10'], true],
  ['NumericGreaterThan', ['10'], ['10'], false],
  ['NumericGreaterThanEquals', ['10'], ['10'], true],
  ['NumericGreaterThanEquals', undefined, ['10'], false],
  ['DateEquals', ['2026-06-01T00:00:00Z'], ['2026-06-01T00:00:00Z'], true],
  ['DateEquals', ['1780272000'], ['2026-06-01T00:00:00Z'], true],
  ['DateNotEquals', ['2026-06-02T00:00:00Z'], ['2026-06-01T00:00:00Z'], true],
  ['DateLessThan', ['2026-06-01T00:00:00Z'], ['2026-06-02'], true],
  ['DateLessThan', ['2026-06-03T00:00:00Z'], ['2026-06-02'], false],
  ['DateLessThanEquals', ['2026-06-02T00:00:00Z'], ['2026-06-02T00:00:00Z'], true],
  ['DateGreaterThan', ['2026-06-03T00:00:00Z'], ['2026-06-02T00:00:00Z'], true],
  ['DateGreaterThanEquals', ['2026-06-01T00:00:00Z'], ['2026-06-02T00:00:00Z'], false],
  ['Bool', ['true'], ['true'], true],
  ['Bool', ['false'], ['TRUE'], false],
  ['Bool', ['FALSE'], ['false'], true],
  ['BinaryEquals', ['QmluYXJ5'], ['QmluYXJ5'], true],
  ['IpAddress', ['10.1.2.3'], ['10.0.0.0/8'], true],
  ['IpAddress', ['11.1.2.3'], ['10.0.0.0/8'], false],
  ['IpAddress', ['203.0.113.7'], ['203.0.113.7'], true],
  ['IpAddress', ['203.0.113.7'], ['203.0.113.0/25'], true],
  ['IpAddress', ['203.0.113.200'], ['203.0.113.0/25'], false],
  ['IpAddress', ['127.0.0.1'], ['0.0.0.0/0'], true],
  ['IpAddress', ['::ffff:10.9.8.7'], ['10.0.0.0/8'], true],
  ['IpAddress', ['2001:db8:0:1::5'], ['2001:db8::/32'], true],
  ['IpAddress', ['2001:db9::5'], ['2001:db8::/32'], false],
  ['IpAddress', ['2001:DB8::1'], ['2001:db8::1/128'], true],
  ['IpAddress', ['::1'], ['::1'], true],
  ['IpAddress', ['fe80::1'], ['fe80::/10'], true],
  ['IpAddress', ['febf::1'], ['fe80::/10'], true],
  ['IpAddress', ['fec0::1'], ['fe80::/10'], false],
  ['IpAddress', ['10.0.0.1'], ['2001:db8::/32'], false],
  ['IpAddress', ['2001:db8::1'], ['10.0.0.0/8'], false],
  ['IpAddress', undefined, ['10.0.0.0/8'], false],
  ['NotIpAddress', ['127.0.0.1'], ['10.0.0.0/8'], true],
  ['NotIpAddress', ['10.0.0.1'], ['10.0.0.0/8', '192.168.0.0/16'], false],
  ['NotIpAddress', ['192.168.4.4'], ['10.0.0.0/8', '192.168.0.0/16'], false],
  ['NotIpAddress', undefined, ['10.0.0.0/8'], true],
  ['ArnEquals', ['arn:aws:iam::111122223333:user/alice'], ['arn:aws:iam::111122223333:user/alice'], true],
  ['ArnLike', ['arn:aws:iam::111122223333:user/alice'], ['arn:aws:iam::*:user/*'], true],
  ['ArnLike', ['arn:aws:iam::111122223333:role/agent'], ['arn:aws:iam::*:user/*'], false],
  ['ArnLike', ['arn:aws:iam::111122223333:user/a:b'], ['arn:aws:iam::111122223333:user/*'], true],
  ['ArnLike', ['arn:aws:iam::111122223333:user/alice'], ['arn:aws:*'], false],
  ['ArnLike', ['not-an-arn'], ['*'], false],
  ['ArnNotEquals', ['arn:aws:iam::111122223333:user/bob'], ['arn:aws:iam::111122223333:user/alice'], true],
  ['ArnNotLike', ['arn:aws:iam::111122223333:user/alice'], ['arn:aws:iam::*:user/*'], false],
  ['ArnNotLike', undefined, ['arn:aws:iam::*:user/*'], true],
  ['Null', undefined, ['true'], true],
  ['Null', ['x'], ['true'], false],
  ['Null', ['x'], ['false'], true],
  ['Null', undefined, ['false'], false],
  ['Null', [], ['true'], true],
  ['StringEqualsIfExists', undefined, ['alice'], true],
  ['StringEqualsIfExists', ['bob'], ['alice'], false],
  ['StringEqualsIfExists', ['alice'], ['alice'], true],
  ['StringNotEqualsIfExists', ['alice'], ['alice'], false],
  ['IpAddressIfExists', undefined, ['10.0.0.0/8'], true],
  ['NumericLessThanIfExists', ['20'], ['10'], false],
  ['ForAnyValue:StringEquals', ['a', 'b'], ['b', 'c'], true],
  ['ForAnyValue:StringEquals', ['a', 'd'], ['b', 'c'], false],
  ['ForAnyValue:StringEquals', undefined, ['b'], false],
  ['ForAnyValue:StringEquals', [], ['b'], false],
  ['ForAnyValue:StringLike', ['env', 'team-x'], ['team-*'], true],
  ['ForAnyValue:StringNotEquals', ['a', 'b'], ['a'], true],
  ['ForAnyValue:StringNotEquals', ['a'], ['a'], false],
  ['ForAnyValue:StringEqualsIfExists', undefined, ['b'], true],
  ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'b', 'c'], true],
  ['ForAllValues:StringEquals', ['a', 'z'], ['a', 'b', 'c'], false],
  ['ForAllValues:StringEquals', undefined, ['a'], true],
  ['ForAllValues:StringEquals', [], ['a'], true],
  ['ForAllValues:StringNotEquals', ['x', 'y'], ['a', 'b'], true],
  ['ForAllValues:StringNotEquals', ['x', 'a'], ['a', 'b'], false],
  ['ForAllValues:StringLike', ['team-a', 'team-b'], ['team-*'], true],
  ['ForAllValues:IpAddress', ['10.0.0.1', '10.0.0.2'], ['10.0.0.0/24'], true],
];

describe('condition operators', () => {
  for (const [name, request, policy, expected] of rows) {
    it(`${name} ${JSON.stringify(request)} vs ${JSON.stringify(policy)} → ${expected}`, () => {
      assert.equal(evaluateConditionOperator(op(name), request, policy), expected);
    });
  }

  it('resolves policy variables in string and ARN values', () => {
    const lookup = (key: string): string | undefined => (key === 'aws:username' ? 'alice' : undefined);
    assert.equal(
      evaluateConditionOperator(op('StringEquals'), ['home/alice'], ['home/${aws:username}'], lookup),
      true,
    );
    assert.equal(
      evaluateConditionOperator(op('StringLike'), ['home/alice/x'], ['home/${aws:username}/*'], lookup),
      true,
    );
    assert.equal(evaluateConditionOperator(op('StringLike'), ['a*b'], ['a${*}b'], lookup), true);
    assert.equal(evaluateConditionOperator(op('StringLike'), ['axb'], ['a${*}b'], lookup), false);
    assert.equal(evaluateConditionOperator(op('StringEquals'), ['x'], ['${aws:userid}'], lookup), false);
  });

  it('parses operator names and refuses unknown ones', () => {
    assert.deepEqual(op('ForAllValues:StringLikeIfExists'), {
      name: 'ForAllValues:StringLikeIfExists',
      base: 'StringLike',
      family: 'String',
      negated: false,
      ifExists: true,
      qualifier: 'ForAllValues',
    });
    assert.equal(op('NotIpAddress').negated, true);
    assert.match(problem('StringEqual'), /unknown condition operator/);
    assert.match(problem('ForSomeValues:StringEquals'), /unknown set qualifier/);
    assert.match(problem('NullIfExists'), /Null operator/);
  });

  it('parses IPv4, IPv6 and IPv4-mapped addresses', () => {
    assert.deepEqual(parseIpAddress('10.0.0.1'), [10, 0, 0, 1]);
    assert.deepEqual(parseIpAddress('::ffff:127.0.0.1'), [127, 0, 0, 1]);
    assert.equal(parseIpAddress('2001:db8::1')?.length, 16);
    assert.deepEqual(parseIpAddress('::1')?.slice(14), [0, 1]);
    assert.equal(parseIpAddress('10.0.0.256'), undefined);
    assert.equal(parseIpAddress('2001:db8:::1'), undefined);
    assert.equal(parseIpAddress('example.com'), undefined);
  });
});
