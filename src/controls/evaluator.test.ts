import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { zeroSeverityCounts, type ComplianceSet } from '../compliance/index.js';
import type { Db } from '../storage/database.js';
import { openTestDatabase } from '../../test/support/service-context.js';
import { ControlEvaluator, notApplicableArchiveMs, type ServiceFindingsSink } from './evaluator.js';
import type { ControlFactsSource, NodeFacts } from './facts.js';
import { standardCatalogue, standardsArnOf } from './standards.js';
import { ControlsStore } from './controls-store.js';

const region = 'us-east-1';
const t0 = new Date('2026-11-01T00:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

function patchSet(status: 'COMPLIANT' | 'NON_COMPLIANT'): ComplianceSet {
  return {
    resourceType: 'ManagedInstance',
    resourceId: 'mi-1',
    complianceType: 'Patch',
    status,
    overallSeverity: 'HIGH',
    itemCount: 1,
    counts: { COMPLIANT: zeroSeverityCounts(), NON_COMPLIANT: zeroSeverityCounts() },
    execution: { executionTime: t0, executionId: undefined, executionType: 'Command' },
    itemContentHash: undefined,
    updatedAt: t0,
  };
}

function node(overrides: Partial<NodeFacts> = {}): NodeFacts {
  return {
    instanceId: 'mi-1',
    arn: `arn:aws:ssm:${region}:111122223333:managed-instance/mi-1`,
    deregistered: false,
    pingStatus: 'Online',
    lastPingAt: t0,
    agentVersion: '1.0.0',
    platformName: 'Debian GNU/Linux',
    platformVersion: '12',
    ipAddress: undefined,
    computerName: 'web-1',
    patchCompliance: undefined,
    associationCompliance: undefined,
    patchSummary: undefined,
    inventoryReportedAt: t0,
    ...overrides,
  };
}

/** A fleet of one node whose facts a test changes, and a sink that keeps what was written. */
class World implements ControlFactsSource, ServiceFindingsSink {
  current: NodeFacts[] = [node()];
  hubEnabled = true;
  generator: 'SECURITY_CONTROL' | 'STANDARD_CONTROL' = 'SECURITY_CONTROL';
  autoEnableControls = true;
  written: Record<string, unknown>[] = [];

  nodes(_db: unknown, _scope: unknown, _now: Date, ids?: readonly string[]) {
    return Promise.resolve(
      ids === undefined ? this.current : this.current.filter((n) => ids.includes(n.instanceId)),
    );
  }
  documents() {
    return Promise.resolve([]);
  }
  account() {
    return Promise.resolve({ publicSharingBlocked: true });
  }
  patchItems() {
    return Promise.resolve([]);
  }
  write(_tx: unknown, _scope: unknown, _now: Date, findings: Record<string, unknown>[]) {
    this.written.push(...findings);
    return Promise.resolve();
  }
  suppressed() {
    return Promise.resolve(new Set<string>());
  }
  /** The last finding written for a control. */
  last(controlId: string): Record<string, unknown> | undefined {
    return this.written
      .filter((f) => (f['Compliance'] as { SecurityControlId: string }).SecurityControlId === controlId)
      .at(-1);
  }
}

const statusOf = (finding: Record<string, unknown> | undefined) => [
  (finding?.['Compliance'] as { Status?: string } | undefined)?.Status,
  finding?.['RecordState'],
];

describe('ControlEvaluator', () => {
  let db: Db;
  const store = new ControlsStore();
  let scopeIndex = 0;

  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  /** A fresh account with the Bulwark Fleet Baseline enabled, and an evaluator over `world`. */
  async function setup(world: World) {
    scopeIndex += 1;
    const scope = { accountId: `1111222233${String(scopeIndex).padStart(2, '0')}`, region };
    const baseline = standardCatalogue.find((s) => s.path.startsWith('bulwark-fleet-baseline'));
    assert.ok(baseline);
    await store.subscribe(db, scope, {
      standardsArn: standardsArnOf(region, baseline),
      standardsInput: {},
      subscribedAt: t0,
    });
    const evaluator = new ControlEvaluator(
      store,
      world,
      world,
      {
        isEnabled: () => Promise.resolve(world.hubEnabled),
        settings: () =>
          Promise.resolve(
            world.hubEnabled
              ? { controlFindingGenerator: world.generator, autoEnableControls: world.autoEnableControls }
              : undefined,
          ),
        scopes: () => Promise.resolve([scope]),
      },
      '1.0.0',
    );
    const run = (at: Date, target: Parameters<ControlEvaluator['evaluate']>[3] = { kind: 'all' }) =>
      db.transaction().execute((tx) => evaluator.evaluate(tx, scope, at, target));
    return { scope, run, baseline };
  }

  it('writes a finding only when what it says changes', async () => {
    const world = new World();
    const { run } = await setup(world);
    const first = await run(t0);
    assert.ok(first.written > 0);
    assert.deepEqual(statusOf(world.last('SSM.1')), ['PASSED', 'ACTIVE']);
    const again = await run(later(1000));
    assert.equal(again.written, 0);
    world.current = [node({ pingStatus: 'ConnectionLost' })];
    const changed = await run(later(2000), { kind: 'nodes', instanceIds: ['mi-1'] });
    assert.equal(changed.written, 1);
    assert.deepEqual(statusOf(world.last('SSM.1')), ['FAILED', 'ACTIVE']);
  });

  it('does nothing for an account without a hub', async () => {
    const world = new World();
    world.hubEnabled = false;
    const { run } = await setup(world);
    assert.deepEqual(await run(t0), { evaluated: 0, written: 0 });
    assert.deepEqual(world.written, []);
  });

  it('turns a result that disappears into NOT_AVAILABLE and archives it after three days', async () => {
    const world = new World();
    world.current = [node({ patchCompliance: patchSet('NON_COMPLIANT') })];
    const { run } = await setup(world);
    await run(t0);
    assert.deepEqual(statusOf(world.last('SSM.2')), ['FAILED', 'ACTIVE']);
    world.current = [node()];
    await run(later(1000));
    assert.deepEqual(statusOf(world.last('SSM.2')), ['NOT_AVAILABLE', 'ACTIVE']);
    const ssm2Writes = () =>
      world.written.filter((f) => f['GeneratorId'] === 'security-control/SSM.2').length;
    const count = ssm2Writes();
    await run(later(notApplicableArchiveMs));
    assert.equal(ssm2Writes(), count, 'not yet three days in NOT_AVAILABLE');
    await run(later(1000 + notApplicableArchiveMs));
    assert.deepEqual(statusOf(world.last('SSM.2')), ['NOT_AVAILABLE', 'ARCHIVED']);
  });

  it('archives every finding of a deregistered node at once, and creates none for a node first seen gone', async () => {
    const world = new World();
    world.current = [node(), node({ instanceId: 'mi-2', arn: 'arn:mi-2', deregistered: true })];
    const { run } = await setup(world);
    await run(t0);
    assert.ok(world.written.every((f) => (f['Resources'] as { Id: string }[])[0]?.Id !== 'arn:mi-2'));
    world.current = [node({ deregistered: true, pingStatus: 'Inactive' })];
    await run(later(1000));
    for (const controlId of ['SSM.1', 'Fleet.1', 'Fleet.4']) {
      assert.deepEqual(statusOf(world.last(controlId)), ['NOT_AVAILABLE', 'ARCHIVED'], controlId);
    }
  });

  it('archives the findings of a control disabled in its only standard and brings them back when enabled', async () => {
    const world = new World();
    const { run, scope, baseline } = await setup(world);
    await run(t0);
    const standardsArn = standardsArnOf(region, baseline);
    await store.putControlSetting(db, scope, {
      standardsArn,
      controlId: 'Fleet.4',
      status: 'DISABLED',
      disabledReason: 'n/a',
      updatedAt: t0,
    });
    await run(later(1000));
    assert.deepEqual(statusOf(world.last('Fleet.4')), ['PASSED', 'ARCHIVED']);
    const count = world.written.length;
    await run(later(2000));
    assert.equal(world.written.length, count, 'an archived finding of a disabled control is left alone');
    await store.putControlSetting(db, scope, {
      standardsArn,
      controlId: 'Fleet.4',
      status: 'ENABLED',
      disabledReason: undefined,
      updatedAt: t0,
    });
    await run(later(3000));
    assert.deepEqual(statusOf(world.last('Fleet.4')), ['PASSED', 'ACTIVE']);
  });

  it('writes one finding per standard with STANDARD_CONTROL, and archives the other shape when switching', async () => {
    const world = new World();
    world.generator = 'STANDARD_CONTROL';
    const { run, scope, baseline } = await setup(world);
    const fsbp = standardCatalogue.find((s) => s.path.startsWith('aws-foundational'));
    assert.ok(fsbp);
    await store.subscribe(db, scope, {
      standardsArn: standardsArnOf(region, fsbp),
      standardsInput: {},
      subscribedAt: t0,
    });
    await run(t0);
    const ssm1 = world.written.filter(
      (f) => (f['Compliance'] as { SecurityControlId: string }).SecurityControlId === 'SSM.1',
    );
    assert.deepEqual(ssm1.map((f) => f['GeneratorId']).sort(), [
      'aws-foundational-security-best-practices/v/1.0.0/SSM.1',
      'bulwark-fleet-baseline/v/1.0.0/SSM.1',
    ]);
    const fsbpFinding = ssm1.find((f) => String(f['GeneratorId']).startsWith('aws-foundational'));
    assert.ok(fsbpFinding);
    assert.match(
      String(fsbpFinding['Id']),
      new RegExp(
        `^arn:aws:securityhub:${region}:${scope.accountId}:subscription/aws-foundational-security-best-practices/v/1\\.0\\.0/SSM\\.1/finding/[0-9a-f-]{36}$`,
      ),
    );
    assert.match(String(fsbpFinding['Title']), /^SSM\.1 /);
    const fields = fsbpFinding['ProductFields'] as Record<string, string>;
    assert.equal(
      fields['StandardsArn'],
      'arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0',
    );
    assert.equal(
      fields['StandardsSubscriptionArn'],
      `arn:aws:securityhub:${region}:${scope.accountId}:subscription/aws-foundational-security-best-practices/v/1.0.0`,
    );
    assert.equal(fields['ControlId'], 'SSM.1');
    assert.equal(
      fields['StandardsControlArn'],
      `arn:aws:securityhub:${region}:${scope.accountId}:control/aws-foundational-security-best-practices/v/1.0.0/SSM.1`,
    );
    assert.deepEqual((fsbpFinding['Compliance'] as { AssociatedStandards: unknown }).AssociatedStandards, [
      { StandardsId: 'standards/aws-foundational-security-best-practices/v/1.0.0' },
    ]);
    assert.equal((await run(later(1000))).written, 0, 'unchanged results write nothing');

    // Disabling SSM.1 in the baseline archives only that standard's finding.
    await store.putControlSetting(db, scope, {
      standardsArn: standardsArnOf(region, baseline),
      controlId: 'SSM.1',
      status: 'DISABLED',
      disabledReason: 'n/a',
      updatedAt: t0,
    });
    const before = world.written.length;
    await run(later(2000));
    const changed = world.written.slice(before).filter((f) => String(f['GeneratorId']).endsWith('/SSM.1'));
    assert.deepEqual(changed.map((f) => [f['GeneratorId'], f['RecordState']]).sort(), [
      ['aws-foundational-security-best-practices/v/1.0.0/SSM.1', 'ACTIVE'],
      ['bulwark-fleet-baseline/v/1.0.0/SSM.1', 'ARCHIVED'],
    ]);

    // Switching to consolidated findings: one security-control finding, the per-standard ones archived.
    world.generator = 'SECURITY_CONTROL';
    const beforeSwitch = world.written.length;
    await run(later(3000));
    const switched = world.written
      .slice(beforeSwitch)
      .filter((f) => (f['Compliance'] as { SecurityControlId: string }).SecurityControlId === 'SSM.1');
    assert.deepEqual(switched.map((f) => [f['GeneratorId'], f['RecordState']]).sort(), [
      ['aws-foundational-security-best-practices/v/1.0.0/SSM.1', 'ARCHIVED'],
      ['security-control/SSM.1', 'ACTIVE'],
    ]);
  });

  it('enables the controls a standard gains in a new release only while AutoEnableControls is on', async () => {
    for (const autoEnable of [true, false]) {
      const world = new World();
      world.autoEnableControls = autoEnable;
      const { run, scope, baseline } = await setup(world);
      // The standard was enabled under a release whose baseline did not hold Fleet.4 yet.
      await db
        .updateTable('standards_subscriptions')
        .set({ known_control_ids: JSON.stringify(baseline.controlIds.filter((id) => id !== 'Fleet.4')) })
        .where('account_id', '=', scope.accountId)
        .execute();
      await run(t0);
      const settings = await store.controlSettings(db, scope);
      if (autoEnable) {
        assert.deepEqual(statusOf(world.last('Fleet.4')), ['PASSED', 'ACTIVE']);
        assert.deepEqual(settings, []);
      } else {
        assert.equal(world.last('Fleet.4'), undefined, 'no finding for a control that was not enabled');
        assert.deepEqual(
          settings.map((s) => [s.controlId, s.status]),
          [['Fleet.4', 'DISABLED']],
        );
        assert.match(settings[0]?.disabledReason ?? '', /AutoEnableControls/);
      }
      const [subscription] = await store.subscriptions(db, scope);
      assert.deepEqual(subscription?.knownControlIds, baseline.controlIds, 'the new control is now known');
    }
  });
});
