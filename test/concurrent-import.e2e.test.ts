import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchImportFindingsCommand } from '@aws-sdk/client-securityhub';
import { uniqueFindingId } from './factories.js';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

describe('concurrent imports of the same new findings', () => {
  let server: InProcessServer;
  let account: TestAccount;

  before(async () => {
    server = await startInProcessServer();
    account = await enabledAccount(server);
  });
  after(() => server.dispose());

  it('all succeed and store each finding once (PostgreSQL retries the losing transaction)', async () => {
    const ids = Array.from({ length: 5 }, () => uniqueFindingId('race'));
    const batch = (updatedAt: string) =>
      ids.map((Id) => account.finding({ Id, CreatedAt: '2026-01-01T00:00:00Z', UpdatedAt: updatedAt }));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        account.client.send(
          new BatchImportFindingsCommand({
            Findings: batch(`2026-01-01T00:00:${String(i).padStart(2, '0')}Z`),
          }),
        ),
      ),
    );
    for (const result of results) {
      assert.equal(result.FailedCount, 0);
      assert.equal(result.SuccessCount, ids.length);
    }
    const stored = await getAllFindings(account.client, {
      Id: ids.map((Value) => ({ Value, Comparison: 'EQUALS' as const })),
    });
    assert.equal(stored.length, ids.length, 'each finding stored once');
    assert.ok(
      stored.every((f) => f.UpdatedAt === '2026-01-01T00:00:11Z'),
      'the newest UpdatedAt wins whatever order the calls committed in',
    );
  });
});
