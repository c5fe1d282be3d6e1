/**
 * A worker thread that issues keys as `bulwark admin create-key` does, on its own database connection: in the
 * test process's main thread a second SQLite connection would wait for the in-process server's transactions
 * while blocking the very event loop that has to finish them.
 */
import { parentPort } from 'node:worker_threads';
import { withAdministration } from '../../src/cli/admin-context.js';

/** One key to issue. */
export interface KeyOrder {
  id: number;
  dataDir: string;
  database: string;
  account: string | undefined;
  name: string | undefined;
}

parentPort?.on('message', (order: KeyOrder) => {
  withAdministration({ dataDir: order.dataDir, database: order.database }, (administration) =>
    administration.createKey(
      {
        accountId: order.account,
        newAccount: order.account === undefined,
        name: order.name ?? 'admin',
        policies: undefined,
      },
      new Date(),
    ),
  ).then(
    (issued) =>
      parentPort?.postMessage({
        id: order.id,
        key: {
          accountId: issued.accountId,
          accessKeyId: issued.accessKeyId,
          secretAccessKey: issued.secretAccessKey,
          principalArn: issued.principalArn,
        },
      }),
    (error: unknown) =>
      parentPort?.postMessage({
        id: order.id,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
