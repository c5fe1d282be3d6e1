/** Loads the master key that seals access-key secrets, creating it (mode 0600) on first start. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Reads a base64 key from `BULWARK_MASTER_KEY`-style text, or from `file`, creating the file when absent. */
export function loadMasterKey(file: string, fromEnvironment: string | undefined): Buffer {
  if (fromEnvironment !== undefined && fromEnvironment !== '') return Buffer.from(fromEnvironment, 'base64');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}
