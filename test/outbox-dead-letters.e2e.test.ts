/**
 * E2E: a subscriber of a real server that keeps failing leaves a dead letter that keeps its event even once the
 * outbox row is gone; /metrics counts it; `bulwark events dead-letters list|redrive|discard` shows and acts on
 * it, and the server's worker handles a redriven event once the subscriber works again.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { BatchImportFindingsCommand } from '@aws-sdk/client-securityhub';
import { sql } from 'kysely';
import type { Db } from '../src/storage/database.js';
import { openDatabase } from '../src/storage/open-database.js';
import { enabledAccount, type TestAccount } from './support/accounts.js';
import { bulwarkBin, repoRoot, startServer, type RunningServer } from './support/server-harness.js';

const run = promisify(execFile);
/** The probe subscriber BULWARK_E2E_PROBES=1 registers; it writes to e2e_event_ledger. */
const probe = 'e2e-event-ledger';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface ListedLetter {
  id: string;
  subscriber: string;
  seq: number;
  eventType: string;
  accountId: string;
  error: string;
  attempts: number;
  state: string;
  event: { type: string; findings: { findingId: string }[] };
}

describe('outbox dead letters (e2e)', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let account: TestAccount;
  let db: Db;

  before(async () => {
    server = await startServer({ env: { BULWARK_E2E_PROBES: '1', BULWARK_WORKER_POLL_MS: '100' } });
    account = await enabledAccount(server);
    db = (await openDatabase(server.databaseUrl)).db;
  });
  after(async () => {
    await db?.destroy();
    await server?.dispose();
  });

  async function cli(args: string[]): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BULWARK_')) env[key] = value;
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [
          bulwarkBin,
          'events',
          'dead-letters',
          ...args,
          '--data-dir',
          server.dataDir,
          '--database',
          server.databaseUrl,
        ],
        { cwd: repoRoot, env, timeout: 60_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  async function deadLetterGauge(): Promise<number | undefined> {
    const text = await (await fetch(server.metricsEndpoint)).text();
    const line = text.split('\n').find((l) => l.startsWith('bulwark_outbox_dead_letters '));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  async function until<T>(what: string, probeOnce: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await probeOnce();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('keeps the failing event, counts it, lists it, and the worker handles it once after a redrive', async () => {
    assert.equal(await deadLetterGauge(), 0);
    // Break the subscriber: its table is gone, so every handling of a finding event fails.
    await sql`drop table e2e_event_ledger`.execute(db);
    const finding = account.finding();
    await account.client.send(new BatchImportFindingsCommand({ Findings: [finding] }));

    const letter = await until('the dead letter', async () => {
      // Skip the retry backoff (1 + 2 + 4 + 8 s) between the five failures.
      await db
        .updateTable('outbox_cursors')
        .set({ retry_at: 0 })
        .where('subscriber', '=', probe)
        .where('failures', '>', 0)
        .execute();
      return db
        .selectFrom('outbox_dead_letters')
        .select(['seq'])
        .where('subscriber', '=', probe)
        .executeTakeFirst();
    });
    const id = `${probe}:${letter.seq}`;
    // What the hourly prune does a day later: the outbox no longer holds the event.
    await db.deleteFrom('outbox').where('seq', '=', letter.seq).execute();
    assert.equal(await deadLetterGauge(), 1);

    const listed = await cli(['list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const letters = JSON.parse(listed.stdout) as ListedLetter[];
    assert.equal(letters.length, 1);
    const [shown] = letters;
    assert.equal(shown?.id, id);
    assert.equal(shown?.eventType, 'FindingsImported');
    assert.equal(shown?.accountId, account.accountId);
    assert.equal(shown?.attempts, 5);
    assert.equal(shown?.state, 'DEAD');
    assert.match(shown?.error ?? '', /e2e_event_ledger/);
    assert.deepEqual(
      shown?.event.findings.map((f) => f.findingId),
      [finding.Id],
      'the payload is kept',
    );
    const table = await cli(['list']);
    assert.match(table.stdout, new RegExp(`^${id}\\s+FindingsImported\\s+${account.accountId}\\s`, 'm'));

    const refused = await cli(['redrive']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /give dead-letter ids or --all/);
    const unknown = await cli(['discard', `${probe}:999999999`]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stdout, /no dead letter e2e-event-ledger:999999999/);
    assert.equal(await deadLetterGauge(), 1, 'a refused command changes nothing');

    // Fix the subscriber, then redrive.
    await sql`create table e2e_event_ledger (seq bigint not null, worker text not null)`.execute(db);
    const redrive = await cli(['redrive', id]);
    assert.equal(redrive.code, 0, redrive.stderr);
    assert.match(redrive.stdout, new RegExp(`queued for redrive 1 dead letter\\(s\\): ${id}`));
    const handled = await until('the redriven event', async () => {
      const rows = await sql<{
        seq: number;
      }>`select seq from e2e_event_ledger where seq = ${letter.seq}`.execute(db);
      return rows.rows.length > 0 ? rows.rows : undefined;
    });
    assert.equal(handled.length, 1);
    assert.equal(await deadLetterGauge(), 0);
    assert.equal((await cli(['list'])).stdout, 'no dead letters\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rows = await sql`select seq from e2e_event_ledger where seq = ${letter.seq}`.execute(db);
    assert.equal(rows.rows.length, 1, 'handled once');
  });
});
