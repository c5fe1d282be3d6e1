/** E2E support: the environment the `aws` CLI runs in, isolated from the developer's own AWS configuration. */
import type { Credentials } from './server-harness.js';

/** The process environment without AWS_/BULWARK_ variables, plus `credentials`, `region` and no config files. */
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
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
}
