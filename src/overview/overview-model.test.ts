import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { combineStandardScores, topFailingControlsOf } from './overview-model.js';

describe('overview figures', () => {
  it('sums a standard over accounts before taking its percentage', () => {
    const standard = (passed: number, failed: number, withData: number) => ({
      standardsArn: 'arn:std/a',
      name: 'A',
      passedControls: passed,
      failedControls: failed,
      controlsWithData: withData,
    });
    assert.deepEqual(combineStandardScores([[standard(3, 1, 4)], [standard(0, 2, 2)]]), [
      { standardsArn: 'arn:std/a', name: 'A', score: 50, passedControls: 3, failedControls: 3 },
    ]);
    assert.equal(combineStandardScores([[standard(0, 0, 0)]])[0]?.score, undefined);
  });

  it('ranks failing controls by failed resources over accounts, ties by id, at most the limit', () => {
    const describe = (id: string) => ({ title: `title of ${id}`, severityRating: 'HIGH' });
    const top = topFailingControlsOf(
      [
        { controlId: 'SSM.2', failedResources: 2 },
        { controlId: 'SSM.1', failedResources: 1 },
        { controlId: 'SSM.2', failedResources: 1 },
        { controlId: 'SSM.3', failedResources: 3 },
        { controlId: 'SSM.4', failedResources: 0 },
        { controlId: 'Fleet.1', failedResources: 1 },
      ],
      describe,
      3,
    );
    assert.deepEqual(
      top.map((c) => [c.controlId, c.failedResources, c.title]),
      [
        ['SSM.2', 3, 'title of SSM.2'],
        ['SSM.3', 3, 'title of SSM.3'],
        ['Fleet.1', 1, 'title of Fleet.1'],
      ],
    );
  });
});
