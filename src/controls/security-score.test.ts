import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { securityHubProductArnOf } from './control-finding.js';
import { ControlEnablement } from './enablement.js';
import type { ServiceFindingsSink } from './evaluator.js';
import { controlStatusOf, securityScoreOf, type SecurityScore } from './security-score.js';
import { standardCatalogue, standardsArnOf, type StandardDefinition } from './standards.js';
import type {
  ControlScopeKey,
  ControlsStore,
  StoredControlSetting,
  StoredEvaluation,
} from './controls-store.js';

const scope: ControlScopeKey = { accountId: '123456789012', region: 'us-east-1' };
const at = new Date('2025-11-20T12:00:00.000Z');

function standard(path: string): StandardDefinition {
  const found = standardCatalogue.find((s) => s.path === path);
  assert.ok(found, `standard ${path} is in the catalogue`);
  return found;
}

const fsbp = standard('aws-foundational-security-best-practices/v/1.0.0');
const nist = standard('nist-800-53/v/5.0.0');
const fleet = standard('bulwark-fleet-baseline/v/1.0.0');

function enablement(
  standards: StandardDefinition[],
  settings: StoredControlSetting[] = [],
): ControlEnablement {
  return new ControlEnablement(
    scope.region,
    standards.map((s) => ({
      standardsArn: standardsArnOf(scope.region, s),
      standardsInput: {},
      subscribedAt: at,
    })),
    settings,
  );
}

function disabledIn(of: StandardDefinition, controlId: string): StoredControlSetting {
  return {
    standardsArn: standardsArnOf(scope.region, of),
    controlId,
    status: 'DISABLED',
    disabledReason: 'Not used here',
    updatedAt: at,
  };
}

let findingCount = 0;

function evaluation(
  controlId: string,
  complianceStatus: string,
  overrides: Partial<StoredEvaluation> = {},
): StoredEvaluation {
  findingCount += 1;
  return {
    controlId,
    resourceId: `resource-${findingCount}`,
    findingId: `finding-${findingCount}`,
    findingIds: [`finding-${findingCount}`],
    complianceStatus,
    recordState: 'ACTIVE',
    fingerprint: 'fingerprint',
    createdAt: at,
    statusChangedAt: at,
    evaluatedAt: at,
    ...overrides,
  };
}

/** A store that returns the given evaluations' ACTIVE results of the asked controls, as the real one does. */
function fakeStore(evaluations: StoredEvaluation[]): ControlsStore {
  const store = {
    activeResults: (_db: unknown, _scope: ControlScopeKey, controlIds: readonly string[]) =>
      Promise.resolve(
        evaluations.filter((e) => controlIds.includes(e.controlId) && e.recordState === 'ACTIVE'),
      ),
  };
  return store as unknown as ControlsStore;
}

/** A sink that reports the given finding ids as SUPPRESSED, and records the product ARN it was asked about. */
function fakeFindings(suppressedIds: string[] = []): ServiceFindingsSink & { productArns: string[] } {
  const productArns: string[] = [];
  return {
    productArns,
    write: () => Promise.resolve(),
    suppressed: (_db, _scope, productArn, findingIds) => {
      productArns.push(productArn);
      return Promise.resolve(new Set(findingIds.filter((id) => suppressedIds.includes(id))));
    },
  };
}

function scoreOf(
  standards: StandardDefinition[],
  evaluations: StoredEvaluation[],
  options: { settings?: StoredControlSetting[]; suppressed?: string[] } = {},
): Promise<SecurityScore> {
  return securityScoreOf(
    {} as never,
    scope,
    enablement(standards, options.settings),
    fakeStore(evaluations),
    fakeFindings(options.suppressed),
  );
}

function figuresOf(score: {
  passedControls: number;
  controlsWithData: number;
  enabledControls: number;
  score: number | undefined;
}) {
  return {
    passedControls: score.passedControls,
    controlsWithData: score.controlsWithData,
    enabledControls: score.enabledControls,
    score: score.score,
  };
}

function standardScore(score: SecurityScore, of: StandardDefinition) {
  const found = score.standards.find((s) => s.standardsArn === standardsArnOf(scope.region, of));
  assert.ok(found, `score has standard ${of.path}`);
  return found;
}

describe('controlStatusOf', () => {
  it('is NO_DATA without findings', () => {
    assert.equal(controlStatusOf([]), 'NO_DATA');
  });

  it('is FAILED when any finding FAILED', () => {
    assert.equal(controlStatusOf(['PASSED', 'FAILED', 'NOT_AVAILABLE']), 'FAILED');
  });

  it('is PASSED when all findings PASSED', () => {
    assert.equal(controlStatusOf(['PASSED', 'PASSED']), 'PASSED');
  });

  it('is UNKNOWN when some finding is neither PASSED nor FAILED', () => {
    assert.equal(controlStatusOf(['PASSED', 'NOT_AVAILABLE']), 'UNKNOWN');
    assert.equal(controlStatusOf(['WARNING']), 'UNKNOWN');
  });
});

describe('securityScoreOf', () => {
  it('names the account and the Region', async () => {
    const score = await scoreOf([fleet], []);
    assert.equal(score.accountId, scope.accountId);
    assert.equal(score.region, scope.region);
  });

  it('has no score when no enabled control has data', async () => {
    const score = await scoreOf([fleet], []);
    assert.deepEqual(figuresOf(score), {
      passedControls: 0,
      controlsWithData: 0,
      enabledControls: 8,
      score: undefined,
    });
    assert.equal(score.controls['SSM.1'], 'NO_DATA');
  });

  it('has no standards and no controls without subscriptions', async () => {
    const score = await scoreOf([], [evaluation('SSM.1', 'PASSED')]);
    assert.deepEqual(score.standards, []);
    assert.deepEqual(score.controls, {});
    assert.equal(score.score, undefined);
  });

  it('gives each control its status from its findings', async () => {
    const score = await scoreOf(
      [fleet],
      [
        evaluation('SSM.1', 'PASSED'),
        evaluation('SSM.2', 'FAILED'),
        evaluation('Fleet.1', 'PASSED'),
        evaluation('Fleet.1', 'PASSED'),
        evaluation('Fleet.2', 'PASSED'),
        evaluation('Fleet.2', 'NOT_AVAILABLE'),
      ],
    );
    assert.deepEqual(score.controls, {
      'SSM.1': 'PASSED',
      'SSM.2': 'FAILED',
      'SSM.3': 'NO_DATA',
      'Fleet.1': 'PASSED',
      'Fleet.2': 'UNKNOWN',
      'Fleet.3': 'NO_DATA',
      'Fleet.4': 'NO_DATA',
      'Fleet.5': 'NO_DATA',
    });
    assert.deepEqual(figuresOf(score), {
      passedControls: 2,
      controlsWithData: 4,
      enabledControls: 8,
      score: 50,
    });
  });

  it('follows the spec rule: passed ÷ enabled with data, "No data" controls left out', async () => {
    // The spec's example has 12 enabled controls; NIST, the largest standard, holds the catalogue's 10.
    const passed = ['SSM.1', 'SSM.2', 'SSM.3', 'SSM.4', 'SSM.7', 'Fleet.1'];
    const score = await scoreOf(
      [nist],
      [
        ...passed.map((id) => evaluation(id, 'PASSED')),
        evaluation('Fleet.2', 'FAILED'),
        evaluation('Fleet.3', 'NOT_AVAILABLE'),
      ],
    );
    const expected = { passedControls: 6, controlsWithData: 8, enabledControls: 10, score: 75 };
    assert.deepEqual(figuresOf(score), expected);
    assert.deepEqual(figuresOf(standardScore(score, nist)), expected);
  });

  it('gives 60 % for 3 passed of 5 with data among 10 enabled', async () => {
    const score = await scoreOf(
      [nist],
      [
        evaluation('SSM.1', 'PASSED'),
        evaluation('SSM.2', 'PASSED'),
        evaluation('SSM.3', 'PASSED'),
        evaluation('Fleet.1', 'FAILED'),
        evaluation('Fleet.2', 'FAILED'),
      ],
    );
    assert.deepEqual(figuresOf(score), {
      passedControls: 3,
      controlsWithData: 5,
      enabledControls: 10,
      score: 60,
    });
  });

  it('scores each subscribed standard on its own controls, and the account on the distinct ones', async () => {
    const score = await scoreOf(
      [fsbp, fleet],
      [evaluation('SSM.1', 'PASSED'), evaluation('SSM.4', 'FAILED'), evaluation('Fleet.1', 'PASSED')],
    );
    assert.deepEqual(
      score.standards.map((s) => [s.standardsArn, s.name]),
      [
        [standardsArnOf(scope.region, fsbp), fsbp.name],
        [standardsArnOf(scope.region, fleet), fleet.name],
      ],
    );
    assert.deepEqual(figuresOf(standardScore(score, fsbp)), {
      passedControls: 1,
      controlsWithData: 2,
      enabledControls: 5,
      score: 50,
    });
    assert.deepEqual(figuresOf(standardScore(score, fleet)), {
      passedControls: 2,
      controlsWithData: 2,
      enabledControls: 8,
      score: 100,
    });
    assert.deepEqual(figuresOf(score), {
      passedControls: 2,
      controlsWithData: 3,
      enabledControls: 10,
      score: 67,
    });
  });

  it('leaves a control disabled in a standard out of that standard only', async () => {
    const score = await scoreOf(
      [fsbp, fleet],
      [evaluation('SSM.2', 'FAILED'), evaluation('SSM.1', 'PASSED')],
      {
        settings: [disabledIn(fsbp, 'SSM.2')],
      },
    );
    assert.deepEqual(figuresOf(standardScore(score, fsbp)), {
      passedControls: 1,
      controlsWithData: 1,
      enabledControls: 4,
      score: 100,
    });
    assert.deepEqual(figuresOf(standardScore(score, fleet)), {
      passedControls: 1,
      controlsWithData: 2,
      enabledControls: 8,
      score: 50,
    });
    assert.equal(score.controls['SSM.2'], 'FAILED');
  });

  it('leaves out a control disabled in every standard', async () => {
    const score = await scoreOf([fsbp], [evaluation('SSM.4', 'FAILED'), evaluation('SSM.1', 'PASSED')], {
      settings: [disabledIn(fsbp, 'SSM.4')],
    });
    assert.equal(score.controls['SSM.4'], undefined);
    assert.deepEqual(figuresOf(score), {
      passedControls: 1,
      controlsWithData: 1,
      enabledControls: 4,
      score: 100,
    });
  });

  it('ignores ARCHIVED evaluations', async () => {
    const score = await scoreOf(
      [fsbp],
      [
        evaluation('SSM.1', 'FAILED', { recordState: 'ARCHIVED' }),
        evaluation('SSM.1', 'PASSED'),
        evaluation('SSM.2', 'FAILED', { recordState: 'ARCHIVED' }),
      ],
    );
    assert.equal(score.controls['SSM.1'], 'PASSED');
    assert.equal(score.controls['SSM.2'], 'NO_DATA');
    assert.deepEqual(figuresOf(score), {
      passedControls: 1,
      controlsWithData: 1,
      enabledControls: 5,
      score: 100,
    });
  });

  it('ignores SUPPRESSED findings', async () => {
    const suppressedFailure = evaluation('SSM.1', 'FAILED');
    const onlyFinding = evaluation('SSM.2', 'FAILED');
    const score = await scoreOf([fsbp], [suppressedFailure, evaluation('SSM.1', 'PASSED'), onlyFinding], {
      suppressed: [suppressedFailure.findingId, onlyFinding.findingId],
    });
    assert.equal(score.controls['SSM.1'], 'PASSED');
    assert.equal(score.controls['SSM.2'], 'NO_DATA');
    assert.deepEqual(figuresOf(score), {
      passedControls: 1,
      controlsWithData: 1,
      enabledControls: 5,
      score: 100,
    });
  });

  it("asks about Security Hub's own findings in the scope's Region", async () => {
    const findings = fakeFindings();
    await securityScoreOf(
      {} as never,
      scope,
      enablement([fsbp]),
      fakeStore([evaluation('SSM.1', 'PASSED')]),
      findings,
    );
    assert.deepEqual(findings.productArns, [securityHubProductArnOf(scope.region)]);
  });

  it('rounds the percentage', async () => {
    const score = await scoreOf(
      [fsbp],
      [evaluation('SSM.1', 'PASSED'), evaluation('SSM.2', 'FAILED'), evaluation('SSM.3', 'FAILED')],
    );
    assert.equal(score.score, 33);
  });
});
