/** E2E support: fresh accounts with Security Hub enabled, so tests sharing one server stay independent. */
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { buildFinding, defaultProductArn, type FindingTarget } from '../factories.js';
import type { Credentials, TestServer } from './server-harness.js';

/** An account with its hub enabled in `region`, a client and a finding builder targeting it. */
export interface TestAccount {
  key: Credentials;
  accountId: string;
  region: string;
  client: SecurityHubClient;
  target: FindingTarget;
  productArn: string;
  /** {@link buildFinding} for this account and Region. */
  finding(overrides?: Partial<AwsSecurityFinding>): AwsSecurityFinding;
}

/**
 * Creates a new account on `server` (`admin create-key`) and enables its hub. Default standards stay off unless
 * asked for: their control findings (e.g. SSM.7 on every account) would otherwise join every GetFindings result.
 */
export async function enabledAccount(
  server: TestServer,
  region = 'us-east-1',
  options: { defaultStandards?: boolean } = {},
): Promise<TestAccount> {
  const key = await server.createKey();
  const client = server.client(region, key);
  await client.send(
    new EnableSecurityHubCommand({ EnableDefaultStandards: options.defaultStandards ?? false }),
  );
  const target = { accountId: key.accountId, region };
  return {
    key,
    accountId: key.accountId,
    region,
    client,
    target,
    productArn: defaultProductArn(key.accountId, region),
    finding: (overrides = {}) => buildFinding(overrides, target),
  };
}

/** Every finding matching `filters`, following NextToken. */
export async function getAllFindings(
  client: SecurityHubClient,
  filters: AwsSecurityFindingFilters = {},
  maxResults = 100,
): Promise<AwsSecurityFinding[]> {
  const all: AwsSecurityFinding[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetFindingsCommand({ Filters: filters, MaxResults: maxResults, NextToken: nextToken }),
    );
    all.push(...(page.Findings ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return all;
}

/** The one stored finding with `id` (throws unless exactly one). */
export async function getFinding(client: SecurityHubClient, id: string): Promise<AwsSecurityFinding> {
  const page = await client.send(
    new GetFindingsCommand({ Filters: { Id: [{ Value: id, Comparison: 'EQUALS' }] } }),
  );
  const findings = page.Findings ?? [];
  if (findings.length !== 1) throw new Error(`expected one finding ${id}, found ${findings.length}`);
  return findings[0] as AwsSecurityFinding;
}
