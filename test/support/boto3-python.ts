/** E2E support: the Python interpreter that has boto3, for the tests that drive the server with boto3. */
import { spawnSync } from 'node:child_process';

/**
 * `BULWARK_TEST_PYTHON` when set, else the first of `python3` on PATH and Debian's `/usr/bin/python3` that imports
 * boto3 (a pyenv `python3` first on PATH may lack it while Debian's python3-boto3 is installed); undefined when none.
 */
export function findBoto3Python(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env['BULWARK_TEST_PYTHON'];
  const candidates =
    configured !== undefined && configured !== '' ? [configured] : ['python3', '/usr/bin/python3'];
  return candidates.find(
    (python) => spawnSync(python, ['-c', 'import boto3'], { stdio: 'ignore', timeout: 20_000 }).status === 0,
  );
}
