/** Product integrations: the catalogue and which products may import findings into an account. */
import { type SecurityHubPage, securityHubPageOf } from '../protocols/securityhub/index.js';
import type { Ctx } from '../kernel/index.js';
import { conflict, invalidInput, notFound } from '../kernel/index.js';
import { isDefaultProduct, parseProductArn } from './product-arn.js';
import {
  catalogProductArn,
  findCatalogProduct,
  productCatalog,
  type CatalogProduct,
} from './product-catalog.js';
import type { ProductSubscriptionsStore } from './product-subscriptions-store.js';

/** A catalogue product with its ARN in the caller's Region. */
export interface Product extends CatalogProduct {
  productArn: string;
}

/** The subscription ARN of a product for an account. */
export function productSubscriptionArn(region: string, accountId: string, product: CatalogProduct): string {
  return `arn:aws:securityhub:${region}:${accountId}:product-subscription/${product.companyId}/${product.productId}`;
}

/** Owns the product rules: only catalogue products of the caller's Region, each enabled at most once. */
export class ProductsService {
  constructor(private readonly subscriptions: ProductSubscriptionsStore) {}

  /** DescribeProducts: the catalogue in the caller's Region, or the one product asked for (none if unknown). */
  describe(
    ctx: Ctx,
    input: { productArn: string | undefined; nextToken: string | undefined; maxResults: number | undefined },
  ): SecurityHubPage<Product> {
    const products = productCatalog
      .map((product) => ({ ...product, productArn: catalogProductArn(product, ctx.region) }))
      .filter((product) => input.productArn === undefined || product.productArn === input.productArn);
    return securityHubPageOf(products, input, input.productArn ?? null);
  }

  /** EnableImportFindingsForProduct: returns the new subscription ARN. */
  async enable(ctx: Ctx, productArn: string): Promise<string> {
    const arn = parseProductArn(productArn);
    if (arn === undefined) throw invalidInput(`ProductArn: ${productArn} is not a valid product ARN`);
    if (isDefaultProduct(arn, ctx.region, ctx.accountId)) {
      throw conflict(`Import of findings from the default product ${productArn} is always enabled`);
    }
    const product = findCatalogProduct(arn.companyId, arn.productId);
    if (product === undefined || catalogProductArn(product, ctx.region) !== productArn) {
      throw invalidInput(`ProductArn: ${productArn} is not a product available in ${ctx.region}`);
    }
    if (
      (await this.subscriptions.findByProduct(ctx.tx, ctx.accountId, ctx.region, productArn)) !== undefined
    ) {
      throw conflict(`Import of findings from product ${productArn} is already enabled`);
    }
    const subscriptionArn = productSubscriptionArn(ctx.region, ctx.accountId, product);
    await this.subscriptions.insert(ctx.tx, {
      subscriptionArn,
      accountId: ctx.accountId,
      region: ctx.region,
      productArn,
      createdAt: ctx.now,
    });
    return subscriptionArn;
  }

  /** DisableImportFindingsForProduct: takes the subscription ARN or the product ARN. */
  async disable(ctx: Ctx, arn: string): Promise<void> {
    const all = await this.subscriptions.list(ctx.tx, ctx.accountId, ctx.region);
    const subscription = all.find((s) => s.subscriptionArn === arn || s.productArn === arn);
    if (subscription === undefined) throw notFound(`Product subscription ${arn} not found`);
    await this.subscriptions.delete(ctx.tx, subscription.subscriptionArn);
  }

  /** ListEnabledProductsForImport: the caller's subscription ARNs. */
  async listEnabled(
    ctx: Ctx,
    input: { nextToken: string | undefined; maxResults: number | undefined },
  ): Promise<SecurityHubPage<string>> {
    const all = await this.subscriptions.list(ctx.tx, ctx.accountId, ctx.region);
    return securityHubPageOf(
      all.map((s) => s.subscriptionArn),
      input,
    );
  }
}
