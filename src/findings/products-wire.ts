/** Request schemas and response shapes of the product operations (spec §8). */
import { z } from 'zod';
import type { Product } from './products-service.js';
import { nextTokenSchema, nonEmptyStringSchema } from './findings-wire.js';

const productArn = nonEmptyStringSchema.max(2048);
const maxResults = z.number({ error: 'must be an integer' }).int().min(1).max(100).optional();

export const describeProductsSchema = z.object({
  NextToken: nextTokenSchema,
  MaxResults: maxResults,
  ProductArn: productArn.optional(),
});

export const enableImportFindingsForProductSchema = z.object({ ProductArn: productArn });

export const disableImportFindingsForProductSchema = z.object({ ProductSubscriptionArn: productArn });

export const listEnabledProductsForImportSchema = z.object({
  NextToken: nextTokenSchema,
  MaxResults: maxResults,
});

/** The wire Product. */
export function toWireProduct(product: Product): Record<string, unknown> {
  return {
    ProductArn: product.productArn,
    ProductName: product.productName,
    CompanyName: product.companyName,
    Description: product.description,
    Categories: product.categories,
    IntegrationTypes: product.integrationTypes,
  };
}
