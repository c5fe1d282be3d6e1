/** `bulwark events dead-letters list|redrive|discard`: the outbox events subscribers gave up on, on the database. */
import type { Command } from 'commander';
import { loadConfig, type ConfigInput } from '../app/config.js';
import type { Db } from '../storage/database.js';
import { openDatabase } from '../storage/open-database.js';
import {
  discardDeadLetters,
  listDeadLetters,
  parseDeadLetterId,
  requestRedrive,
  type DeadLetter,
  type DeadLetterActionResult,
} from '../worker/index.js';
import { addAdminOptions, formatColumns, formatTime, print, type AdminFlags } from './admin-context.js';

interface ListFlags extends AdminFlags {
  subscriber?: string;
}

interface RedriveFlags extends AdminFlags {
  all?: boolean;
}

async function withDatabase<T>(flags: AdminFlags, body: (db: Db) => Promise<T>): Promise<T> {
  const input: ConfigInput = {};
  if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
  if (flags.database !== undefined) input.database = flags.database;
  const { db } = await openDatabase(loadConfig(input, process.env, flags.config).database);
  try {
    return await body(db);
  } finally {
    await db.destroy();
  }
}

/** A dead letter as `list --json` prints it. */
function toJson(letter: DeadLetter): Record<string, unknown> {
  return {
    id: letter.id,
    subscriber: letter.subscriber,
    seq: letter.seq,
    eventType: letter.eventType ?? null,
    accountId: letter.accountId ?? null,
    eventCreatedAt: letter.eventCreatedAt?.toISOString() ?? null,
    error: letter.error,
    failedAt: letter.failedAt.toISOString(),
    attempts: letter.attempts,
    state: letter.redriveRequestedAt === undefined ? 'DEAD' : 'REDRIVE_REQUESTED',
    redriveRequestedAt: letter.redriveRequestedAt?.toISOString() ?? null,
    event: letter.event ?? null,
  };
}

/** Prints what a redrive or discard did; exits 1 when an id named nothing or could not be acted on. */
function report(flags: AdminFlags, verb: string, result: DeadLetterActionResult): void {
  print(flags, result, () => [
    `${verb} ${result.done.length} dead letter(s)${result.done.length > 0 ? `: ${result.done.join(' ')}` : ''}`,
    ...result.missing.map((id) => `no dead letter ${id}`),
    ...result.withoutPayload.map(
      (id) => `${id}: its event was pruned before dead letters kept payloads; it can only be discarded`,
    ),
  ]);
  if (result.missing.length > 0 || result.withoutPayload.length > 0) process.exitCode = 1;
}

/** Registers the `events` command group. */
export function registerEventsCommands(program: Command): void {
  const events = program.command('events').description('the event outbox and its subscribers');
  const deadLetters = events
    .command('dead-letters')
    .description(
      'events a subscriber gave up on after repeated failures, kept with their payload until redriven or discarded',
    );

  addAdminOptions(deadLetters.command('list'))
    .description('list dead letters, oldest event first')
    .option('--subscriber <name>', 'only this subscriber')
    .action(async (flags: ListFlags) => {
      const letters = await withDatabase(flags, (db) =>
        listDeadLetters(db, flags.subscriber === undefined ? {} : { subscriber: flags.subscriber }),
      );
      print(flags, letters.map(toJson), () =>
        letters.length === 0
          ? ['no dead letters']
          : formatColumns([
              ['ID', 'EVENT', 'ACCOUNT', 'FAILED', 'ATTEMPTS', 'STATE', 'ERROR'],
              ...letters.map((letter) => [
                letter.id,
                letter.eventType ?? '(payload lost)',
                letter.accountId ?? '-',
                formatTime(letter.failedAt),
                String(letter.attempts),
                letter.redriveRequestedAt === undefined ? 'dead' : 'redrive requested',
                letter.error.replace(/\s+/g, ' ').slice(0, 120),
              ]),
            ]),
      );
    });

  addAdminOptions(deadLetters.command('redrive'))
    .description(
      'ask the worker nodes to handle dead letters again (once each; one that fails again is dead again)',
    )
    .argument('[id...]', 'dead-letter ids as list prints them (<subscriber>:<seq>)')
    .option('--all', 'every dead letter')
    .action(async (ids: string[], flags: RedriveFlags) => {
      if ((flags.all === true) === ids.length > 0)
        throw new Error('give dead-letter ids or --all (not both)');
      const selection = flags.all === true ? { all: true as const } : { keys: ids.map(parseDeadLetterId) };
      const result = await withDatabase(flags, (db) => requestRedrive(db, selection, Date.now()));
      report(flags, 'queued for redrive', result);
    });

  addAdminOptions(deadLetters.command('discard'))
    .description('delete dead letters without handling their events')
    .argument('<id...>', 'dead-letter ids as list prints them (<subscriber>:<seq>)')
    .action(async (ids: string[], flags: AdminFlags) => {
      const keys = ids.map(parseDeadLetterId);
      const result = await withDatabase(flags, (db) => discardDeadLetters(db, keys));
      report(flags, 'discarded', result);
    });
}
