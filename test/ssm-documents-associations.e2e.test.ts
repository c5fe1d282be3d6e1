/** E2E: SSM documents, sharing, the public-sharing block and State Manager associations through the real server. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { rawFetch } from './support/aws-request.js';
import { commandExists, type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

const run = promisify(execFile);
const hasAwsCli = commandExists('aws');
const settingId = '/ssm/documents/console/public-sharing-permission';

const content = JSON.stringify({
  schemaVersion: '2.2',
  description: 'Prints a greeting',
  parameters: { greeting: { type: 'String', default: 'hello', allowedValues: ['hello', 'hi'] } },
  mainSteps: [
    { action: 'aws:runShellScript', name: 'greet', inputs: { runCommand: ['echo {{ greeting }}'] } },
  ],
});

function cleanEnv(key: Credentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && !name.startsWith('BULWARK_')) env[name] = value;
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
  };
}

describe('SSM documents and associations (e2e)', () => {
  let server: InProcessServer;
  let owner: Credentials;
  let friend: Credentials;
  let stranger: Credentials;

  before(async () => {
    server = await startInProcessServer();
    owner = await server.createKey();
    friend = await server.createKey();
    stranger = await server.createKey();
  });
  after(async () => {
    await server?.dispose();
  });

  async function ssm(
    operation: string,
    body: unknown,
    key: Credentials = owner,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        body,
        service: 'ssm',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${operation}` },
      },
      key,
    );
    const text = await response.text();
    return {
      status: response.status,
      json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  }

  async function cli(args: string[], key: Credentials = owner): Promise<Record<string, unknown>> {
    const { stdout } = await run(
      'aws',
      ['ssm', ...args, '--endpoint-url', server.endpoint, '--output', 'json'],
      {
        env: cleanEnv(key),
        timeout: 60_000,
      },
    );
    return (stdout.trim() === '' ? {} : JSON.parse(stdout)) as Record<string, unknown>;
  }

  async function cliError(args: string[], key: Credentials = owner): Promise<string> {
    try {
      await cli(args, key);
    } catch (error) {
      return (error as { stderr?: string }).stderr ?? '';
    }
    assert.fail(`aws ssm ${args.join(' ')} succeeded`);
  }

  it('signed raw requests: create, describe, get, version, share, block and associate', async () => {
    const created = await ssm('CreateDocument', {
      Name: 'RawDoc',
      Content: content,
      DocumentType: 'Command',
      Tags: [{ Key: 'team', Value: 'ops' }],
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const description = created.json['DocumentDescription'] as Record<string, unknown>;
    assert.equal(description['Owner'], owner.accountId);
    assert.equal(description['HashType'], 'Sha256');
    assert.equal(description['DocumentVersion'], '1');
    assert.equal(description['Status'], 'Active');
    assert.equal(typeof description['CreatedDate'], 'number');
    assert.deepEqual(description['PlatformTypes'], ['Linux', 'MacOS']);
    assert.deepEqual(description['Parameters'], [
      { Name: 'greeting', Type: 'String', DefaultValue: 'hello' },
    ]);

    const bad = await ssm('CreateDocument', {
      Name: 'Broken',
      Content: '{"schemaVersion":"2.2","mainSteps":[]}',
    });
    assert.deepEqual([bad.status, bad.json['__type']], [400, 'InvalidDocumentContent']);
    const yaml = await ssm('CreateDocument', {
      Name: 'Yaml',
      Content: 'schemaVersion: "2.2"',
      DocumentFormat: 'YAML',
    });
    assert.deepEqual([yaml.status, yaml.json['__type']], [400, 'InvalidDocumentContent']);

    const updated = await ssm('UpdateDocument', {
      Name: 'RawDoc',
      Content: content.replace('Prints', 'Says'),
      DocumentVersion: '$LATEST',
    });
    assert.equal((updated.json['DocumentDescription'] as Record<string, unknown>)['LatestVersion'], '2');
    const duplicate = await ssm('UpdateDocument', { Name: 'RawDoc', Content: content });
    assert.equal(duplicate.json['__type'], 'DuplicateDocumentContent');
    const versions = await ssm('ListDocumentVersions', { Name: 'RawDoc' });
    assert.deepEqual(
      (versions.json['DocumentVersions'] as { DocumentVersion: string }[]).map((v) => v.DocumentVersion),
      ['2', '1'],
    );

    const arn = `arn:aws:ssm:us-east-1:${owner.accountId}:document/RawDoc`;
    assert.equal((await ssm('GetDocument', { Name: arn }, friend)).json['__type'], 'InvalidDocument');
    assert.equal(
      (
        await ssm('ModifyDocumentPermission', {
          Name: 'RawDoc',
          PermissionType: 'Share',
          AccountIdsToAdd: [friend.accountId],
        })
      ).status,
      200,
    );
    const shared = await ssm('GetDocument', { Name: arn }, friend);
    assert.equal(shared.status, 200);
    assert.equal(shared.json['Content'], content);
    assert.equal((await ssm('GetDocument', { Name: arn }, stranger)).json['__type'], 'InvalidDocument');
    assert.equal(
      (
        await ssm('ModifyDocumentPermission', {
          Name: 'RawDoc',
          PermissionType: 'Bogus',
          AccountIdsToAdd: ['All'],
        })
      ).json['__type'],
      'InvalidPermissionType',
    );

    assert.equal(
      (await ssm('UpdateServiceSetting', { SettingId: settingId, SettingValue: 'Disable' })).status,
      200,
    );
    const blocked = await ssm('ModifyDocumentPermission', {
      Name: 'RawDoc',
      PermissionType: 'Share',
      AccountIdsToAdd: ['All'],
    });
    assert.deepEqual([blocked.status, blocked.json['__type']], [400, 'InvalidPermissionType']);
    const reset = await ssm('ResetServiceSetting', { SettingId: settingId });
    assert.deepEqual((reset.json['ServiceSetting'] as Record<string, unknown>)['SettingValue'], 'Enable');

    const association = await ssm('CreateAssociation', {
      Name: 'RawDoc',
      Targets: [{ Key: 'InstanceIds', Values: ['mi-0123456789abcdef0'] }],
      Parameters: { greeting: ['hi'] },
      ScheduleExpression: 'rate(30 minutes)',
      ComplianceSeverity: 'HIGH',
    });
    assert.equal(association.status, 200, JSON.stringify(association.json));
    const badParameters = await ssm('CreateAssociation', {
      Name: 'RawDoc',
      Targets: [{ Key: 'InstanceIds', Values: ['*'] }],
      Parameters: { greeting: ['bye'] },
    });
    assert.equal(badParameters.json['__type'], 'InvalidParameters');
    const badSchedule = await ssm('CreateAssociation', {
      Name: 'RawDoc',
      Targets: [{ Key: 'InstanceIds', Values: ['*'] }],
      ScheduleExpression: 'cron(0/5 * * * ? *)',
    });
    assert.equal(badSchedule.json['__type'], 'InvalidSchedule');
    const inUse = await ssm('DeleteDocument', { Name: 'RawDoc' }, owner);
    assert.equal(inUse.json['__type'], 'InvalidDocumentOperation', 'still shared');
    await ssm('ModifyDocumentPermission', {
      Name: 'RawDoc',
      PermissionType: 'Share',
      AccountIdsToRemove: [friend.accountId],
    });
    assert.equal((await ssm('DeleteDocument', { Name: 'RawDoc' })).json['__type'], 'AssociatedInstances');
    const id = (association.json['AssociationDescription'] as { AssociationId: string }).AssociationId;
    const executions = await ssm('DescribeAssociationExecutions', { AssociationId: id });
    assert.deepEqual(executions.json['AssociationExecutions'], []);
    assert.equal((await ssm('DeleteAssociation', { AssociationId: id })).status, 200);
    assert.equal((await ssm('DeleteDocument', { Name: 'RawDoc' })).status, 200);
  });

  it(
    'the aws CLI: documents, permissions, service setting and associations',
    { skip: hasAwsCli ? false : 'the aws CLI is not on PATH' },
    async () => {
      const created = await cli([
        'create-document',
        '--name',
        'CliDoc',
        '--content',
        content,
        '--document-type',
        'Command',
      ]);
      assert.equal((created['DocumentDescription'] as Record<string, unknown>)['Name'], 'CliDoc');
      const got = await cli(['get-document', '--name', 'CliDoc']);
      assert.deepEqual(
        [got['DocumentVersion'], got['DocumentFormat'], got['Content']],
        ['1', 'JSON', content],
      );
      const described = await cli(['describe-document', '--name', 'CliDoc']);
      assert.equal((described['Document'] as Record<string, unknown>)['SchemaVersion'], '2.2');
      const amazon = await cli(['list-documents', '--filters', 'Key=Owner,Values=Amazon']);
      assert.deepEqual(
        (amazon['DocumentIdentifiers'] as { Name: string; Owner: string }[]).map(
          (d) => `${d.Owner}/${d.Name}`,
        ),
        ['Amazon/AWS-RunPatchBaseline', 'Amazon/AWS-RunShellScript'],
      );
      const mine = await cli(['list-documents', '--filters', 'Key=Owner,Values=Self']);
      assert.deepEqual(
        (mine['DocumentIdentifiers'] as { Name: string }[]).map((d) => d.Name),
        ['CliDoc'],
      );

      await cli([
        'modify-document-permission',
        '--name',
        'CliDoc',
        '--permission-type',
        'Share',
        '--account-ids-to-add',
        'All',
      ]);
      const permission = await cli([
        'describe-document-permission',
        '--name',
        'CliDoc',
        '--permission-type',
        'Share',
      ]);
      assert.deepEqual(permission['AccountIds'], ['all']);
      assert.deepEqual(permission['AccountSharingInfoList'], [
        { AccountId: 'all', SharedDocumentVersion: '$DEFAULT' },
      ]);
      const publicForStranger = await cli(
        ['list-documents', '--filters', 'Key=Owner,Values=Public'],
        stranger,
      );
      assert.deepEqual(
        (publicForStranger['DocumentIdentifiers'] as { Name: string }[]).map((d) => d.Name),
        ['CliDoc'],
      );
      await cli([
        'modify-document-permission',
        '--name',
        'CliDoc',
        '--permission-type',
        'Share',
        '--account-ids-to-remove',
        'all',
      ]);

      const setting = await cli(['get-service-setting', '--setting-id', settingId]);
      assert.deepEqual(setting['ServiceSetting'], {
        SettingId: settingId,
        SettingValue: 'Enable',
        LastModifiedDate: (setting['ServiceSetting'] as Record<string, unknown>)['LastModifiedDate'],
        LastModifiedUser: 'System',
        ARN: `arn:aws:ssm:us-east-1:${owner.accountId}:servicesetting${settingId}`,
        Status: 'Default',
      });
      await cli(['update-service-setting', '--setting-id', settingId, '--setting-value', 'Disable']);
      assert.match(
        await cliError([
          'modify-document-permission',
          '--name',
          'CliDoc',
          '--permission-type',
          'Share',
          '--account-ids-to-add',
          'All',
        ]),
        /InvalidPermissionType.*Public sharing is blocked/,
      );

      const association = await cli([
        'create-association',
        '--name',
        'AWS-RunPatchBaseline',
        '--targets',
        'Key=tag:PatchGroup,Values=web',
        '--parameters',
        'Operation=Scan',
        '--schedule-expression',
        'cron(0 2 ? * SUN *)',
        '--association-name',
        'weekly-scan',
        '--compliance-severity',
        'CRITICAL',
      ]);
      const description = association['AssociationDescription'] as Record<string, unknown>;
      assert.equal(description['AssociationVersion'], '1');
      assert.equal(description['DocumentVersion'], '$DEFAULT');
      assert.deepEqual(description['Overview'], {
        Status: 'Pending',
        DetailedStatus: 'Creating',
        AssociationStatusAggregatedCount: {},
      });
      const id = description['AssociationId'] as string;
      const listed = await cli([
        'list-associations',
        '--association-filter-list',
        'key=AssociationName,value=weekly-scan',
      ]);
      assert.deepEqual(
        (listed['Associations'] as { AssociationId: string }[]).map((a) => a.AssociationId),
        [id],
      );
      const fetched = await cli(['describe-association', '--association-id', id]);
      assert.equal(
        (fetched['AssociationDescription'] as Record<string, unknown>)['ComplianceSeverity'],
        'CRITICAL',
      );
      assert.match(
        await cliError(['describe-association', '--association-id', id], friend),
        /AssociationDoesNotExist/,
      );
      assert.match(
        await cliError([
          'create-association',
          '--name',
          'AWS-RunPatchBaseline',
          '--targets',
          'Key=InstanceIds,Values=*',
          '--schedule-expression',
          'rate(1 hours)',
          '--parameters',
          'Operation=Scan',
        ]),
        /InvalidSchedule/,
      );
    },
  );
});
