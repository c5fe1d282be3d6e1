import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFinding, defaultProductArn } from '../../test/factories.js';
import { findingsServices } from '../../test/support/findings-services.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import type { Db } from '../storage/database.js';
import { hubFacts } from './findings-facade.js';
import { HubStore } from './hub-store.js';

const accountId = '410000000001';
const region = 'us-east-1';

describe('hubFacts.suppressedFindingIds', () => {
  let db: Db;
  const { findings } = findingsServices();
  const ids = Array.from({ length: 30 }, (_, i) => `suppression-${i}`);

  before(async () => {
    db = await openTestDatabase();
    const batch = ids.map((Id) => buildFinding({ Id }, { accountId }));
    await inCtx(db, (ctx) => findings.importFindings(ctx, batch), { accountId });
    const productArn = defaultProductArn(accountId, region);
    await inCtx(
      db,
      (ctx) =>
        findings.updateFindings(
          ctx,
          ['suppression-1', 'suppression-7', 'suppression-20'].map((Id) => ({ Id, ProductArn: productArn })),
          { Workflow: { Status: 'SUPPRESSED' } },
        ),
      { accountId },
    );
  });

  it('finds the suppressed ones among a few ids and among many (one range read)', async () => {
    const facts = hubFacts(new HubStore());
    const productArn = defaultProductArn(accountId, region);
    const few = await facts.suppressedFindingIds(db, { accountId, region }, productArn, ids.slice(0, 10));
    assert.deepEqual([...few].sort(), ['suppression-1', 'suppression-7']);
    const many = [
      ...ids.filter((id) => id !== 'suppression-20'),
      ...Array.from({ length: 600 }, (_, i) => `x-${i}`),
    ];
    const found = await facts.suppressedFindingIds(db, { accountId, region }, productArn, many);
    assert.deepEqual([...found].sort(), ['suppression-1', 'suppression-7']);
    const other = await facts.suppressedFindingIds(
      db,
      { accountId: '410000000002', region },
      productArn,
      many,
    );
    assert.deepEqual([...other], []);
  });
});
