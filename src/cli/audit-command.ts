/** `bulwark audit …`: seal, verify, search and export the audit trail straight on the database. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import {
  AuditAnchor,
  AuditStore,
  auditAnchorFiles,
  auditSigningKeyFile,
  loadAuditSigningKey,
  readAuditAnchor,
  sealAuditTrail,
  toCloudTrailEvent,
  toExportLine,
  trustedAuditPublicKey,
  verifyAuditTrail,
  type AnchorContents,
  type LookupAttributeKey,
} from '../audit/index.js';
import { loadConfig, type Config, type ConfigInput } from '../app/config.js';
import type { Db } from '../storage/database.js';
import { openDatabase } from '../storage/open-database.js';

interface LocationFlags {
  dataDir?: string;
  database?: string;
  config?: string;
  json?: boolean;
}

function withLocation(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR)')
    .option('--database <url>', 'database (BULWARK_DATABASE_URL)')
    .option('--config <file>', 'JSON config file (BULWARK_CONFIG)');
}

function configOf(flags: LocationFlags): Config {
  const input: ConfigInput = {};
  if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
  if (flags.database !== undefined) input.database = flags.database;
  return loadConfig(input, process.env, flags.config);
}

async function withDatabase<T>(config: Config, body: (db: Db) => Promise<T>): Promise<T> {
  const { db } = await openDatabase(config.database);
  try {
    return await body(db);
  } finally {
    await db.destroy();
  }
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(text)) resolve();
    else out.once('drain', resolve).once('error', reject);
  });
}

function parseTime(flag: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`${flag} must be an ISO-8601 time or epoch seconds`);
  return date;
}

interface SearchFlags extends LocationFlags {
  eventName?: string;
  username?: string;
  accessKeyId?: string;
  resourceName?: string;
  resourceType?: string;
  readOnly?: string;
  eventSource?: string;
  eventId?: string;
  account?: string;
  startTime?: string;
  endTime?: string;
  max: string;
}

interface ExportFlags extends LocationFlags {
  format: string;
  output?: string;
  digests?: boolean;
}

/** Registers the `audit` command group. */
export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('the tamper-evident audit trail (CloudTrail-shaped events)');

  withLocation(audit.command('seal'))
    .description('sign a digest over the records appended since the last one')
    .option('--json', 'print JSON')
    .action(async (flags: LocationFlags) => {
      const config = configOf(flags);
      const key = loadAuditSigningKey(auditSigningKeyFile(config.dataDir), { create: true });
      const anchor = new AuditAnchor(auditAnchorFiles(config.dataDir));
      const sealed = await withDatabase(config, (db) => sealAuditTrail(db, key, new Date(), anchor));
      if (flags.json === true) {
        process.stdout.write(JSON.stringify(sealed === undefined ? null : sealed) + '\n');
      } else if (sealed === undefined) {
        process.stdout.write('nothing to seal: no records since the last digest\n');
      } else {
        const body = sealed.body;
        process.stdout.write(
          `sealed records seq ${body.startSequence}..${body.endSequence} (${body.recordCount}) in digest ${body.digestSequence}, key ${body.publicKeyFingerprint}\n`,
        );
      }
    });

  withLocation(audit.command('verify'))
    .description(
      'recompute the hash chain, check every digest with a key from outside the database and compare with the anchors; exit 1 naming each broken record or digest',
    )
    .option(
      '--public-key <file>',
      'trusted PEM public key (default: derived from the local signing key file; required without it)',
    )
    .option(
      '--anchor <file>',
      'digest anchor file to compare with (repeatable; default: audit-anchor.jsonl in the data dir and BULWARK_AUDIT_ANCHOR_FILES)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--json', 'print JSON')
    .action(async (flags: LocationFlags & { publicKey?: string; anchor?: string[] }) => {
      const config = configOf(flags);
      const trusted = trustedAuditPublicKey(flags.publicKey, auditSigningKeyFile(config.dataDir));
      const anchors: AnchorContents[] = [];
      for (const file of flags.anchor ?? auditAnchorFiles(config.dataDir)) {
        const contents = readAuditAnchor(file);
        if (contents !== undefined) anchors.push(contents);
        else if (flags.anchor !== undefined) throw new Error(`the anchor file ${file} does not exist`);
      }
      const report = await withDatabase(config, (db) => verifyAuditTrail(db, trusted, { anchors }));
      if (flags.json === true) {
        process.stdout.write(JSON.stringify(report) + '\n');
      } else {
        const summary = `${report.records} records, ${report.digests} digests, sealed through seq ${report.sealedThrough}`;
        const lines = report.ok
          ? [`audit trail intact: ${summary}`]
          : [
              `audit trail verification FAILED (${report.problems.length} problem(s)): ${summary}`,
              ...report.problems.map((p) => `  - ${p}`),
            ];
        for (const note of report.notes) lines.push(`  note: ${note}`);
        process.stdout.write(lines.join('\n') + '\n');
      }
      if (!report.ok) process.exitCode = 1;
    });

  withLocation(audit.command('search'))
    .description('look up events with CloudTrail lookup attributes, newest first')
    .option('--event-name <name>')
    .option('--username <name>')
    .option('--access-key-id <id>')
    .option('--resource-name <name>')
    .option('--resource-type <type>')
    .option('--read-only <true|false>')
    .option('--event-source <source>')
    .option('--event-id <id>')
    .option('--account <id>', 'only this account')
    .option('--start-time <time>', 'ISO-8601 or epoch seconds, inclusive')
    .option('--end-time <time>', 'ISO-8601 or epoch seconds, inclusive')
    .option('--max <n>', 'at most this many events', '50')
    .option('--json', 'print CloudTrail events as JSON lines')
    .action(async (flags: SearchFlags) => {
      const config = configOf(flags);
      const max = Number(flags.max);
      if (!Number.isInteger(max) || max < 1) throw new Error('--max must be a positive integer');
      if (flags.readOnly !== undefined && flags.readOnly !== 'true' && flags.readOnly !== 'false') {
        throw new Error('--read-only must be true or false');
      }
      const attributes: Partial<Record<LookupAttributeKey, string>> = {};
      const given: [LookupAttributeKey, string | undefined][] = [
        ['EventName', flags.eventName],
        ['Username', flags.username],
        ['AccessKeyId', flags.accessKeyId],
        ['ResourceName', flags.resourceName],
        ['ResourceType', flags.resourceType],
        ['ReadOnly', flags.readOnly],
        ['EventSource', flags.eventSource],
        ['EventId', flags.eventId],
      ];
      for (const [key, value] of given) if (value !== undefined) attributes[key] = value;
      const rows = await withDatabase(config, (db) =>
        new AuditStore().query(db, {
          accountId: flags.account,
          attributes,
          startTime: parseTime('--start-time', flags.startTime),
          endTime: parseTime('--end-time', flags.endTime),
          after: undefined,
          limit: max,
        }),
      );
      for (const row of rows) {
        if (flags.json === true) {
          await write(process.stdout, JSON.stringify(toCloudTrailEvent(row)) + '\n');
        } else {
          const event = toCloudTrailEvent(row);
          await write(
            process.stdout,
            [
              event['eventTime'],
              row.account_id ?? '-',
              row.action,
              row.user_name ?? row.access_key_id ?? '-',
              row.error_code ?? 'OK',
              row.event_id,
            ].join('\t') + '\n',
          );
        }
      }
    });

  withLocation(audit.command('export'))
    .description('write every record, in chain order, as CloudTrail events with their chain fields')
    .option('--format <format>', 'jsonl', 'jsonl')
    .option('--output <file>', 'write to this file instead of stdout')
    .option(
      '--digests',
      'also write each digest (with its signature and public key) after the record it seals',
    )
    .action(async (flags: ExportFlags) => {
      if (flags.format !== 'jsonl') throw new Error('--format must be jsonl');
      const config = configOf(flags);
      const out: Writable = flags.output === undefined ? process.stdout : createWriteStream(flags.output);
      await withDatabase(config, async (db) => {
        const store = new AuditStore();
        const digests = flags.digests === true ? await store.listDigests(db) : [];
        let cursor = Number.MIN_SAFE_INTEGER;
        for (;;) {
          const rows = await store.readChain(db, cursor, 2000);
          for (const row of rows) {
            await write(out, toExportLine(row) + '\n');
            while (digests[0] !== undefined && Number(digests[0].end_seq) <= Number(row.seq)) {
              const digest = digests.shift();
              if (digest === undefined) break;
              await write(
                out,
                JSON.stringify({
                  bulwarkDigest: JSON.parse(digest.body) as unknown,
                  signature: digest.signature,
                  publicKey: digest.public_key,
                }) + '\n',
              );
            }
          }
          const last = rows[rows.length - 1];
          if (last === undefined || rows.length < 2000) break;
          cursor = Number(last.seq);
        }
      });
      if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
    });

  withLocation(audit.command('public-key'))
    .description('print the PEM public key that verifies audit digests (creating the signing key if needed)')
    .option('--json', 'print JSON with the fingerprint')
    .action((flags: LocationFlags) => {
      const config = configOf(flags);
      const key = loadAuditSigningKey(auditSigningKeyFile(config.dataDir), { create: true });
      process.stdout.write(
        flags.json === true
          ? JSON.stringify({ fingerprint: key.publicKey.fingerprint, publicKey: key.publicKey.pem }) + '\n'
          : key.publicKey.pem,
      );
    });
}
