/** Service-test support: the findings capability's services wired as compose.ts wires them, and error assertions. */
import { MembersService, MembersStore } from '../../src/access/index.js';
import assert from 'node:assert/strict';
import { AutomationRulesService } from '../../src/findings/automation-rules-service.js';
import { AutomationRulesStore } from '../../src/findings/automation-rules-store.js';
import { FindingAggregatorService } from '../../src/findings/finding-aggregator-service.js';
import { FindingAggregatorStore } from '../../src/findings/finding-aggregator-store.js';
import { findingScope } from '../../src/findings/finding-scope.js';
import { FindingsService } from '../../src/findings/findings-service.js';
import { FindingsStore } from '../../src/findings/findings-store.js';
import { HubService } from '../../src/findings/hub-service.js';
import { HubStore } from '../../src/findings/hub-store.js';
import { StoredIngestPolicy } from '../../src/findings/ingest-policy.js';
import { InsightsService } from '../../src/findings/insights-service.js';
import { InsightsStore } from '../../src/findings/insights-store.js';
import { ProductSubscriptionsStore } from '../../src/findings/product-subscriptions-store.js';
import { ProductsService } from '../../src/findings/products-service.js';
import { TagsService } from '../../src/findings/tags-service.js';
import { ApiError, type ErrorKind } from '../../src/kernel/index.js';

/** Every findings service, sharing stores the way the composition root shares them. */
export interface FindingsServices {
  hubStore: HubStore;
  hub: HubService;
  findings: FindingsService;
  insights: InsightsService;
  products: ProductsService;
  rules: AutomationRulesService;
  tags: TagsService;
}

/** Builds the findings services over fresh stores. */
export function findingsServices(): FindingsServices {
  const hubStore = new HubStore();
  const subscriptions = new ProductSubscriptionsStore();
  const rules = new AutomationRulesService(new AutomationRulesStore(), hubStore);
  const findings = new FindingsService(
    new FindingsStore(),
    new StoredIngestPolicy(subscriptions, rules),
    findingScope(
      new MembersService(new MembersStore()),
      new FindingAggregatorService(new FindingAggregatorStore()),
    ),
  );
  const insights = new InsightsService(new InsightsStore(), findings, hubStore);
  return {
    hubStore,
    hub: new HubService(hubStore, new MembersService(new MembersStore())),
    findings,
    insights,
    products: new ProductsService(subscriptions),
    rules,
    tags: new TagsService(hubStore, insights, rules),
  };
}

/** Asserts that `call` rejects with an ApiError of `kind` (and a message matching `message`). */
export async function rejectsWith(call: Promise<unknown>, kind: ErrorKind, message?: RegExp): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected ApiError ${kind}, got ${String(error)}`);
    assert.equal(error.kind, kind, `expected ${kind}, got ${error.kind}: ${error.message}`);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}
