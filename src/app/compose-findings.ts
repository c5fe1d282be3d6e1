/** The findings half of the composition, shared by API nodes and worker nodes (which write control findings). */
import {
  AutomationRulesService,
  AutomationRulesStore,
  FindingAggregatorService,
  FindingAggregatorStore,
  FindingsService,
  FindingsStore,
  HubService,
  HubStore,
  ProductSubscriptionsStore,
  StoredIngestPolicy,
  findingScope,
} from '../findings/index.js';
import { MembersService, MembersStore } from '../access/index.js';
import type { FindingsWriter } from '../storage/findings-writer.js';

/** The findings services every node role needs. */
export interface FindingsCore {
  hubStore: HubStore;
  hub: HubService;
  members: MembersService;
  productSubscriptions: ProductSubscriptionsStore;
  automationRules: AutomationRulesService;
  aggregators: FindingAggregatorService;
  findingsStore: FindingsStore;
  findings: FindingsService;
}

export function composeFindingsCore(findingsWriter: FindingsWriter): FindingsCore {
  const hubStore = new HubStore();
  const members = new MembersService(new MembersStore());
  const hub = new HubService(hubStore, members);
  const productSubscriptions = new ProductSubscriptionsStore();
  const automationRules = new AutomationRulesService(new AutomationRulesStore(), hubStore);
  const ingestPolicy = new StoredIngestPolicy(productSubscriptions, automationRules);
  const aggregators = new FindingAggregatorService(new FindingAggregatorStore());
  const findingsStore = new FindingsStore(findingsWriter);
  const findings = new FindingsService(findingsStore, ingestPolicy, findingScope(members, aggregators));
  return {
    hubStore,
    hub,
    members,
    productSubscriptions,
    automationRules,
    aggregators,
    findingsStore,
    findings,
  };
}
