/** Configuration from flags, environment and an optional JSON file, in that order of precedence. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const configSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  database: z.string().min(1),
  masterKeyFile: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  maxRequestBytes: z.number().int().positive(),
  shutdownTimeoutMs: z.number().int().positive(),
});

/** The resolved configuration of one Bulwark process. */
export type Config = z.infer<typeof configSchema>;

/** Settings as given by one source (any may be absent). */
export type ConfigInput = Partial<{ [K in keyof Config]: Config[K] | string }>;

const environmentNames: Record<keyof Config, string> = {
  host: 'BULWARK_HOST',
  port: 'BULWARK_PORT',
  dataDir: 'BULWARK_DATA_DIR',
  database: 'BULWARK_DATABASE_URL',
  masterKeyFile: 'BULWARK_MASTER_KEY_FILE',
  logLevel: 'BULWARK_LOG_LEVEL',
  maxRequestBytes: 'BULWARK_MAX_REQUEST_BYTES',
  shutdownTimeoutMs: 'BULWARK_SHUTDOWN_TIMEOUT_MS',
};

const numericKeys = new Set<keyof Config>(['port', 'maxRequestBytes', 'shutdownTimeoutMs']);

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
    shutdownTimeoutMs: 10_000,
    ...merged,
  };
  for (const key of numericKeys) {
    const value = resolved[key];
    if (typeof value === 'string' && /^\d+$/.test(value)) resolved[key] = Number(value);
  }
  const result = configSchema.safeParse(resolved);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid configuration: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
  }
  return result.data;
}
