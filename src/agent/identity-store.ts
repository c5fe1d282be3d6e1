/** The agent's identity file: written atomically with mode 0600, refused when others could read it. */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AgentIdentity } from './hub-client.js';

/** Where the agent keeps its state unless `--state-dir` says otherwise. */
export const DEFAULT_STATE_DIR = '/var/lib/bulwark-agent';
const IDENTITY_FILE = 'identity.json';

/** The identity file inside `stateDir`. */
export function identityPath(stateDir: string): string {
  return path.join(stateDir, IDENTITY_FILE);
}

/**
 * Writes `contents` to `file` through a temporary file in the same directory (fsync, then rename), so a
 * crash leaves either the old or the new file, never half of one.
 */
export async function writeFileAtomic(file: string, contents: string, mode: number): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(contents);
    await handle.chmod(mode); // the umask may have narrowed or the platform ignored the open mode
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  const directory = await open(path.dirname(file), 'r');
  try {
    await directory.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await directory.close();
  }
}

/** Saves the identity as `<stateDir>/identity.json` with mode 0600; the directory is created with 0700. */
export async function saveIdentity(stateDir: string, identity: AgentIdentity): Promise<string> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = identityPath(stateDir);
  await writeFileAtomic(file, `${JSON.stringify(identity, null, 2)}\n`, 0o600);
  return file;
}

function requireString(object: Record<string, unknown>, key: string, file: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new Error(`${file}: '${key}' is missing`);
  return value;
}

/**
 * Loads the identity; throws when the file is missing, malformed, or readable or writable by group or
 * others (the secret key would be exposed, so the agent refuses rather than silently continuing).
 */
export async function loadIdentity(stateDir: string): Promise<AgentIdentity> {
  const file = identityPath(stateDir);
  const info = await stat(file).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new Error(`${file} does not exist: run 'bulwark agent register' first`);
    }
    throw error;
  });
  if ((info.mode & 0o077) !== 0) {
    throw new Error(
      `${file} has mode ${(info.mode & 0o777).toString(8)}: it holds a secret key and must not be accessible ` +
        `to group or others (chmod 600 ${file})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file} is not a JSON object`);
  const object = parsed as Record<string, unknown>;
  const accountId = object['accountId'];
  const hubFingerprint = object['hubFingerprint'];
  const caFile = object['caFile'];
  return {
    hub: requireString(object, 'hub', file),
    region: requireString(object, 'region', file),
    instanceId: requireString(object, 'instanceId', file),
    accessKeyId: requireString(object, 'accessKeyId', file),
    secretAccessKey: requireString(object, 'secretAccessKey', file),
    ...(typeof accountId === 'string' ? { accountId } : {}),
    ...(typeof hubFingerprint === 'string' ? { hubFingerprint } : {}),
    ...(typeof caFile === 'string' ? { caFile } : {}),
    ...(object['insecureHttp'] === true ? { insecureHttp: true } : {}),
  };
}

/** Tightens the mode of an existing identity file (for an operator who copied it in by hand). */
export async function protectIdentity(stateDir: string): Promise<void> {
  await chmod(identityPath(stateDir), 0o600);
}
