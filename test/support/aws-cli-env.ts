/** E2E support: the environment the `aws` CLI runs in, isolated from the developer's own AWS configuration. */
import { renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from './server-harness.js';

/**
 * The CLI's only config: timestamps printed as the wire sent them (epoch seconds), v1's default; v2 (Debian's
 * awscli, which CI installs) would print ISO-8601 strings. Written once per process, renamed into place atomically.
 */
function cliConfigFile(): string {
  const file = join(tmpdir(), 'bulwark-test-aws-cli.config');
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, '[default]\ncli_timestamp_format = wire\n');
  renameSync(partial, file);
  return file;
}
let configFile: string | undefined;

/** The process environment without AWS_/BULWARK_ variables, plus `credentials`, `region` and only our CLI config. */
export function awsCliEnv(
  credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>,
  region = 'us-east-1',
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('BULWARK_')) env[key] = value;
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: (configFile ??= cliConfigFile()),
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
}
