import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultProductArn, retargetFinding, retargetTargetFromHubArn } from './retarget-finding.js';
import { asffSamplesDir } from '../../test/support/samples-dir.js';

const samples = asffSamplesDir;
const load = (file: string): Record<string, unknown>[] =>
  JSON.parse(readFileSync(`${samples}/${file}`, 'utf8')) as Record<string, unknown>[];
const target = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };
const resources = (finding: Record<string, unknown>): Record<string, unknown>[] =>
  finding['Resources'] as Record<string, unknown>[];

describe('retargetTargetFromHubArn', () => {
  it('reads partition, Region and account from the hub ARN', () => {
    assert.deepEqual(
      retargetTargetFromHubArn('arn:aws:securityhub:eu-west-1:111122223333:hub/default'),
      target,
    );
    assert.deepEqual(retargetTargetFromHubArn('arn:aws-cn:securityhub:cn-north-1:111122223333:hub/default'), {
      partition: 'aws-cn',
      region: 'cn-north-1',
      accountId: '111122223333',
    });
  });

  it('refuses an ARN that is not a hub', () => {
    assert.throws(() => retargetTargetFromHubArn('arn:aws:iam::111122223333:user/x'), /hub ARN/);
    assert.throws(() => retargetTargetFromHubArn(''), /hub ARN/);
  });
});

describe('retargetFinding', () => {
  it('rewrites account and product to the caller’s default product', () => {
    const [prowler] = load('prowler-asff.json');
    assert.ok(prowler !== undefined);
    const out = retargetFinding(prowler, target);
    assert.equal(out['AwsAccountId'], '111122223333');
    assert.equal(
      out['ProductArn'],
      'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
    );
    assert.equal(out['ProductArn'], defaultProductArn(target));
    assert.equal(out['ProductName'], 'Prowler', 'named after ProductFields.ProviderName');
    assert.equal(out['CompanyName'], 'prowler', 'company from the original product ARN');
    assert.equal(out['Id'], prowler['Id']);
    assert.equal(out['Title'], prowler['Title']);
  });

  it('fixes Trivy’s empty resource Region and short account, and does not touch the input', () => {
    const [trivy] = load('trivy-asff.json');
    assert.ok(trivy !== undefined);
    const before = JSON.stringify(trivy);
    const out = retargetFinding(trivy, target);
    assert.equal(JSON.stringify(trivy), before);
    assert.equal(resources(out)[0]?.['Region'], 'eu-west-1');
    assert.equal(out['AwsAccountId'], '111122223333');
    assert.equal(out['ProductName'], 'Trivy');
    assert.equal(out['CompanyName'], 'aquasecurity');
  });

  it('keeps a resource Region that is set, and gives an empty resource Type a value', () => {
    const finding = {
      Id: 'x',
      ProductArn: 'arn:aws:securityhub:us-east-1::product/acme/scanner',
      Resources: [
        { Type: '', Id: 'r1', Region: 'us-west-2' },
        { Type: 'AwsS3Bucket', Id: 'r2' },
      ],
    };
    const out = retargetFinding(finding, target);
    assert.deepEqual(out['Resources'], [
      { Type: 'Other', Id: 'r1', Region: 'us-west-2' },
      { Type: 'AwsS3Bucket', Id: 'r2' },
    ]);
    assert.equal(out['ProductName'], 'scanner');
    assert.equal(out['CompanyName'], 'acme');
  });

  it('drops what GetFindings output carries that import should not get (OCSF samples)', () => {
    for (const finding of load('ocsf-examples-securityhub.json')) {
      const out = retargetFinding(finding, target);
      assert.equal('ProcessedAt' in out, false);
      const fields = out['ProductFields'] as Record<string, string> | undefined;
      assert.ok(
        fields === undefined || Object.keys(fields).every((key) => !key.startsWith('aws/securityhub/')),
      );
      if ('Region' in finding) assert.equal(out['Region'], 'eu-west-1');
      assert.equal(typeof out['ProductName'], 'string');
    }
  });

  it('keeps the finding’s own ProductName and CompanyName', () => {
    const out = retargetFinding(
      {
        Id: 'x',
        ProductArn: 'arn:aws:securityhub:us-east-1::product/acme/scanner',
        ProductName: 'Mine',
        CompanyName: 'Me',
      },
      target,
    );
    assert.equal(out['ProductName'], 'Mine');
    assert.equal(out['CompanyName'], 'Me');
  });

  it('does not invent a name from another account’s default product', () => {
    const out = retargetFinding(
      { Id: 'x', ProductArn: 'arn:aws:securityhub:us-east-1:444455556666:product/444455556666/default' },
      target,
    );
    assert.equal('ProductName' in out, false);
    assert.equal('CompanyName' in out, false);
  });
});
