/**
 * E2E support: runs the real built `bulwark server` as a child process on a fresh data dir and hands out clients,
 * for what only a process shows (signals, TLS flags, ports, restarts); see in-process-server.ts for the rest.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import pg from 'pg';
import { createMigratedDatabase, testDatabaseName } from './test-databases.js';

/** The repository root (this file runs from dist/test/support/). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The `bulwark` launcher the harness runs (needs `npx tsc -p tsconfig.json` first). */
export const bulwarkBin = join(repoRoot, 'bin', 'bulwark.js');

/** An access key of one principal. */
export interface Credentials {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for keys made by `admin create-key`. */
  principalArn?: string;
}

/** How to start a server. */
export interface StartServerOptions {
  /** Reuse this data directory instead of a fresh temp dir (it is then not removed by the harness). */
  dataDir?: string;
  /** Extra environment for the server (BULWARK_* variables of the test process are never inherited). */
  env?: Record<string, string>;
  /** Extra `bulwark server` arguments. */
  args?: string[];
  /** pino level of the server; default `warn`. */
  logLevel?: string;
  /** How long to wait for the listening line; default 20 s. */
  startTimeoutMs?: number;
}

/** How a server process ended. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running Bulwark API, spawned or in-process: where it listens, its bootstrap key, clients and keys. */
export interface TestServer {
  /** `http://127.0.0.1:PORT` of the current server (`https://` when started with TLS flags). */
  readonly endpoint: string;
  /** `http://127.0.0.1:PORT/metrics` of the current server (its own listener, a free port by default). */
  readonly metricsEndpoint: string;
  /** The bootstrap account and its key (from the first start). */
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The bootstrap credentials as one value. */
  readonly credentials: Credentials;
  readonly dataDir: string;
  /** The database the server runs on: `DATA_DIR/bulwark.sqlite`, or a fresh PostgreSQL database (see below). */
  readonly databaseUrl: string;
  /** What the server wrote so far (for diagnostics; an in-process server's logs go to the test's own output). */
  output(): string;
  /** A SecurityHubClient on this server, single attempt (no retries), default region us-east-1 and the bootstrap key. */
  client(
    region?: string,
    credentials?: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>,
  ): SecurityHubClient;
  /** Issues a key as `bulwark admin create-key` does: a new account when `account` is omitted. */
  createKey(account?: string, name?: string): Promise<Credentials>;
  /** Stops the server and removes the temp data dir (and the PostgreSQL database the harness made). */
  dispose(): Promise<void>;
}

/** A `bulwark server` child process; `endpoint` and `process` change on restart, credentials and data dir do not. */
export interface RunningServer extends TestServer {
  /** The current child process. */
  readonly process: ChildProcess;
  /** Sends `signal` (default SIGTERM) and resolves with the exit status once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** SIGKILLs the process and waits for it to be gone. */
  kill9(): Promise<ExitStatus>;
  /** Stops the process if it is running (SIGTERM) and starts a new one on the same data dir. */
  restart(): Promise<void>;
}

interface Started {
  child: ChildProcess;
  endpoint: string;
  metricsEndpoint: string;
  bootstrap: Credentials | undefined;
  exited: Promise<ExitStatus>;
  output: () => string;
}

const liveChildren = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

/** Kills every child still running and removes temp dirs when the test process exits, even after a failure. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

function serverEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('BULWARK_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * A fresh PostgreSQL database for one server (exported for tests that start a server by hand) when `BULWARK_TEST_DATABASE_URL` names a PostgreSQL server (the
 * test runner sets it for the PostgreSQL pass), else the SQLite file in the data dir. The PostgreSQL database is
 * a copy of the run's migrated template, so the server starts without migrating.
 */
export async function databaseFor(dataDir: string): Promise<string> {
  const base = process.env['BULWARK_TEST_DATABASE_URL'];
  if (base === undefined || base === '') return join(dataDir, 'bulwark.sqlite');
  return createMigratedDatabase(base, testDatabaseName('e2e'));
}

/**
 * Drops a PostgreSQL database made by databaseFor (SQLite files go with the data dir). Under scripts/run-tests.js
 * (`BULWARK_TEST_RUNNER_DROPS_DATABASES=1`) the runner drops every database of the run when it ends instead: each
 * DROP DATABASE waits for a checkpoint, and many at once share one.
 */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const base = process.env['BULWARK_TEST_DATABASE_URL'];
  if (base === undefined || base === '' || !databaseUrl.startsWith('postgres')) return;
  if (process.env['BULWARK_TEST_RUNNER_DROPS_DATABASES'] === '1') return;
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

function spawnServer(
  dataDir: string,
  databaseUrl: string,
  expectBootstrap: boolean,
  options: StartServerOptions,
): Promise<Started> {
  const child = spawn(
    process.execPath,
    [
      bulwarkBin,
      'server',
      '--data-dir',
      dataDir,
      '--database',
      databaseUrl,
      '--port',
      '0',
      '--log-level',
      options.logLevel ?? 'warn',
      '--metrics-listen',
      '127.0.0.1:0',
      ...(options.args ?? []),
    ],
    { cwd: repoRoot, env: serverEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  liveChildren.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve({ code, signal });
    });
  });
  const output = (): string => stdout + (stderr === '' ? '' : `\n[stderr]\n${stderr}`);
  return new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`bulwark server did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${output()}`),
      );
    }, options.startTimeoutMs ?? 60_000);
    let settled = false;
    const tryParse = (): void => {
      if (settled) return;
      const endpoint = /Bulwark is listening on (https?:\/\/\S+)/.exec(stdout)?.[1];
      if (endpoint === undefined) return;
      const metricsEndpoint = /Metrics are served on (http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
      let bootstrap: Credentials | undefined;
      if (expectBootstrap) {
        const accountId = /^\s*account:\s+(\d{12})\s*$/m.exec(stdout)?.[1];
        const accessKeyId = /^\s*aws_access_key_id:\s+(\S+)\s*$/m.exec(stdout)?.[1];
        const secretAccessKey = /^\s*aws_secret_access_key:\s+(\S+)\s*$/m.exec(stdout)?.[1];
        if (accountId === undefined || accessKeyId === undefined || secretAccessKey === undefined) return;
        bootstrap = { accountId, accessKeyId, secretAccessKey };
      }
      settled = true;
      clearTimeout(timer);
      resolve({ child, endpoint, metricsEndpoint, bootstrap, exited, output });
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      tryParse();
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    void exited.then((status) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(
        new Error(
          `bulwark server exited before listening (code ${String(status.code)}, signal ${String(status.signal)}):\n${output()}`,
        ),
      );
    });
  });
}

/** Runs `bulwark admin create-key --json` against `dataDir`. */
export async function createKeyIn(
  dataDir: string,
  account?: string,
  name?: string,
  env?: Record<string, string>,
): Promise<Credentials> {
  const args = [bulwarkBin, 'admin', 'create-key', '--data-dir', dataDir, '--json'];
  const databaseUrl = env?.['BULWARK_DATABASE_URL'];
  if (databaseUrl !== undefined) args.push('--database', databaseUrl);
  if (account !== undefined) args.push('--account', account);
  else args.push('--new-account');
  if (name !== undefined) args.push('--name', name);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: serverEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bulwark admin create-key failed (${String(code)}): ${stderr}${stdout}`);
  const issued = JSON.parse(stdout) as Partial<Credentials>;
  if (
    typeof issued.accountId !== 'string' ||
    typeof issued.accessKeyId !== 'string' ||
    typeof issued.secretAccessKey !== 'string'
  ) {
    throw new Error(`bulwark admin create-key printed no key: ${stdout}`);
  }
  return {
    accountId: issued.accountId,
    accessKeyId: issued.accessKeyId,
    secretAccessKey: issued.secretAccessKey,
    ...(typeof issued.principalArn === 'string' ? { principalArn: issued.principalArn } : {}),
  };
}

/** Starts `bulwark server` on port 0 and a fresh temp data dir (or `options.dataDir`). */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  installExitHook();
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  if (ownsDir) tempDirs.add(dataDir);
  const databaseUrl = options.env?.['BULWARK_DATABASE_URL'] ?? (await databaseFor(dataDir));
  const keyEnv = { ...options.env, BULWARK_DATABASE_URL: databaseUrl };
  let current: Started;
  try {
    current = await spawnServer(dataDir, databaseUrl, !existsSync(join(dataDir, 'master.key')), options);
  } catch (error) {
    if (ownsDir) {
      rmSync(dataDir, { recursive: true, force: true });
      tempDirs.delete(dataDir);
    }
    throw error;
  }
  const bootstrap = current.bootstrap ?? { accountId: '', accessKeyId: '', secretAccessKey: '' };
  let running = true;
  const clients: SecurityHubClient[] = [];

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus> => {
    if (running) current.child.kill(signal);
    const status = await current.exited;
    running = false;
    return status;
  };

  const server: RunningServer = {
    get endpoint() {
      return current.endpoint;
    },
    get metricsEndpoint() {
      return current.metricsEndpoint;
    },
    accountId: bootstrap.accountId,
    accessKeyId: bootstrap.accessKeyId,
    secretAccessKey: bootstrap.secretAccessKey,
    credentials: bootstrap,
    dataDir,
    databaseUrl,
    get process() {
      return current.child;
    },
    output: () => current.output(),
    client(region = 'us-east-1', credentials = bootstrap) {
      const client = new SecurityHubClient({
        endpoint: current.endpoint,
        region,
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    createKey: (account, name) => createKeyIn(dataDir, account, name, keyEnv),
    stop,
    kill9: () => stop('SIGKILL'),
    async restart() {
      if (running) await stop('SIGTERM');
      current = await spawnServer(dataDir, databaseUrl, false, options);
      running = true;
    },
    async dispose() {
      for (const client of clients.splice(0)) client.destroy();
      if (running) {
        const timer = setTimeout(() => current.child.kill('SIGKILL'), 5_000);
        await stop('SIGTERM');
        clearTimeout(timer);
      }
      if (ownsDir) {
        rmSync(dataDir, { recursive: true, force: true });
        tempDirs.delete(dataDir);
      }
      if (options.env?.['BULWARK_DATABASE_URL'] === undefined) await dropDatabase(databaseUrl);
    },
  };
  return server;
}

/** Whether an executable is on PATH (for tests that skip when a tool such as `aws` is missing). */
export function commandExists(command: string, args: string[] = ['--version']): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  return result.error === undefined && result.status === 0;
}
