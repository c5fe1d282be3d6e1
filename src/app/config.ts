/** Configuration from flags, environment and an optional JSON file, in that order of precedence. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The package's built web console: `dist/web/` beside the compiled `dist/src/` this module runs from. */
const defaultConsoleAssetsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');

/** An AWS Region name such as us-east-1. */
const regionName = /^[a-z]{2}(-[a-z]+)+-\d$/;

const configSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  database: z.string().min(1),
  masterKeyFile: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  maxRequestBytes: z.number().int().positive(),
  /** Request body bytes all requests in flight may hold together. */
  maxInFlightRequestBytes: z.number().int().positive(),
  /** Open HTTP connections the API server accepts. */
  maxConnections: z.number().int().positive(),
  /** Time a client has to send a request's headers (ms). */
  headersTimeoutMs: z.number().int().min(100),
  /** Time a client has to send a whole request (ms). */
  requestTimeoutMs: z.number().int().min(100),
  shutdownTimeoutMs: z.number().int().positive(),
  /** Findings not updated for this many days are deleted; 0 keeps them forever. */
  retentionDays: z.number().int().min(0),
  /** What this node runs: api = HTTP server, worker = jobs and outbox events, scheduler = recurring jobs. */
  roles: z.array(z.enum(['api', 'worker', 'scheduler'])).min(1),
  /** Lease of a claimed job or subscriber (ms): how long a dead worker's work waits before another takes it. */
  workerLeaseMs: z.number().int().min(100),
  /** How often an idle worker or scheduler looks for work (ms). */
  workerPollMs: z.number().int().min(10),
  /** A managed instance is Online this long after its last heartbeat, then ConnectionLost (agent pings every 5 min). */
  pingTimeoutSeconds: z.number().int().min(1),
  /** How often every control of every account is evaluated again (ms); change-triggered runs come on top. */
  controlsSweepMs: z.number().int().min(1000),
  /** How often the maintenance window scheduler starts due windows and advances running ones (ms). */
  maintenanceTickMs: z.number().int().min(100),
  /** How often due State Manager associations start their runs (ms). */
  associationTickMs: z.number().int().min(100),
  /** The lowest patch compliance level whose missing patches become findings. */
  patchFindingsLevel: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED']),
  /** `self-signed`: HTTPS with a certificate made on first start and kept in the data dir. */
  tls: z.enum(['self-signed']).optional(),
  /** HTTPS with this certificate (chain) PEM file and `tlsKey`; both are read again on SIGHUP. */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  /** Allows plain HTTP on an address other than loopback (credentials then cross the network in clear). */
  insecureHttp: z.boolean(),
  /** `host:port` of the separate /metrics listener, or `off`. */
  metricsListen: z.string().regex(/^(off|\S+:\d{1,5})$/, 'expected host:port or off'),
  /** The Region a console session acts in unless a request names another. */
  consoleRegion: z.string().regex(regionName, 'must be a Region name such as us-east-1'),
  /** A console session without a request for this long ends (ms). */
  consoleIdleTimeoutMs: z.number().int().min(1000),
  /** A console session ends this long after sign-in, however busy (ms). */
  consoleAbsoluteTimeoutMs: z.number().int().min(1000),
  /** Failed sign-ins per user name within the failure window that lock the name. */
  consoleUserMaxFailures: z.number().int().min(1),
  /** Failed sign-ins per remote address within the failure window that lock the address. */
  consoleAddressMaxFailures: z.number().int().min(1),
  /** The window failed sign-ins are counted in, and how long a reached limit locks (ms). */
  consoleFailureWindowMs: z.number().int().min(1000),
  consoleLockMs: z.number().int().min(1000),
  /** Sign-in requests one address may make at once (a burst) and per minute after it, before any checking. */
  consoleSignInBurst: z.number().int().min(1),
  consoleSignInPerMinute: z.number().int().min(1),
  /** The built web console (index.html and assets/). */
  consoleAssetsDir: z.string().min(1),
});

/** A role a node can run. */
export type Role = Config['roles'][number];

/** The resolved configuration of one Bulwark process. */
export type Config = z.infer<typeof configSchema>;

/** Settings as given by one source (any may be absent). */
export type ConfigInput = Partial<{ [K in keyof Config]: Config[K] | string | string[] }>;

const environmentNames: Record<keyof Config, string> = {
  host: 'BULWARK_HOST',
  port: 'BULWARK_PORT',
  dataDir: 'BULWARK_DATA_DIR',
  database: 'BULWARK_DATABASE_URL',
  masterKeyFile: 'BULWARK_MASTER_KEY_FILE',
  logLevel: 'BULWARK_LOG_LEVEL',
  maxRequestBytes: 'BULWARK_MAX_REQUEST_BYTES',
  maxInFlightRequestBytes: 'BULWARK_MAX_INFLIGHT_REQUEST_BYTES',
  maxConnections: 'BULWARK_MAX_CONNECTIONS',
  headersTimeoutMs: 'BULWARK_HEADERS_TIMEOUT_MS',
  requestTimeoutMs: 'BULWARK_REQUEST_TIMEOUT_MS',
  shutdownTimeoutMs: 'BULWARK_SHUTDOWN_TIMEOUT_MS',
  retentionDays: 'BULWARK_RETENTION_DAYS',
  roles: 'BULWARK_ROLES',
  workerLeaseMs: 'BULWARK_WORKER_LEASE_MS',
  workerPollMs: 'BULWARK_WORKER_POLL_MS',
  pingTimeoutSeconds: 'BULWARK_PING_TIMEOUT_SECONDS',
  controlsSweepMs: 'BULWARK_CONTROLS_SWEEP_MS',
  maintenanceTickMs: 'BULWARK_MAINTENANCE_TICK_MS',
  associationTickMs: 'BULWARK_ASSOCIATION_TICK_MS',
  patchFindingsLevel: 'BULWARK_PATCH_FINDINGS_LEVEL',
  tls: 'BULWARK_TLS',
  tlsCert: 'BULWARK_TLS_CERT',
  tlsKey: 'BULWARK_TLS_KEY',
  insecureHttp: 'BULWARK_INSECURE_HTTP',
  metricsListen: 'BULWARK_METRICS_LISTEN',
  consoleRegion: 'BULWARK_CONSOLE_REGION',
  consoleIdleTimeoutMs: 'BULWARK_CONSOLE_IDLE_TIMEOUT_MS',
  consoleAbsoluteTimeoutMs: 'BULWARK_CONSOLE_ABSOLUTE_TIMEOUT_MS',
  consoleUserMaxFailures: 'BULWARK_CONSOLE_USER_MAX_FAILURES',
  consoleAddressMaxFailures: 'BULWARK_CONSOLE_ADDRESS_MAX_FAILURES',
  consoleFailureWindowMs: 'BULWARK_CONSOLE_FAILURE_WINDOW_MS',
  consoleLockMs: 'BULWARK_CONSOLE_LOCK_MS',
  consoleSignInBurst: 'BULWARK_CONSOLE_SIGN_IN_BURST',
  consoleSignInPerMinute: 'BULWARK_CONSOLE_SIGN_IN_PER_MINUTE',
  consoleAssetsDir: 'BULWARK_CONSOLE_ASSETS_DIR',
};

const numericKeys = new Set<keyof Config>([
  'port',
  'maxRequestBytes',
  'maxInFlightRequestBytes',
  'maxConnections',
  'headersTimeoutMs',
  'requestTimeoutMs',
  'shutdownTimeoutMs',
  'retentionDays',
  'workerLeaseMs',
  'workerPollMs',
  'pingTimeoutSeconds',
  'controlsSweepMs',
  'maintenanceTickMs',
  'associationTickMs',
  'consoleIdleTimeoutMs',
  'consoleAbsoluteTimeoutMs',
  'consoleUserMaxFailures',
  'consoleAddressMaxFailures',
  'consoleFailureWindowMs',
  'consoleLockMs',
  'consoleSignInBurst',
  'consoleSignInPerMinute',
]);

/** Roles given as `api,worker`, or repeated (`['api', 'worker']`, each possibly a comma list); `all` means every role. */
function parseRoles(value: unknown): unknown {
  const items: unknown[] =
    typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : [];
  if (items.length === 0) return value;
  const roles = items.flatMap((item): unknown[] =>
    typeof item === 'string'
      ? item
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : [item],
  );
  const expanded = roles.flatMap((role): unknown[] =>
    role === 'all' ? ['api', 'worker', 'scheduler'] : [role],
  );
  return [...new Set(expanded)];
}

function fromEnvironment(env: NodeJS.ProcessEnv): ConfigInput {
  const input: Record<string, string> = {};
  for (const [key, name] of Object.entries(environmentNames)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[key] = value;
  }
  return input;
}

function fromFile(file: string | undefined): ConfigInput {
  if (file === undefined) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ConfigInput;
  } catch (error) {
    throw new Error(
      `cannot read the config file ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Resolves the configuration: flags over `BULWARK_*` environment over the config file over defaults. */
export function loadConfig(
  flags: ConfigInput,
  env: NodeJS.ProcessEnv,
  configFile: string | undefined,
): Config {
  const merged: Record<string, unknown> = {
    ...fromFile(configFile ?? env['BULWARK_CONFIG']),
    ...fromEnvironment(env),
  };
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  const dataDir = typeof merged['dataDir'] === 'string' ? merged['dataDir'] : 'data';
  const resolved: Record<string, unknown> = {
    host: '127.0.0.1',
    port: 8440,
    dataDir,
    database: join(dataDir, 'bulwark.sqlite'),
    masterKeyFile: join(dataDir, 'master.key'),
    logLevel: 'info',
    maxRequestBytes: 6 * 1024 * 1024,
    maxInFlightRequestBytes: 64 * 1024 * 1024,
    maxConnections: 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    shutdownTimeoutMs: 10_000,
    retentionDays: 90,
    roles: ['api', 'worker', 'scheduler'],
    workerLeaseMs: 30_000,
    workerPollMs: 500,
    pingTimeoutSeconds: 660,
    controlsSweepMs: 600_000,
    maintenanceTickMs: 15_000,
    associationTickMs: 10_000,
    patchFindingsLevel: 'UNSPECIFIED',
    insecureHttp: false,
    metricsListen: '127.0.0.1:9440',
    consoleRegion: 'us-east-1',
    consoleIdleTimeoutMs: 30 * 60_000,
    consoleAbsoluteTimeoutMs: 12 * 3_600_000,
    consoleUserMaxFailures: 5,
    consoleAddressMaxFailures: 20,
    consoleFailureWindowMs: 15 * 60_000,
    consoleLockMs: 15 * 60_000,
    consoleSignInBurst: 10,
    consoleSignInPerMinute: 30,
    consoleAssetsDir: defaultConsoleAssetsDir,
    ...merged,
  };
  const insecureHttp = resolved['insecureHttp'];
  if (typeof insecureHttp === 'string' && /^(1|true|0|false)$/.test(insecureHttp)) {
    resolved['insecureHttp'] = insecureHttp === '1' || insecureHttp === 'true';
  }
  resolved['roles'] = parseRoles(resolved['roles']);
  for (const key of numericKeys) {
    const value = resolved[key];
    if (typeof value === 'string' && /^\d+$/.test(value)) resolved[key] = Number(value);
  }
  const result = configSchema.safeParse(resolved);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid configuration: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
  }
  const config = result.data;
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new Error('invalid configuration: --tls-cert and --tls-key go together');
  }
  if (config.tls !== undefined && config.tlsCert !== undefined) {
    throw new Error('invalid configuration: --tls self-signed and --tls-cert/--tls-key exclude each other');
  }
  return config;
}

/** Splits `host:port` (`[::1]:9440` for IPv6). */
export function parseListenAddress(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(':');
  const host = text.slice(0, at);
  const port = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port > 65535) throw new Error(`invalid listen address ${text}`);
  return { host: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host, port };
}
