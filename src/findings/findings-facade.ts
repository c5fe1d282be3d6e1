/** The reads other capabilities make of Security Hub: which hubs are enabled, their settings, suppressed findings. */
import type { DbExecutor } from '../storage/database.js';
import type { HubStore } from './hub-store.js';

type Scope = { accountId: string; region: string };

/** The hub settings other capabilities act on. */
export interface HubSettings {
  controlFindingGenerator: 'STANDARD_CONTROL' | 'SECURITY_CONTROL';
  autoEnableControls: boolean;
}

/** Read-only queries over hubs and stored findings, for other capabilities. */
export interface HubFacts {
  /** The scope's hub settings; undefined when Security Hub is not enabled there. */
  hubSettings(db: DbExecutor, scope: Scope): Promise<HubSettings | undefined>;
  /** Every account and Region with Security Hub enabled. */
  enabledScopes(db: DbExecutor): Promise<Scope[]>;
  /** Which of a product's findings (by Id) are stored with workflow status SUPPRESSED. */
  suppressedFindingIds(
    db: DbExecutor,
    scope: Scope,
    productArn: string,
    findingIds: readonly string[],
  ): Promise<Set<string>>;
}

/** Security Hub's queries over its stores. */
export function hubFacts(hubs: HubStore): HubFacts {
  return {
    async hubSettings(db, scope) {
      const hub = await hubs.find(db, scope.accountId, scope.region);
      return hub === undefined
        ? undefined
        : {
            controlFindingGenerator: hub.controlFindingGenerator,
            autoEnableControls: hub.autoEnableControls,
          };
    },
    enabledScopes: (db) => hubs.list(db),
    // The workflow column, not the documents: the security score (and the overview) ask for every control
    // result of the account at once.
    async suppressedFindingIds(db, scope, productArn, findingIds) {
      const productFindings = db
        .selectFrom('findings')
        .select('finding_id')
        .where('aws_account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('product_arn', '=', productArn)
        .where('workflow_status', '=', 'SUPPRESSED');
      // Many ids (the security score asks for every control result at once): one range of the identity index
      // over the product's findings beats hundreds of IN lists; a few ids: look them up.
      if (findingIds.length > 500) {
        const wanted = new Set(findingIds);
        const rows = await productFindings.execute();
        return new Set(rows.map((row) => row.finding_id).filter((id) => wanted.has(id)));
      }
      if (findingIds.length === 0) return new Set();
      const rows = await productFindings.where('finding_id', 'in', [...findingIds]).execute();
      return new Set(rows.map((row) => row.finding_id));
    },
  };
}
