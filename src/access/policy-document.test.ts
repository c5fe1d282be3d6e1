import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicyDocument, parsePolicyText, PolicyDocumentError } from './policy-document.js';

const valid = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'securityhub:Get*', Resource: '*' }],
};
const withStatement = (statement: Record<string, unknown>): unknown => ({
  Version: '2012-10-17',
  Statement: [statement],
});
const base = { Effect: 'Allow', Action: '*', Resource: '*' };

function issuesOf(document: unknown): string[] {
  try {
    parsePolicyDocument(document);
  } catch (error) {
    assert.ok(error instanceof PolicyDocumentError, String(error));
    return [...error.issues];
  }
  assert.fail('expected the document to be refused');
}

describe('policy document validation', () => {
  it('accepts and normalizes a single statement object and string elements into lists', () => {
    const document = parsePolicyDocument({
      Version: '2012-10-17',
      Statement: {
        Sid: 'One',
        Effect: 'Deny',
        NotAction: 'ssm:*',
        NotResource: 'arn:aws:ssm:*:*:document/*',
        Condition: { NumericLessThan: { 'aws:EpochTime': 5 }, Bool: { 'aws:SecureTransport': false } },
      },
    });
    assert.deepEqual(document.Statement, [
      {
        Sid: 'One',
        Effect: 'Deny',
        NotAction: ['ssm:*'],
        NotResource: ['arn:aws:ssm:*:*:document/*'],
        Condition: {
          NumericLessThan: { 'aws:EpochTime': ['5'] },
          Bool: { 'aws:SecureTransport': ['false'] },
        },
      },
    ]);
    assert.equal(parsePolicyDocument({ ...valid, Version: '2008-10-17' }).Version, '2008-10-17');
  });

  const refusals: [string, unknown, RegExp][] = [
    ['a non-object', [], /a policy document must be a JSON object/],
    ['a missing Version', { Statement: valid.Statement }, /^Version: Version must be "2012-10-17"/],
    ['an unknown Version', { ...valid, Version: '2012-10-18' }, /^Version: /],
    [
      'a missing Statement',
      { Version: '2012-10-17' },
      /^Statement: Statement must be a statement object or a list/,
    ],
    [
      'an empty Statement',
      { Version: '2012-10-17', Statement: [] },
      /^Statement: Statement must not be empty/,
    ],
    ['an unknown top-level element', { ...valid, Extra: 1 }, /unknown policy element\(s\): Extra/],
    [
      'a bad Effect',
      withStatement({ ...base, Effect: 'allow' }),
      /^Statement\[0\]\.Effect: Effect must be "Allow" or "Deny"/,
    ],
    [
      'both Action and NotAction',
      withStatement({ ...base, NotAction: 'ssm:*' }),
      /^Statement\[0\]: a statement needs exactly one of Action and NotAction/,
    ],
    [
      'neither Action nor NotAction',
      withStatement({ Effect: 'Allow', Resource: '*' }),
      /exactly one of Action and NotAction/,
    ],
    [
      'both Resource and NotResource',
      withStatement({ ...base, NotResource: '*' }),
      /exactly one of Resource and NotResource/,
    ],
    [
      'neither Resource nor NotResource',
      withStatement({ Effect: 'Allow', Action: '*' }),
      /exactly one of Resource and NotResource/,
    ],
    [
      'a malformed action',
      withStatement({ ...base, Action: ['securityhub:GetFindings', 'GetFindings'] }),
      /^Statement\[0\]\.Action\[1\]: Action must be "\*" or "service:ActionName"/,
    ],
    ['an empty action list', withStatement({ ...base, Action: [] }), /Action must not be an empty list/],
    [
      'a non-string action',
      withStatement({ ...base, Action: 5 }),
      /Action must be a string or a list of strings/,
    ],
    [
      'a non-ARN resource',
      withStatement({ ...base, Resource: 'hub/default' }),
      /^Statement\[0\]\.Resource\[0\]: Resource must be "\*" or an ARN/,
    ],
    [
      'a Principal',
      withStatement({ ...base, Principal: '*' }),
      /Principal is not allowed in an identity-based policy/,
    ],
    [
      'an unknown statement element',
      withStatement({ ...base, Effects: 'Allow' }),
      /unknown statement element\(s\): Effects/,
    ],
    ['a bad Sid', withStatement({ ...base, Sid: 'has space' }), /Sid may contain only letters and digits/],
    [
      'duplicate Sids',
      {
        Version: '2012-10-17',
        Statement: [
          { ...base, Sid: 'A' },
          { ...base, Sid: 'A' },
        ],
      },
      /^Statement\[1\]\.Sid: duplicate Sid "A"/,
    ],
    [
      'an unknown condition operator',
      withStatement({ ...base, Condition: { StringEqual: { 'aws:username': 'a' } } }),
      /^Statement\[0\]\.Condition\.StringEqual: unknown condition operator "StringEqual"/,
    ],
    [
      'a bad set qualifier',
      withStatement({ ...base, Condition: { 'ForSome:StringEquals': { k: 'a' } } }),
      /unknown set qualifier "ForSome"/,
    ],
    [
      'Null with IfExists',
      withStatement({ ...base, Condition: { NullIfExists: { k: 'true' } } }),
      /Null operator takes neither/,
    ],
    [
      'a bad CIDR',
      withStatement({ ...base, Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.0/33'] } } }),
      /Condition\.IpAddress\.aws:SourceIp\[1\]: "10\.0\.0\.0\/33" is not an IPv4 or IPv6 address or CIDR block/,
    ],
    [
      'a bad date',
      withStatement({ ...base, Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } }),
      /"tomorrow" is not a date/,
    ],
    [
      'a bad number',
      withStatement({ ...base, Condition: { NumericLessThan: { 'aws:EpochTime': 'soon' } } }),
      /"soon" is not a number/,
    ],
    [
      'a bad Bool',
      withStatement({ ...base, Condition: { Bool: { 'aws:SecureTransport': 'yes' } } }),
      /"yes" must be "true" or "false"/,
    ],
    [
      'an operator without keys',
      withStatement({ ...base, Condition: { StringEquals: {} } }),
      /an operator needs at least one condition key/,
    ],
    [
      'an object condition value',
      withStatement({ ...base, Condition: { StringEquals: { k: { a: 1 } } } }),
      /condition values must be strings, numbers or booleans/,
    ],
  ];
  for (const [name, document, expected] of refusals) {
    it(`refuses ${name}`, () => {
      const issues = issuesOf(document);
      assert.ok(
        issues.some((issue) => expected.test(issue)),
        `issues: ${issues.join(' | ')}`,
      );
    });
  }

  it('lists every problem at once', () => {
    const issues = issuesOf({
      Version: 'x',
      Statement: [{ Effect: 'Maybe', Action: 'nope', Resource: '*' }],
    });
    assert.equal(issues.length, 3, issues.join(' | '));
  });

  it('reports JSON syntax errors and the IAM size limit', () => {
    assert.throws(() => parsePolicyText('{"Version":'), /invalid policy document: not valid JSON/);
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: Array.from({ length: 400 }, (_, i) => `securityhub:Action${i}`),
          Resource: '*',
        },
      ],
    });
    assert.throws(() => parsePolicyText(big), /exceed the limit of 6144/);
    assert.equal(parsePolicyText(JSON.stringify(valid)).Statement.length, 1);
  });
});
