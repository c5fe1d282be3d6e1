/** Shared plumbing of `bulwark admin …`: the database flags, opening the access administration, printing. */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import {
  AccessService,
  AccessStore,
  SecretBox,
  loadMasterKey,
  type AccessAdministration,
  type AdministrationRecorder,
} from '../access/index.js';
import {
  AuditAnchor,
  AuditStore,
  auditAnchorFiles,
  compactParameters,
  resourceOfArn,
  type AnchoredHead,
} from '../audit/index.js';
import { loadConfig, type ConfigInput } from '../app/config.js';
import { openDatabase } from '../storage/open-database.js';
import type { Db } from '../storage/database.js';

/** The flags every admin subcommand takes. */
export interface AdminFlags {
  dataDir?: string;
  database?: string;
  config?: string;
  json?: boolean;
}

/** Adds --data-dir, --database, --config and --json. */
export function addAdminOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR)')
    .option('--database <url>', 'database (BULWARK_DATABASE_URL)')
    .option('--config <file>', 'JSON config file (BULWARK_CONFIG)')
    .option('--json', 'print JSON');
}

/** Collects a repeatable option (`--policy A --policy B`, or `--policy A,B`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter((part) => part !== '')];
}

/** What an audited `bulwark admin` command works with: the database, the master key's box and the recorder. */
export interface AuditedAdmin {
  db: Db;
  secrets: SecretBox;
  /** Records a change in the audit trail, in the change's transaction. */
  record: AdministrationRecorder;
}

/**
 * Runs `body` on the configured database with an audit recorder, anchors the last record once the change has
 * committed (like an API call's), then closes the database.
 */
export async function withAuditedAdmin<T>(
  flags: AdminFlags,
  body: (admin: AuditedAdmin) => Promise<T>,
): Promise<T> {
  const input: ConfigInput = {};
  if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
  if (flags.database !== undefined) input.database = flags.database;
  const config = loadConfig(input, process.env, flags.config);
  const { db } = await openDatabase(config.database);
  try {
    const audit = new AuditStore(new AuditAnchor(auditAnchorFiles(config.dataDir)));
    const recorder = auditAdministration(audit);
    const secrets = new SecretBox(loadMasterKey(config.masterKeyFile, process.env['BULWARK_MASTER_KEY']));
    const result = await body({ db, secrets, record: recorder.record });
    try {
      if (recorder.last !== undefined) audit.committed(recorder.last);
    } catch (error) {
      process.stderr.write(
        `warning: the change is made, but its audit record was not anchored: ${String(error)}\n`,
      );
    }
    return result;
  } finally {
    await db.destroy();
  }
}

/** Runs `body` with the access administration of the configured database, then closes it. */
export function withAdministration<T>(
  flags: AdminFlags,
  body: (administration: AccessAdministration) => Promise<T>,
): Promise<T> {
  return withAuditedAdmin(flags, ({ db, secrets, record }) =>
    body(new AccessService(db, new AccessStore(), secrets, record).administration),
  );
}

/**
 * Records each `bulwark admin` change in the audit trail, in the change's transaction: IAM's event names, the
 * account changed, and the operating-system user on this host as the (unauthenticated, local) caller.
 */
function auditAdministration(audit: AuditStore): {
  record: AdministrationRecorder;
  /** The position of the last record written (anchored once its change has committed). */
  last: AnchoredHead | undefined;
} {
  const osUser = safeUserName();
  const recorder: { record: AdministrationRecorder; last: AnchoredHead | undefined } = {
    last: undefined,
    record: async (tx, change) => {
      recorder.last = await audit.append(tx, {
        eventId: randomUUID(),
        requestId: randomUUID(),
        eventTime: new Date(),
        eventSource: 'iam.amazonaws.com',
        eventName: change.eventName,
        region: undefined,
        sourceIp: hostname(),
        userAgent: 'bulwark-admin',
        identity: {
          type: 'Unknown',
          principalId: `bulwark-admin:${osUser}`,
          arn: undefined,
          accountId: change.accountId,
          accessKeyId: undefined,
          userName: `bulwark-admin:${osUser}`,
        },
        readOnly: false,
        errorCode: undefined,
        errorMessage: undefined,
        requestParameters: compactParameters(change.parameters),
        responseElements: change.response,
        resource: change.resourceArn === undefined ? undefined : resourceOfArn(change.resourceArn),
      });
    },
  };
  return recorder;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}

/** Prints `value` as one JSON line, or `text` lines. */
export function print(flags: AdminFlags, value: unknown, text: () => string[]): void {
  process.stdout.write(flags.json === true ? JSON.stringify(value) + '\n' : text().join('\n') + '\n');
}

/** A policy document argument: `file://path` or the JSON itself. */
export function readDocumentArgument(argument: string): string {
  if (argument.startsWith('file://')) return readFileSync(argument.slice('file://'.length), 'utf8');
  return argument;
}

/** `2024-05-01T10:00:00Z`, or `-` for never. */
export function formatTime(date: Date | undefined): string {
  return date === undefined ? '-' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Left-aligned columns. */
export function formatColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
