/**
 * E2E support: a Bulwark node composed inside the test process (API, background roles, metrics listener) and
 * served from node:http on 127.0.0.1:0, so protocol tests talk to the real wire without starting a process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { composeApp, openNode, type App } from '../../src/app/compose.js';
import { composeWorker, type BackgroundWork } from '../../src/app/compose-worker.js';
import { loadConfig, type Config } from '../../src/app/config.js';
import type { HttpRequest, HttpResponse } from '../../src/http/http-message.js';
import { listenOn } from '../../src/http/listen.js';
import { createMetricsServer } from '../../src/http/metrics-server.js';
import { databaseFor, dropDatabase, type Credentials, type TestServer } from './server-harness.js';

/** How to start an in-process server. */
export interface InProcessServerOptions {
  /** Settings as `BULWARK_*` environment variables (only those `loadConfig` reads; see {@link processOnly}). */
  env?: Record<string, string>;
  /** pino level of the node; default `BULWARK_TEST_LOG_LEVEL` or `silent` (its logs go to the test's output). */
  logLevel?: string;
}

/** An in-process server: a TestServer whose API can also be called without a socket. */
export interface InProcessServer extends TestServer {
  /** The composed node. */
  readonly app: App;
  /** Answers one request directly, as the listener would (no socket, no edge limits but the body size). */
  handle(request: HttpRequest): Promise<HttpResponse>;
}

/** Settings the node reads from the process environment itself: only a spawned server can be given them. */
const processOnly = ['BULWARK_MASTER_KEY', 'BULWARK_E2E_PROBES', 'BULWARK_LOG_SQL', 'BULWARK_AUDIT_'];

const liveDirs = new Set<string>();
let exitHookInstalled = false;

function removeDirsOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

function configFor(dataDir: string, databaseUrl: string, options: InProcessServerOptions): Config {
  const env = options.env ?? {};
  const refused = Object.keys(env).filter((key) => processOnly.some((name) => key.startsWith(name)));
  if (refused.length > 0) {
    throw new Error(`an in-process server cannot take ${refused.join(', ')}: use startServer (a process)`);
  }
  const logLevel = options.logLevel ?? process.env['BULWARK_TEST_LOG_LEVEL'] ?? 'silent';
  const input = { dataDir, database: databaseUrl, host: '127.0.0.1', port: '0', logLevel };
  return loadConfig({ ...input, metricsListen: '127.0.0.1:0' }, env, undefined);
}

/** Listens on a free loopback port; returns `http://127.0.0.1:PORT`. */
async function listenLocally(server: Parameters<typeof listenOn>[0], flag: string): Promise<string> {
  await listenOn(server, 0, '127.0.0.1', flag);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Composes a node on a fresh data dir (and database), listens on 127.0.0.1:0 and makes the bootstrap key. */
export async function startInProcessServer(options: InProcessServerOptions = {}): Promise<InProcessServer> {
  removeDirsOnExit();
  const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  liveDirs.add(dataDir);
  const databaseUrl = await databaseFor(dataDir);
  const config = configFor(dataDir, databaseUrl, options);
  const node = await openNode(config);
  const app = composeApp(node, config);
  const background: BackgroundWork = await composeWorker(node, config);
  const metricsServer = createMetricsServer(app.metrics, app.logger);
  const endpoint = await listenLocally(app.http.server, '--port');
  const metricsEndpoint = `${await listenLocally(metricsServer, '--metrics-listen')}/metrics`;
  const bootstrap = await app.access.bootstrap(new Date());
  if (bootstrap === undefined) throw new Error('a fresh data dir made no bootstrap key');
  await background.start();
  const credentials: Credentials = {
    accountId: bootstrap.accountId,
    accessKeyId: bootstrap.accessKeyId,
    secretAccessKey: bootstrap.secretAccessKey,
  };
  const keys = new KeyIssuer(dataDir, databaseUrl);
  const clients: SecurityHubClient[] = [];
  let disposed = false;
  return {
    endpoint,
    metricsEndpoint,
    ...credentials,
    credentials,
    dataDir,
    databaseUrl,
    app,
    output: () =>
      '(in-process server: its logs are in the test output; BULWARK_TEST_LOG_LEVEL sets their level)',
    handle: (request) => app.http.handler.handle(request),
    client(region = 'us-east-1', key = credentials) {
      const client = new SecurityHubClient({
        endpoint,
        region,
        credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    createKey: (account, name) => keys.issue(account, name),
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const client of clients.splice(0)) client.destroy();
      metricsServer.close();
      await keys.stop();
      await background.stop();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      liveDirs.delete(dataDir);
      await dropDatabase(databaseUrl);
    },
  };
}

/** Issues keys on a thread of its own (see key-issuer-thread.ts), one at a time as separate CLI runs would. */
class KeyIssuer {
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<
    number,
    { resolve(key: Credentials): void; reject(error: Error): void }
  >();

  constructor(
    private readonly dataDir: string,
    private readonly database: string,
  ) {}

  issue(account: string | undefined, name: string | undefined): Promise<Credentials> {
    const worker = this.start();
    const id = (this.next += 1);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, dataDir: this.dataDir, database: this.database, account, name });
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(new URL('./key-issuer-thread.js', import.meta.url));
    worker.on('message', (reply: { id: number; key?: Credentials; error?: string }) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.key !== undefined) waiter?.resolve(reply.key);
      else waiter?.reject(new Error(`create-key failed: ${reply.error ?? 'unknown error'}`));
    });
    worker.on('error', (error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
