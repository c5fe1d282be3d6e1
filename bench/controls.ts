/**
 * Control evaluation benchmark: every control of one account over N managed nodes (default 10,000), each with
 * Patch and Association compliance, a patch summary and inventory. Prints the time of the first sweep (every
 * finding created), of a sweep where nothing changed (the periodic steady state), and of one after 10 % of the
 * nodes' patch compliance flipped.
 *
 *   node dist/bench/controls.js [--nodes 10000] [--database postgres://…] [--data-dir .bench/controls]
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeControls, controlsFacades } from '../src/app/compose-controls.js';
import { composeFindingsCore } from '../src/app/compose-findings.js';
import { ComplianceStore, summarizeItems, type ComplianceSeverity } from '../src/compliance/index.js';
import { ControlsStore, standardCatalogue, standardsArnOf } from '../src/controls/index.js';
import { HubStore } from '../src/findings/index.js';
import { hubArnOf } from '../src/protocols/securityhub/index.js';
import { DocumentsStore, ServiceSettingsService, deriveDocumentFields } from '../src/documents/index.js';
import { FleetStore, InventoryStore, SsmTagStore } from '../src/fleet/index.js';
import type { Db } from '../src/storage/database.js';
import { openDatabase } from '../src/storage/open-database.js';
import { parseFlags, rssMiB } from './bench-client.js';
import { benchInstance, benchInstanceId } from './bench-nodes.js';

const flags = parseFlags(process.argv.slice(2));
const nodeCount = Number(flags.get('nodes') ?? 10_000);
const dataDir = resolve(flags.get('data-dir') ?? '.bench/controls');
const scope = { accountId: '123456789012', region: 'us-east-1' };
const now = new Date();

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const databaseUrl = flags.get('database') ?? join(dataDir, 'bulwark.sqlite');
const { db, findingsWriter } = await openDatabase(databaseUrl);

async function seed(database: Db): Promise<void> {
  const fleet = new FleetStore();
  const compliance = new ComplianceStore();
  const inventory = new InventoryStore();
  await new HubStore().insert(database, {
    ...scope,
    hubArn: hubArnOf(scope.region, scope.accountId),
    subscribedAt: now.toISOString(),
    autoEnableControls: true,
    controlFindingGenerator: 'SECURITY_CONTROL',
  });
  const controls = new ControlsStore();
  for (const standard of standardCatalogue) {
    await controls.subscribe(database, scope, {
      standardsArn: standardsArnOf(scope.region, standard),
      standardsInput: {},
      subscribedAt: now,
    });
  }
  for (let start = 0; start < nodeCount; start += 500) {
    await database.transaction().execute(async (tx) => {
      for (let i = start; i < Math.min(nodeCount, start + 500); i += 1) {
        const instanceId = benchInstanceId(i);
        await fleet.insertInstance(
          tx,
          benchInstance(i, scope, now, {
            lastPingAt: i % 20 === 0 ? new Date(now.getTime() - 3_600_000) : now,
            agentVersion: i % 10 === 0 ? '0.0.9' : '9.0.0',
          }),
        );
        await writeCompliance(tx, compliance, instanceId, 'Patch', i % 4 === 0);
        await writeCompliance(tx, compliance, instanceId, 'Association', i % 7 === 0);
        const summary = {
          BaselineId: 'pb-0123456789abcdef0',
          PatchGroup: '',
          OperationType: 'Scan',
          OperationEndTime: now.toISOString(),
          InstalledPendingRebootCount: i % 9 === 0 ? '2' : '0',
        };
        await inventory.saveItem(tx, scope, {
          instanceId,
          typeName: 'AWS:PatchSummary',
          schemaVersion: '1.0',
          captureTime: now.toISOString(),
          contentHash: `hash-${i}`,
          content: [summary],
          context: undefined,
          updatedAt: now,
        });
      }
    });
  }
}

async function writeCompliance(
  tx: Parameters<ComplianceStore['saveSet']>[0],
  store: ComplianceStore,
  instanceId: string,
  complianceType: string,
  failing: boolean,
): Promise<void> {
  const severity: ComplianceSeverity = 'HIGH';
  const items = [{ severity, status: failing ? ('NON_COMPLIANT' as const) : ('COMPLIANT' as const) }];
  await store.saveSet(
    tx,
    { ...scope, resourceType: 'ManagedInstance', resourceId: instanceId, complianceType },
    summarizeItems(items),
    { executionTime: now, executionId: undefined, executionType: 'Command' },
    undefined,
    now,
  );
}

const seedStart = performance.now();
await seed(db);
const seedMs = performance.now() - seedStart;
const findingsCore = composeFindingsCore(findingsWriter);
const documentsStore = new DocumentsStore(deriveDocumentFields);
const { evaluator } = composeControls(
  { patchFindingsLevel: 'UNSPECIFIED' },
  findingsCore,
  controlsFacades({ pingTimeoutSeconds: 660 }, findingsCore, {
    fleetStore: new FleetStore(),
    ssmTagStore: new SsmTagStore(),
    inventoryStore: new InventoryStore(),
    complianceStore: new ComplianceStore(),
    documentsStore,
    serviceSettings: new ServiceSettingsService(documentsStore),
  }),
);

async function sweep(label: string, at: Date): Promise<void> {
  const start = performance.now();
  const outcome = await db.transaction().execute((tx) => evaluator.evaluate(tx, scope, at, { kind: 'all' }));
  const ms = performance.now() - start;
  process.stdout.write(
    `${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms  ${String(outcome.evaluated).padStart(7)} evaluations  ${String(outcome.written).padStart(7)} findings written  ${((outcome.evaluated / ms) * 1000).toFixed(0)} evaluations/s\n`,
  );
}

process.stdout.write(
  `controls bench: ${nodeCount} nodes on ${databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'} (seeded in ${(seedMs / 1000).toFixed(1)} s)\n`,
);
await sweep('first sweep (every finding created)', new Date(now.getTime() + 1000));
await sweep('second sweep (nothing changed)', new Date(now.getTime() + 2000));
await db.transaction().execute(async (tx) => {
  const compliance = new ComplianceStore();
  for (let i = 0; i < nodeCount; i += 10)
    await writeCompliance(tx, compliance, benchInstanceId(i), 'Patch', i % 4 !== 0);
});
await sweep('third sweep (10 % of patch compliance flipped)', new Date(now.getTime() + 3000));
process.stdout.write(`server RSS after the sweeps: ${rssMiB(process.pid).toFixed(0)} MiB\n`);
await db.destroy();
