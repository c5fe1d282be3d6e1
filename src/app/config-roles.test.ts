import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';

describe('config: roles and retention', () => {
  it('defaults to every role and 90 days', () => {
    const config = loadConfig({}, {}, undefined);
    assert.deepEqual(config.roles, ['api', 'worker', 'scheduler']);
    assert.equal(config.retentionDays, 90);
  });

  it('takes roles repeated, comma-separated, or from BULWARK_ROLES, and retention from the environment', () => {
    assert.deepEqual(loadConfig({ roles: ['api', 'worker,scheduler'] }, {}, undefined).roles, [
      'api',
      'worker',
      'scheduler',
    ]);
    assert.deepEqual(loadConfig({}, { BULWARK_ROLES: 'worker' }, undefined).roles, ['worker']);
    assert.equal(loadConfig({}, { BULWARK_RETENTION_DAYS: '0' }, undefined).retentionDays, 0);
    assert.throws(() => loadConfig({ roles: 'web' }, {}, undefined), /roles/);
  });
});
