/**
 * Benchmark plumbing: a lean SigV4-signed HTTP client (@smithy/signature-v4 with node:crypto hashing over a
 * keep-alive agent, so the client costs less CPU than the SDK on the shared 2 cores), the server process,
 * keys, and RSS readings.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** One account's credentials as `bulwark admin create-key --json` prints them. */
export interface BenchKey {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array));
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
  reset(): void {
    // one-shot use only
  }
}

/** Parses `--name value` flags into a map. */
export function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(arg.slice(2), 'true');
    else {
      flags.set(arg.slice(2), next);
      i += 1;
    }
  }
  return flags;
}

const binPath = new URL('../../bin/bulwark.js', import.meta.url).pathname;

/** Where the bench's servers keep their data: a data dir, and optionally a PostgreSQL URL plus a shared master key. */
export interface BenchTarget {
  dataDir: string;
  /** `postgres://…`; undefined means the data dir's embedded SQLite file. */
  database?: string | undefined;
  /** Base64 master key given to every node (BULWARK_MASTER_KEY), so keys issued by one node work on all. */
  masterKey?: string | undefined;
}

const targetArgs = (target: BenchTarget): string[] => [
  '--data-dir',
  target.dataDir,
  ...(target.database === undefined ? [] : ['--database', target.database]),
];

const targetEnv = (target: BenchTarget): NodeJS.ProcessEnv =>
  target.masterKey === undefined ? process.env : { ...process.env, BULWARK_MASTER_KEY: target.masterKey };

/** Issues a key for a new account on the target's database (`bulwark admin create-key`). */
export function createKey(target: BenchTarget): BenchKey {
  const result = spawnSync(
    process.execPath,
    [binPath, 'admin', 'create-key', ...targetArgs(target), '--new-account', '--json'],
    {
      encoding: 'utf8',
      env: targetEnv(target),
    },
  );
  if (result.status !== 0) throw new Error(`create-key failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as BenchKey;
}

/** A running `bulwark server` child. */
export interface BenchServer {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `bulwark server` on a free port and waits until it is up: the endpoint line for a node with the api
 * role, the "background roles … started" line for a worker/scheduler-only node (endpoint '' then).
 */
export function startServer(
  target: BenchTarget,
  options: { nodeArgs?: readonly string[]; roles?: string } = {},
): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      binPath,
      'server',
      ...targetArgs(target),
      '--port',
      '0',
      '--log-level',
      'warn',
      '--metrics-listen',
      '127.0.0.1:0',
      ...(options.roles === undefined ? [] : ['--role', options.roles]),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: targetEnv(target) },
  );
  const apiNode =
    options.roles === undefined || options.roles.split(',').some((r) => r === 'api' || r === 'all');
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = apiNode
        ? /listening on (http:\/\/\S+)/.exec(out)
        : /background roles \S+ started/.exec(out);
      if (match !== null) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({
          endpoint: apiNode ? (match[1] ?? '') : '',
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 1024;
}

/** Signs and sends Security Hub restJson1 calls. */
export class SignedClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly signer: SignatureV4;
  private readonly url: URL;

  constructor(
    endpoint: string,
    key: BenchKey,
    private readonly region = 'us-east-1',
  ) {
    this.url = new URL(endpoint);
    this.signer = new SignatureV4({
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      region,
      service: 'securityhub',
      sha256: NodeSha256,
    });
  }

  /**
   * Sends one call; resolves with the parsed JSON body, rejects on a non-2xx status. A reset of a reused
   * keep-alive socket (the server closed it as the request went out) is retried: the bench's calls are
   * idempotent (imports upsert, reads read).
   */
  async call(method: string, path: string, body: string): Promise<unknown> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.callOnce(method, path, body);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (attempt >= 3 || (code !== 'ECONNRESET' && code !== 'EPIPE')) throw error;
      }
    }
  }

  private async callOnce(method: string, path: string, body: string): Promise<unknown> {
    const host = this.url.host;
    const signed = await this.signer.sign({
      method,
      protocol: 'http:',
      hostname: this.url.hostname,
      port: Number(this.url.port),
      path,
      query: {},
      headers: { host, 'content-type': 'application/json' },
      body,
    });
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers: { ...signed.headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 300) reject(new Error(`${res.statusCode}: ${text}`));
            else resolve(text === '' ? {} : (JSON.parse(text) as unknown));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The p-th percentile (0–100) of samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}
