/**
 * Install (§7.2/§7.3): exact target versions with apt-get or dnf under a root directory (through `chroot`
 * unless the root is `/`), pending-reboot detection, and the reboot request seam.
 */
import { spawn } from 'node:child_process';
import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/** What a command printed and how it ended. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one program (tests replace it). */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: { env?: NodeJS.ProcessEnv; signal?: AbortSignal },
) => Promise<CommandResult>;

/** A CommandRunner on child_process.spawn (no shell). */
export const spawnRunner: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal === null ? 1 : 128),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });

/** The program and arguments that run `command` inside `root` (`chroot` unless the root is `/`). */
export function commandInRoot(root: string, command: string, args: readonly string[]): [string, string[]] {
  return path.resolve(root) === '/' ? [command, [...args]] : ['chroot', [root, command, ...args]];
}

/** One package version to install. */
export interface InstallTarget {
  name: string;
  arch: string;
  /** apt: the Debian version; rpm: `epoch:version-release`. */
  version: string;
}

const aptEnvironment = (): NodeJS.ProcessEnv => ({
  ...process.env,
  DEBIAN_FRONTEND: 'noninteractive',
  APT_LISTCHANGES_FRONTEND: 'none',
  PATH: process.env['PATH'] ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
});

/** `apt-get update` under the root (the pipeline's metadata refresh, §7.1 step 3). */
export async function refreshAptMetadata(
  root: string,
  run: CommandRunner = spawnRunner,
  signal?: AbortSignal,
): Promise<CommandResult> {
  const [command, args] = commandInRoot(root, 'apt-get', ['update', '-q']);
  return run(command, args, { env: aptEnvironment(), ...(signal === undefined ? {} : { signal }) });
}

/**
 * `apt-get install -y --only-upgrade pkg=version …` under the root with DEBIAN_FRONTEND=noninteractive,
 * keeping changed configuration files; `native` packages and `all` ones are named without an arch.
 */
export async function installAptTargets(
  root: string,
  targets: readonly InstallTarget[],
  native: string,
  run: CommandRunner = spawnRunner,
  signal?: AbortSignal,
): Promise<CommandResult> {
  const specs = targets.map((target) =>
    target.arch === 'all' || target.arch === native
      ? `${target.name}=${target.version}`
      : `${target.name}:${target.arch}=${target.version}`,
  );
  const [command, args] = commandInRoot(root, 'apt-get', [
    'install',
    '-y',
    '-q',
    '--only-upgrade',
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
    ...specs,
  ]);
  return run(command, args, { env: aptEnvironment(), ...(signal === undefined ? {} : { signal }) });
}

/**
 * dnf acting on `root`: `--installroot` rather than chroot, so the root needs only its rpm database, repository
 * configuration and cache (dnf reads the root's dnf.conf and yum.repos.d, and keeps its cache there).
 */
export function dnfInRoot(root: string, args: readonly string[]): [string, string[]] {
  return path.resolve(root) === '/'
    ? ['dnf', [...args]]
    : ['dnf', [`--installroot=${path.resolve(root)}`, ...args]];
}

/** `dnf makecache --refresh` for the root: re-reads every enabled repository's metadata (§7.1 step 3). */
export async function refreshRpmMetadata(
  root: string,
  run: CommandRunner = spawnRunner,
  signal?: AbortSignal,
): Promise<CommandResult> {
  const [command, args] = dnfInRoot(root, ['-y', '-q', 'makecache', '--refresh']);
  return run(command, args, signal === undefined ? {} : { signal });
}

/** `dnf -y upgrade name-epoch:version-release.arch …` for the root. */
export async function installRpmTargets(
  root: string,
  targets: readonly InstallTarget[],
  run: CommandRunner = spawnRunner,
  signal?: AbortSignal,
): Promise<CommandResult> {
  const specs = targets.map((target) => `${target.name}-${target.version}.${target.arch}`);
  const [command, args] = dnfInRoot(root, ['-y', 'upgrade', ...specs]);
  return run(command, args, signal === undefined ? {} : { signal });
}

/** `<root>/<inside>` with symlinks resolved inside the root (a chroot's `/var/run → /run` must not reach the host). */
async function pathInRoot(root: string, inside: string): Promise<string> {
  let current = path.resolve(root);
  const parts = inside.split('/').filter((part) => part !== '');
  for (let index = 0; index < parts.length; index += 1) {
    const next = path.join(current, parts[index] ?? '');
    const info = await lstat(next).catch(() => undefined);
    if (info?.isSymbolicLink() === true && index < parts.length - 1) {
      const target = await readlink(next);
      current = target.startsWith('/')
        ? path.join(path.resolve(root), target)
        : path.resolve(current, target);
    } else current = next;
  }
  return current;
}

/** Whether the root asks for a reboot (`/var/run/reboot-required`, as update-notifier and needrestart write it). */
export async function rebootRequired(root: string): Promise<boolean> {
  for (const file of ['var/run/reboot-required', 'run/reboot-required']) {
    const info = await lstat(await pathInRoot(root, file)).catch(() => undefined);
    if (info !== undefined) return true;
  }
  return false;
}

/** The packages that asked for the reboot (`reboot-required.pkgs`), empty when none are named. */
export async function rebootRequiredPackages(root: string): Promise<string[]> {
  for (const file of ['var/run/reboot-required.pkgs', 'run/reboot-required.pkgs']) {
    const text = await readFile(await pathInRoot(root, file), 'utf8').catch(() => undefined);
    if (text !== undefined)
      return [
        ...new Set(
          text
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        ),
      ];
  }
  return [];
}

/** Reboots the node when an Install with RebootIfNeeded needs it (injected: tests and `--once` never reboot). */
export interface Rebooter {
  requestReboot(reason: string): Promise<void>;
}

/** A rebooter that only records the request (tests, dry runs). */
export function loggingRebooter(log: (message: string) => void): Rebooter & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    requestReboot: (reason) => {
      requests.push(reason);
      log(`reboot requested (not performed): ${reason}`);
      return Promise.resolve();
    },
  };
}

/** Schedules a real reboot in one minute with `shutdown -r +1`, so the report can still be delivered. */
export function systemRebooter(run: CommandRunner = spawnRunner): Rebooter {
  return {
    requestReboot: async (reason) => {
      const result = await run('shutdown', ['-r', '+1', `bulwark-agent: ${reason}`]);
      if (result.code !== 0) throw new Error(`shutdown -r failed: ${result.stderr.trim()}`);
    },
  };
}
