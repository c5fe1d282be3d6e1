import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findControl, type ControlDefinition } from './catalogue.js';
import { ControlEnablement, effectiveParameters } from './enablement.js';
import {
  parseStandardsArn,
  securityControlArnOf,
  standardCatalogue,
  standardsArnOf,
  standardsControlArnOf,
  standardsIdOf,
  standardsWithControl,
  subscriptionArnOf,
  type StandardDefinition,
} from './standards.js';
import type { StoredControlParameters, StoredControlSetting, StoredSubscription } from './controls-store.js';

const region = 'eu-west-1';
const accountId = '123456789012';
const at = new Date('2025-11-20T12:00:00.000Z');

function standard(path: string): StandardDefinition {
  const found = standardCatalogue.find((s) => s.path === path);
  assert.ok(found, `standard ${path} is in the catalogue`);
  return found;
}

function control(id: string): ControlDefinition {
  const found = findControl(id);
  assert.ok(found, `control ${id} is in the catalogue`);
  return found;
}

const fsbp = standard('aws-foundational-security-best-practices/v/1.0.0');
const nist = standard('nist-800-53/v/5.0.0');
const pci = standard('pci-dss/v/3.2.1');
const fleet = standard('bulwark-fleet-baseline/v/1.0.0');

function subscription(of: StandardDefinition, inRegion = region): StoredSubscription {
  return { standardsArn: standardsArnOf(inRegion, of), standardsInput: {}, subscribedAt: at };
}

function setting(
  of: StandardDefinition,
  controlId: string,
  status: 'ENABLED' | 'DISABLED',
): StoredControlSetting {
  return {
    standardsArn: standardsArnOf(region, of),
    controlId,
    status,
    disabledReason: status === 'DISABLED' ? 'Not used here' : undefined,
    updatedAt: at,
  };
}

function storedParameters(
  controlId: string,
  parameters: StoredControlParameters['parameters'],
): StoredControlParameters {
  return { controlId, parameters, lastUpdateReason: undefined, updatedAt: at };
}

describe('standards ARN builders', () => {
  it('standardsArnOf has a Region and no account', () => {
    assert.equal(
      standardsArnOf(region, fsbp),
      'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
    );
  });

  it('subscriptionArnOf has a Region and the account', () => {
    assert.equal(
      subscriptionArnOf(region, accountId, pci),
      'arn:aws:securityhub:eu-west-1:123456789012:subscription/pci-dss/v/3.2.1',
    );
  });

  it('standardsControlArnOf ends with the standard path and the control id', () => {
    assert.equal(
      standardsControlArnOf(region, accountId, nist, 'Fleet.2'),
      'arn:aws:securityhub:eu-west-1:123456789012:control/nist-800-53/v/5.0.0/Fleet.2',
    );
  });

  it('securityControlArnOf names the control without a standard', () => {
    assert.equal(
      securityControlArnOf(region, accountId, 'SSM.2'),
      'arn:aws:securityhub:eu-west-1:123456789012:security-control/SSM.2',
    );
  });

  it('standardsIdOf is the path under standards/', () => {
    assert.equal(standardsIdOf(pci), 'standards/pci-dss/v/3.2.1');
  });

  it('standardsWithControl lists the standards that hold a control', () => {
    assert.deepEqual(standardsWithControl('SSM.4'), [fsbp, nist]);
    assert.deepEqual(standardsWithControl('Fleet.1'), [nist, fleet]);
    assert.deepEqual(standardsWithControl('EC2.1'), []);
  });
});

describe('parseStandardsArn', () => {
  it('parses a standards ARN', () => {
    assert.deepEqual(parseStandardsArn(standardsArnOf(region, nist)), {
      kind: 'standards',
      region,
      accountId: '',
      standard: nist,
    });
  });

  it('parses a subscription ARN', () => {
    assert.deepEqual(parseStandardsArn(subscriptionArnOf(region, accountId, pci)), {
      kind: 'subscription',
      region,
      accountId,
      standard: pci,
    });
  });

  it('parses a control ARN whose control id has a dot', () => {
    assert.deepEqual(parseStandardsArn(standardsControlArnOf(region, accountId, fsbp, 'SSM.7')), {
      kind: 'control',
      region,
      accountId,
      standard: fsbp,
      controlId: 'SSM.7',
    });
  });

  it('parses every standard of the catalogue, in any Region', () => {
    for (const of of standardCatalogue) {
      assert.equal(parseStandardsArn(standardsArnOf('ap-southeast-2', of))?.standard, of);
      assert.equal(parseStandardsArn(subscriptionArnOf('ap-southeast-2', accountId, of))?.standard, of);
    }
  });

  it('returns undefined for a standard not in the catalogue', () => {
    assert.equal(
      parseStandardsArn('arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/1.4.0'),
      undefined,
    );
    assert.equal(
      parseStandardsArn('arn:aws:securityhub:eu-west-1:123456789012:subscription/pci-dss/v/4.0.1'),
      undefined,
    );
  });

  it('returns undefined for a control ARN without a control id', () => {
    assert.equal(
      parseStandardsArn('arn:aws:securityhub:eu-west-1:123456789012:control/pci-dss/v/3.2.1'),
      undefined,
    );
  });

  it('returns undefined for a control ARN with an empty control id', () => {
    assert.equal(
      parseStandardsArn('arn:aws:securityhub:eu-west-1:123456789012:control/pci-dss/v/3.2.1/'),
      undefined,
    );
  });

  it('returns undefined when the account part does not fit the kind', () => {
    assert.equal(
      parseStandardsArn('arn:aws:securityhub:eu-west-1:123456789012:standards/pci-dss/v/3.2.1'),
      undefined,
    );
    assert.equal(parseStandardsArn('arn:aws:securityhub:eu-west-1::subscription/pci-dss/v/3.2.1'), undefined);
    assert.equal(
      parseStandardsArn('arn:aws:securityhub:eu-west-1::control/pci-dss/v/3.2.1/SSM.1'),
      undefined,
    );
  });

  it('returns undefined for a standards or subscription ARN with a trailing control id', () => {
    assert.equal(parseStandardsArn(`${standardsArnOf(region, pci)}/SSM.1`), undefined);
    assert.equal(parseStandardsArn(`${subscriptionArnOf(region, accountId, pci)}/SSM.1`), undefined);
  });

  it('returns undefined for ARNs of another shape', () => {
    for (const arn of [
      '',
      'pci-dss/v/3.2.1',
      'arn:aws:ssm:eu-west-1::standards/pci-dss/v/3.2.1',
      'arn:aws:securityhub:eu-west-1:123456789012:security-control/SSM.1',
      'arn:aws:securityhub:eu-west-1:123456789012:hub/default',
      'arn:aws:securityhub:eu-west-1:1234:subscription/pci-dss/v/3.2.1',
      'arn:aws:securityhub:EU-WEST-1::standards/pci-dss/v/3.2.1',
      'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0',
    ]) {
      assert.equal(parseStandardsArn(arn), undefined, arn);
    }
  });
});

describe('ControlEnablement', () => {
  const enablement = (subscriptions: StoredSubscription[], settings: StoredControlSetting[] = []) =>
    new ControlEnablement(region, subscriptions, settings);

  it('enables the controls of a subscribed standard', () => {
    const enabled = enablement([subscription(fsbp)]);
    assert.deepEqual(
      enabled.enabledControls().map((c) => c.id),
      ['SSM.1', 'SSM.2', 'SSM.3', 'SSM.4', 'SSM.7'],
    );
    assert.equal(enabled.isEnabled('SSM.4'), true);
    assert.equal(enabled.isEnabled('Fleet.1'), false);
  });

  it('enables nothing without subscriptions, whatever the settings', () => {
    const enabled = enablement([], [setting(fsbp, 'SSM.1', 'ENABLED')]);
    assert.deepEqual(enabled.enabledControls(), []);
    assert.equal(enabled.isEnabled('SSM.1'), false);
  });

  it('gives no weight to an unsubscribed standard', () => {
    const enabled = enablement([subscription(fsbp)]);
    assert.equal(enabled.isEnabled('Fleet.2'), false, 'Fleet.2 is only in unsubscribed standards');
    assert.deepEqual(enabled.standardsOf('SSM.1'), [fsbp]);
  });

  it('ignores a subscription in another Region', () => {
    const enabled = enablement([subscription(fsbp, 'us-east-1')]);
    assert.equal(enabled.isEnabled('SSM.1'), false);
  });

  it('keeps a control disabled in one standard enabled through another', () => {
    const enabled = enablement(
      [subscription(fsbp), subscription(fleet)],
      [setting(fsbp, 'SSM.1', 'DISABLED')],
    );
    assert.equal(enabled.isEnabled('SSM.1'), true);
    assert.deepEqual(enabled.standardsOf('SSM.1'), [fleet]);
  });

  it('disables a control disabled in every subscribed standard that holds it', () => {
    const enabled = enablement(
      [subscription(fsbp), subscription(fleet)],
      [setting(fsbp, 'SSM.1', 'DISABLED'), setting(fleet, 'SSM.1', 'DISABLED')],
    );
    assert.equal(enabled.isEnabled('SSM.1'), false);
    assert.deepEqual(enabled.standardsOf('SSM.1'), []);
    assert.ok(!enabled.enabledControls().some((c) => c.id === 'SSM.1'));
  });

  it('does not re-enable a control through a standard that is not subscribed', () => {
    const enabled = enablement([subscription(fsbp)], [setting(fsbp, 'SSM.4', 'DISABLED')]);
    assert.equal(enabled.isEnabled('SSM.4'), false, 'NIST holds SSM.4 but is not subscribed');
  });

  it('treats an ENABLED setting like no setting', () => {
    const enabled = enablement([subscription(pci)], [setting(pci, 'Fleet.3', 'ENABLED')]);
    assert.deepEqual(enabled.standardsOf('Fleet.3'), [pci]);
  });

  it('lists the standards a control is enabled in, in catalogue order', () => {
    const enabled = enablement([subscription(fleet), subscription(pci), subscription(nist)]);
    assert.deepEqual(enabled.standardsOf('Fleet.2'), [nist, pci, fleet]);
    assert.deepEqual(enabled.standardsOf('Fleet.1'), [nist, fleet]);
  });

  it('finds the setting of a control within one standard', () => {
    const disabled = setting(fsbp, 'SSM.1', 'DISABLED');
    const enabled = enablement([subscription(fsbp)], [disabled]);
    assert.equal(enabled.settingOf(standardsArnOf(region, fsbp), 'SSM.1'), disabled);
    assert.equal(enabled.settingOf(standardsArnOf(region, fsbp), 'SSM.2'), undefined);
    assert.equal(enabled.settingOf(standardsArnOf(region, fleet), 'SSM.1'), undefined);
  });
});

describe('effectiveParameters', () => {
  it('is empty for a control without parameters', () => {
    assert.deepEqual(effectiveParameters(control('SSM.1'), undefined), {});
  });

  it('gives the catalogue defaults without stored values', () => {
    assert.deepEqual(effectiveParameters(control('Fleet.2'), undefined), { maxPendingRebootDays: 7 });
    assert.deepEqual(effectiveParameters(control('Fleet.1'), undefined), { minimumAgentVersion: '' });
  });

  it('takes a CUSTOM integer value', () => {
    const stored = storedParameters('Fleet.4', {
      maxInventoryAgeHours: { ValueType: 'CUSTOM', Value: { Integer: 48 } },
    });
    assert.deepEqual(effectiveParameters(control('Fleet.4'), stored), { maxInventoryAgeHours: 48 });
  });

  it('takes a CUSTOM integer value of 0', () => {
    const stored = storedParameters('Fleet.2', {
      maxPendingRebootDays: { ValueType: 'CUSTOM', Value: { Integer: 0 } },
    });
    assert.deepEqual(effectiveParameters(control('Fleet.2'), stored), { maxPendingRebootDays: 0 });
  });

  it('takes a CUSTOM string value', () => {
    const stored = storedParameters('Fleet.1', {
      minimumAgentVersion: { ValueType: 'CUSTOM', Value: { String: '1.2.0' } },
    });
    assert.deepEqual(effectiveParameters(control('Fleet.1'), stored), { minimumAgentVersion: '1.2.0' });
  });

  it('gives the default for a DEFAULT value, whatever it holds', () => {
    const stored = storedParameters('Fleet.3', {
      maxCriticalPatchAgeDays: { ValueType: 'DEFAULT', Value: { Integer: 30 } },
    });
    assert.deepEqual(effectiveParameters(control('Fleet.3'), stored), { maxCriticalPatchAgeDays: 7 });
  });

  it('gives the default for a CUSTOM value of the wrong type', () => {
    const stored = storedParameters('Fleet.5', {
      maxPatchScanAgeDays: { ValueType: 'CUSTOM', Value: { String: '30' } },
    });
    assert.deepEqual(effectiveParameters(control('Fleet.5'), stored), { maxPatchScanAgeDays: 7 });
  });

  it('ignores stored values of parameters the control does not have', () => {
    const stored = storedParameters('Fleet.5', { unknown: { ValueType: 'CUSTOM', Value: { Integer: 1 } } });
    assert.deepEqual(effectiveParameters(control('Fleet.5'), stored), { maxPatchScanAgeDays: 7 });
  });
});
