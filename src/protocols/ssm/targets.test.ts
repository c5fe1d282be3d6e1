import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesTargets, rolloutPercentKey, rolloutPosition, targetsProblem } from './targets.js';

const ids = Array.from({ length: 2000 }, (_, i) => `mi-${i.toString(16).padStart(17, '0')}`);
const ring = (percent: number, tags: Record<string, string> = {}): string[] =>
  ids.filter((id) => matchesTargets([{ key: rolloutPercentKey, values: [String(percent)] }], id, tags));

describe('targets', () => {
  it('AND across keys, OR across one key’s values', () => {
    const tags = { Env: 'prod', Role: 'web' };
    assert.equal(matchesTargets([{ key: 'tag:Env', values: ['staging', 'prod'] }], 'mi-1', tags), true);
    assert.equal(
      matchesTargets(
        [
          { key: 'tag:Env', values: ['prod'] },
          { key: 'tag-key', values: ['Owner'] },
        ],
        'mi-1',
        tags,
      ),
      false,
    );
    assert.equal(matchesTargets([{ key: 'InstanceIds', values: ['mi-1'] }], 'mi-1', {}), true);
  });

  it('rollout rings: stable, nested, and about the asked share of the fleet', () => {
    const ten = ring(10);
    const fifty = ring(50);
    assert.ok(ten.length > 140 && ten.length < 260, `10 % ring has ${ten.length} of 2000`);
    assert.ok(fifty.length > 880 && fifty.length < 1120, `50 % ring has ${fifty.length} of 2000`);
    assert.ok(
      ten.every((id) => fifty.includes(id)),
      'the 10 % ring lies inside the 50 % ring',
    );
    assert.equal(ring(100).length, ids.length);
    assert.equal(rolloutPosition(ids[7] ?? ''), rolloutPosition(ids[7] ?? ''));
    // Combined with a tag: the ring of the tagged nodes only.
    const web = ids.filter((id) =>
      matchesTargets(
        [
          { key: 'tag:Role', values: ['web'] },
          { key: rolloutPercentKey, values: ['10'] },
        ],
        id,
        { Role: 'web' },
      ),
    );
    assert.deepEqual(web, ten);
  });

  it('refuses malformed targets', () => {
    assert.match(targetsProblem([{ key: rolloutPercentKey, values: ['0'] }]) ?? '', /1 to 100/);
    assert.match(targetsProblem([{ key: rolloutPercentKey, values: ['10', '20'] }]) ?? '', /one value/);
    assert.match(targetsProblem([{ key: 'color', values: ['blue'] }]) ?? '', /not InstanceIds/);
    assert.match(targetsProblem([{ key: 'resource-groups:Name', values: ['g'] }]) ?? '', /resource groups/);
    assert.match(targetsProblem([]) ?? '', /at least one/);
    assert.equal(targetsProblem([{ key: rolloutPercentKey, values: ['25'] }]), undefined);
  });
});
