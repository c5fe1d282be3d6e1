import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtInPolicies } from './builtin-policies.js';
import type { PolicyDocument } from '../kernel/index.js';
import { parsePolicyDocument } from './policy-document.js';
import { evaluatePolicies, type PolicyDecision } from './policy-evaluation.js';
import type { ConditionContext } from './request-context.js';

const hub = 'arn:aws:securityhub:us-east-1:111122223333:hub/default';
const policy = (...statements: unknown[]): PolicyDocument =>
  parsePolicyDocument({ Version: '2012-10-17', Statement: statements });
const allow = (extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action: '*',
  Resource: '*',
  ...extra,
});
const deny = (extra: Record<string, unknown> = {}) => ({
  Effect: 'Deny',
  Action: '*',
  Resource: '*',
  ...extra,
});

interface Case {
  name: string;
  policies: PolicyDocument[];
  action?: string;
  resource?: string;
  context?: ConditionContext;
  expect: PolicyDecision;
}

const cases: Case[] = [
  { name: 'no policy: implicit deny', policies: [], expect: 'ImplicitDeny' },
  { name: 'Allow * on *', policies: [policy(allow())], expect: 'Allow' },
  {
    name: 'explicit deny beats allow in the same policy',
    policies: [policy(allow(), deny())],
    expect: 'ExplicitDeny',
  },
  {
    name: 'explicit deny beats allow across policies',
    policies: [policy(allow()), policy(deny())],
    expect: 'ExplicitDeny',
  },
  {
    name: 'deny of another action leaves the allow',
    policies: [policy(allow(), deny({ Action: 'securityhub:BatchImportFindings' }))],
    expect: 'Allow',
  },
  {
    name: 'action matched exactly',
    policies: [policy(allow({ Action: 'securityhub:GetFindings' }))],
    expect: 'Allow',
  },
  {
    name: 'action case-insensitive (prefix and name)',
    policies: [policy(allow({ Action: 'SecurityHub:getfindings' }))],
    expect: 'Allow',
  },
  { name: 'action wildcard *', policies: [policy(allow({ Action: 'securityhub:Get*' }))], expect: 'Allow' },
  {
    name: 'action wildcard ?',
    policies: [policy(allow({ Action: 'securityhub:GetFinding?' }))],
    expect: 'Allow',
  },
  {
    name: 'action wildcard not matching',
    policies: [policy(allow({ Action: 'securityhub:List*' }))],
    expect: 'ImplicitDeny',
  },
  { name: 'other service', policies: [policy(allow({ Action: 'ssm:*' }))], expect: 'ImplicitDeny' },
  {
    name: 'action list: any element',
    policies: [policy(allow({ Action: ['ssm:*', 'securityhub:GetFindings'] }))],
    expect: 'Allow',
  },
  {
    name: 'NotAction excludes the action',
    policies: [policy(allow({ Action: undefined, NotAction: 'securityhub:Get*' }))],
    expect: 'ImplicitDeny',
  },
  {
    name: 'NotAction allows every other action',
    policies: [policy(allow({ Action: undefined, NotAction: 'ssm:*' }))],
    expect: 'Allow',
  },
  {
    name: 'Deny with NotAction denies everything else',
    policies: [policy(allow(), deny({ Action: undefined, NotAction: 'securityhub:BatchImportFindings' }))],
    expect: 'ExplicitDeny',
  },
  { name: 'resource ARN exact', policies: [policy(allow({ Resource: hub }))], expect: 'Allow' },
  {
    name: 'resource * spans colons and slashes',
    policies: [policy(allow({ Resource: 'arn:aws:securityhub:*' }))],
    expect: 'Allow',
  },
  {
    name: 'resource wildcard in the account part',
    policies: [policy(allow({ Resource: 'arn:aws:securityhub:*:111122223333:*' }))],
    expect: 'Allow',
  },
  {
    name: 'resource of another account',
    policies: [policy(allow({ Resource: 'arn:aws:securityhub:*:999999999999:*' }))],
    expect: 'ImplicitDeny',
  },
  {
    name: 'resource match is case-sensitive',
    policies: [policy(allow({ Resource: 'arn:aws:securityhub:us-east-1:111122223333:HUB/default' }))],
    expect: 'ImplicitDeny',
  },
  {
    name: 'resource ? wildcard',
    policies: [policy(allow({ Resource: 'arn:aws:securityhub:us-east-?:111122223333:hub/default' }))],
    expect: 'Allow',
  },
  {
    name: 'NotResource excludes',
    policies: [policy(allow({ Resource: undefined, NotResource: 'arn:aws:securityhub:*:*:hub/*' }))],
    expect: 'ImplicitDeny',
  },
  {
    name: 'NotResource allows the rest',
    policies: [policy(allow({ Resource: undefined, NotResource: 'arn:aws:ssm:*' }))],
    expect: 'Allow',
  },
  {
    name: 'policy variable in Resource',
    policies: [policy(allow({ Resource: 'arn:aws:securityhub:*:${aws:PrincipalAccount}:*' }))],
    context: { 'aws:PrincipalAccount': '111122223333' },
    expect: 'Allow',
  },
  {
    name: 'policy variable missing from the request: no match',
    policies: [policy(allow({ Resource: 'arn:aws:securityhub:*:${aws:PrincipalAccount}:*' }))],
    expect: 'ImplicitDeny',
  },
  {
    name: 'policy variables are literal text in Version 2008-10-17',
    policies: [
      parsePolicyDocument({
        Version: '2008-10-17',
        Statement: [allow({ Resource: 'arn:aws:securityhub:*:${aws:PrincipalAccount}:*' })],
      }),
    ],
    context: { 'aws:PrincipalAccount': '111122223333' },
    expect: 'ImplicitDeny',
  },
  {
    name: 'condition holds: allow',
    policies: [policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))],
    context: { 'aws:SourceIp': '10.1.2.3' },
    expect: 'Allow',
  },
  {
    name: 'condition fails: no allow',
    policies: [policy(allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))],
    context: { 'aws:SourceIp': '127.0.0.1' },
    expect: 'ImplicitDeny',
  },
  {
    name: 'condition keys are case-insensitive',
    policies: [policy(allow({ Condition: { StringEquals: { 'AWS:REQUESTEDREGION': 'eu-west-1' } } }))],
    context: { 'aws:RequestedRegion': 'eu-west-1' },
    expect: 'Allow',
  },
  {
    name: 'deny unless from the office network (NotIpAddress)',
    policies: [
      policy(
        allow(),
        deny({ Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] } } }),
      ),
    ],
    context: { 'aws:SourceIp': '2001:db8::1' },
    expect: 'Allow',
  },
  {
    name: 'deny from outside the office network',
    policies: [
      policy(
        allow(),
        deny({ Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] } } }),
      ),
    ],
    context: { 'aws:SourceIp': '203.0.113.9' },
    expect: 'ExplicitDeny',
  },
  {
    name: 'region limit: allowed region',
    policies: [
      policy(allow({ Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } })),
    ],
    context: { 'aws:RequestedRegion': 'eu-west-1' },
    expect: 'Allow',
  },
  {
    name: 'region limit: other region',
    policies: [
      policy(allow({ Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } })),
    ],
    context: { 'aws:RequestedRegion': 'ap-south-1' },
    expect: 'ImplicitDeny',
  },
  {
    name: 'several keys in one operator are ANDed (one fails)',
    policies: [
      policy(
        allow({
          Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:username': 'alice' } },
        }),
      ),
    ],
    context: { 'aws:RequestedRegion': 'us-east-1', 'aws:username': 'bob' },
    expect: 'ImplicitDeny',
  },
  {
    name: 'several operators are ANDed (all hold)',
    policies: [
      policy(
        allow({
          Condition: {
            StringEquals: { 'aws:RequestedRegion': 'us-east-1' },
            IpAddress: { 'aws:SourceIp': '127.0.0.0/8' },
            Bool: { 'aws:SecureTransport': 'false' },
          },
        }),
      ),
    ],
    context: {
      'aws:RequestedRegion': 'us-east-1',
      'aws:SourceIp': '127.0.0.1',
      'aws:SecureTransport': 'false',
    },
    expect: 'Allow',
  },
  {
    name: 'a Deny whose condition fails does not apply',
    policies: [
      policy(allow(), deny({ Condition: { StringEquals: { 'aws:RequestedRegion': 'ap-south-1' } } })),
    ],
    context: { 'aws:RequestedRegion': 'us-east-1' },
    expect: 'Allow',
  },
  {
    name: 'Deny with a missing key and a positive operator does not apply',
    policies: [policy(allow(), deny({ Condition: { StringEquals: { 'aws:UserAgent': 'curl' } } }))],
    expect: 'Allow',
  },
  {
    name: 'Deny with a missing key and a negated operator applies',
    policies: [policy(allow(), deny({ Condition: { StringNotEquals: { 'aws:UserAgent': 'curl' } } }))],
    expect: 'ExplicitDeny',
  },
  {
    name: 'Deny …IfExists with a missing key applies',
    policies: [policy(allow(), deny({ Condition: { StringEqualsIfExists: { 'aws:UserAgent': 'curl' } } }))],
    expect: 'ExplicitDeny',
  },
  {
    name: 'time window (DateLessThan)',
    policies: [policy(allow({ Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } }))],
    context: { 'aws:CurrentTime': '2026-06-01T12:00:00Z' },
    expect: 'Allow',
  },
  {
    name: 'time window expired',
    policies: [policy(allow({ Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }))],
    context: { 'aws:CurrentTime': '2026-06-01T12:00:00Z' },
    expect: 'ImplicitDeny',
  },
];

describe('evaluatePolicies', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluatePolicies(c.policies, {
        action: c.action ?? 'securityhub:GetFindings',
        resource: c.resource ?? hub,
        ...(c.context === undefined ? {} : { context: c.context }),
      });
      assert.equal(decision, c.expect);
    });
  }

  it('treats an operator it does not know as failing an Allow and applying a Deny', () => {
    // Stored documents are validated, so this only guards against a document that bypassed validation.
    const bogus = { Bogus: { k: ['v'] } };
    const allowAll = { Effect: 'Allow' as const, Action: ['*'], Resource: ['*'] };
    const request = { action: 'a:b', resource: '*' };
    const unvalidated = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({
      Version: '2012-10-17',
      Statement,
    });
    assert.equal(evaluatePolicies([unvalidated({ ...allowAll, Condition: bogus })], request), 'ImplicitDeny');
    assert.equal(
      evaluatePolicies([unvalidated(allowAll, { ...allowAll, Effect: 'Deny', Condition: bogus })], request),
      'ExplicitDeny',
    );
  });
});

describe('built-in policies', () => {
  const named = (name: string): PolicyDocument => {
    const found = builtInPolicies.find((p) => p.name === name);
    assert.ok(found, name);
    return found.document;
  };
  const decide = (name: string, action: string): PolicyDecision =>
    evaluatePolicies([named(name)], { action, resource: hub });

  const table: [string, string, PolicyDecision][] = [
    ['AdministratorAccess', 'securityhub:DisableSecurityHub', 'Allow'],
    ['SecurityHubImporter', 'securityhub:BatchImportFindings', 'Allow'],
    ['SecurityHubImporter', 'securityhub:GetFindings', 'ImplicitDeny'],
    ['SecurityHubImporter', 'securityhub:BatchUpdateFindings', 'ImplicitDeny'],
    ['SecurityHubReadOnly', 'securityhub:GetFindings', 'Allow'],
    ['SecurityHubReadOnly', 'securityhub:DescribeHub', 'Allow'],
    ['SecurityHubReadOnly', 'securityhub:ListAutomationRules', 'Allow'],
    ['SecurityHubReadOnly', 'securityhub:BatchGetAutomationRules', 'Allow'],
    ['SecurityHubReadOnly', 'cloudtrail:LookupEvents', 'Allow'],
    ['SecurityHubReadOnly', 'cloudtrail:GetAuditTrailVerification', 'Allow'],
    ['SecurityHubReadOnly', 'securityhub:BatchUpdateFindings', 'ImplicitDeny'],
    ['SecurityHubReadOnly', 'securityhub:BatchImportFindings', 'ImplicitDeny'],
    ['SecurityHubReadOnly', 'securityhub:DisableSecurityHub', 'ImplicitDeny'],
    ['SecurityHubAnalyst', 'securityhub:BatchUpdateFindings', 'Allow'],
    ['SecurityHubAnalyst', 'securityhub:CreateInsight', 'Allow'],
    ['SecurityHubAnalyst', 'securityhub:GetInsightResults', 'Allow'],
    ['SecurityHubAnalyst', 'securityhub:BatchImportFindings', 'ImplicitDeny'],
    ['SecurityHubAnalyst', 'securityhub:DeleteAutomationRules', 'ImplicitDeny'],
    ['BulwarkAgent', 'ssm:UpdateInstanceInformation', 'Allow'],
    ['BulwarkAgent', 'ssm:PutInventory', 'Allow'],
    ['BulwarkAgent', 'securityhub:GetFindings', 'ImplicitDeny'],
    ['BulwarkAgent', 'ssm:SendCommand', 'ImplicitDeny'],
  ];
  for (const [name, action, expected] of table) {
    it(`${name}: ${action} → ${expected}`, () => assert.equal(decide(name, action), expected));
  }

  it('each has a one-line description and a unique name', () => {
    const names = new Set(builtInPolicies.map((p) => p.name));
    assert.equal(names.size, builtInPolicies.length);
    for (const p of builtInPolicies) assert.match(p.description, /^[^\n]{10,200}$/);
  });
});
