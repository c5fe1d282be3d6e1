/** The Security Hub client of the client-side commands: endpoint and Region flags over the standard AWS chain. */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Command } from 'commander';

/** The connection flags every client-side command takes. */
export interface ConnectionFlags {
  endpointUrl?: string;
  region?: string;
  profile?: string;
}

/** Where a client-side command connects. */
export interface Connection {
  endpoint: string;
  region: string;
}

/** The default endpoint: a local Bulwark. */
export const defaultEndpoint = 'http://127.0.0.1:8440';

/** Adds `--endpoint-url`, `--region` and `--profile` to a command. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option(
      '--endpoint-url <url>',
      `Bulwark (or Security Hub) endpoint (BULWARK_ENDPOINT, default ${defaultEndpoint})`,
    )
    .option('--region <region>', 'AWS Region to sign for (AWS_REGION, AWS_DEFAULT_REGION, default us-east-1)')
    .option('--profile <name>', 'AWS shared-config profile for credentials (AWS_PROFILE)');
}

/** Resolves the flags over the environment. */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const endpoint = flags.endpointUrl ?? nonEmpty(env['BULWARK_ENDPOINT']) ?? defaultEndpoint;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`--endpoint-url: not a URL: ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--endpoint-url: must be http:// or https://, got ${endpoint}`);
  const region =
    flags.region ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? 'us-east-1';
  return { endpoint: endpoint.replace(/\/+$/, ''), region };
}

/** A client on the resolved connection; credentials come from the standard AWS provider chain. */
export function createSecurityHubClient(flags: ConnectionFlags): {
  client: SecurityHubClient;
  connection: Connection;
} {
  const connection = resolveConnection(flags);
  // The default chain reads AWS_PROFILE when it first resolves credentials.
  if (flags.profile !== undefined) process.env['AWS_PROFILE'] = flags.profile;
  // The SDK's notice that it will one day need Node 22 is noise on a command's stderr (engines: node >=20).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const client = new SecurityHubClient({ endpoint: connection.endpoint, region: connection.region });
  return { client, connection };
}

/** `ExceptionName: message` for AWS errors, the plain message for anything else (network, credentials). */
export function describeRequestError(error: unknown, connection?: Connection): string {
  if (!(error instanceof Error)) return String(error);
  // Service exceptions carry $fault; the retry middleware also stamps $metadata on network errors.
  const fromService = '$fault' in error;
  if (fromService || (error.name !== 'Error' && error.name !== 'TypeError')) {
    return `${error.name}: ${error.message}`;
  }
  const code = (error as { code?: unknown }).code;
  const where = connection === undefined ? '' : ` (${connection.endpoint})`;
  return typeof code === 'string'
    ? `cannot reach the endpoint${where}: ${error.message}`
    : `request failed${where}: ${error.message}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
