import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  CreateFindingAggregatorCommand,
  DeleteFindingAggregatorCommand,
  EnableSecurityHubCommand,
  GetFindingAggregatorCommand,
  ListFindingAggregatorsCommand,
  UpdateFindingAggregatorCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { buildFinding, defaultProductArn, uniqueFindingId } from './factories.js';
import { getAllFindings } from './support/accounts.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

describe('cross-Region finding aggregation', () => {
  let server: InProcessServer;
  let key: Credentials;
  const clients: Record<string, SecurityHubClient> = {};
  const ids: Record<string, string> = {};
  const regions = ['us-east-1', 'eu-west-1', 'ap-south-1'];

  before(async () => {
    server = await startInProcessServer();
    key = await server.createKey();
    for (const region of regions) {
      const client = server.client(region, key);
      clients[region] = client;
      await client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
      ids[region] = uniqueFindingId(region);
      await client.send(
        new BatchImportFindingsCommand({
          Findings: [buildFinding({ Id: ids[region] }, { accountId: key.accountId, region })],
        }),
      );
    }
  });
  after(() => server.dispose());

  const home = (): SecurityHubClient => clients['us-east-1'] as SecurityHubClient;
  const seen = async (region: string): Promise<string[]> =>
    (await getAllFindings(clients[region] as SecurityHubClient)).map((f) => f.Id ?? '').sort();

  it('shows each Region only its own findings without an aggregator', async () => {
    for (const region of regions) assert.deepEqual(await seen(region), [ids[region]]);
  });

  it('links Regions to the aggregation Region per the linking mode', async () => {
    await expectAwsError(
      home().send(
        new CreateFindingAggregatorCommand({ RegionLinkingMode: 'NO_REGIONS', Regions: ['eu-west-1'] }),
      ),
      'InvalidInputException',
      400,
    );
    const created = await home().send(
      new CreateFindingAggregatorCommand({ RegionLinkingMode: 'ALL_REGIONS' }),
    );
    assert.equal(created.FindingAggregationRegion, 'us-east-1');
    assert.match(
      created.FindingAggregatorArn ?? '',
      /^arn:aws:securityhub:us-east-1:\d{12}:finding-aggregator\//,
    );
    assert.deepEqual(await seen('us-east-1'), Object.values(ids).sort());
    assert.deepEqual(await seen('eu-west-1'), [ids['eu-west-1']], 'a linked Region still sees only its own');

    const arn = created.FindingAggregatorArn ?? '';
    await home().send(
      new UpdateFindingAggregatorCommand({
        FindingAggregatorArn: arn,
        RegionLinkingMode: 'SPECIFIED_REGIONS',
        Regions: ['ap-south-1'],
      }),
    );
    assert.deepEqual(await seen('us-east-1'), [ids['us-east-1'], ids['ap-south-1']].sort());
    const got = await home().send(new GetFindingAggregatorCommand({ FindingAggregatorArn: arn }));
    assert.deepEqual(got.Regions, ['ap-south-1']);
    assert.equal((await home().send(new ListFindingAggregatorsCommand({}))).FindingAggregators?.length, 1);
    await expectAwsError(
      (clients['eu-west-1'] as SecurityHubClient).send(
        new GetFindingAggregatorCommand({ FindingAggregatorArn: arn }),
      ),
      'ResourceNotFoundException',
      404,
    );

    // Updates made in the aggregation Region reach the linked Region's finding, which stays in its Region.
    const linkedId = ids['ap-south-1'] ?? '';
    const update = await home().send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: linkedId, ProductArn: defaultProductArn(key.accountId, 'ap-south-1') }],
        Workflow: { Status: 'RESOLVED' },
      }),
    );
    assert.equal(update.ProcessedFindings?.length, 1);
    const [linked] = await getAllFindings(clients['ap-south-1'] as SecurityHubClient);
    assert.equal(linked?.Workflow?.Status, 'RESOLVED');
    assert.equal(linked?.Region, 'ap-south-1');

    await home().send(new DeleteFindingAggregatorCommand({ FindingAggregatorArn: arn }));
    assert.deepEqual(await seen('us-east-1'), [ids['us-east-1']]);
  });

  it('shows another account nothing of this one in any Region', async () => {
    const other = await server.createKey();
    const client = server.client('us-east-1', other);
    await client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await client.send(new CreateFindingAggregatorCommand({ RegionLinkingMode: 'ALL_REGIONS' }));
    assert.deepEqual(await getAllFindings(client), []);
  });
});
