/** The rules BatchImportFindings obeys beyond the finding itself: enabled products and automation rules. */
import type { Ctx } from '../kernel/index.js';
import type { IngestPolicy, IngestRule } from './finding-import.js';
import { isDefaultProduct, parseProductArn } from './product-arn.js';
import type { ProductSubscriptionsStore } from './product-subscriptions-store.js';

/** Supplies the enabled automation rules of an account, in evaluation order. */
export interface IngestRuleSource {
  rulesFor(ctx: Ctx): Promise<IngestRule[]>;
}

/** Product subscriptions decide imports; the rule source decides automation. */
export class StoredIngestPolicy implements IngestPolicy {
  constructor(
    private readonly subscriptions: ProductSubscriptionsStore,
    private readonly rules: IngestRuleSource,
  ) {}

  rulesFor(ctx: Ctx): Promise<IngestRule[]> {
    return this.rules.rulesFor(ctx);
  }

  async isProductEnabled(ctx: Ctx, productArn: string): Promise<boolean> {
    const arn = parseProductArn(productArn);
    if (arn !== undefined && isDefaultProduct(arn, ctx.region, ctx.accountId)) return true;
    return (
      (await this.subscriptions.findByProduct(ctx.tx, ctx.accountId, ctx.region, productArn)) !== undefined
    );
  }
}
