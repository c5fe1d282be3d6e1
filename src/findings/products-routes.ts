/** The restJson1 routes of the product integration operations. */
import {
  queryInteger,
  queryString,
  securityHubOperation,
  withNextToken,
} from '../protocols/securityhub/index.js';
import type { RestRoute } from '../protocols/index.js';
import type { HubService } from './hub-service.js';
import type { ProductsService } from './products-service.js';
import {
  describeProductsSchema,
  disableImportFindingsForProductSchema,
  enableImportFindingsForProductSchema,
  listEnabledProductsForImportSchema,
  toWireProduct,
} from './products-wire.js';

/** Routes for DescribeProducts, Enable/DisableImportFindingsForProduct and ListEnabledProductsForImport. */
export function productsRoutes(hub: HubService, products: ProductsService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/products',
      operation: securityHubOperation(hub, {
        name: 'DescribeProducts',
        schema: describeProductsSchema,
        input: (request) => ({
          NextToken: queryString(request.query, 'NextToken'),
          MaxResults: queryInteger(request.query, 'MaxResults'),
          ProductArn: queryString(request.query, 'ProductArn'),
        }),
        handle: (ctx, input) => {
          const page = products.describe(ctx, {
            productArn: input.ProductArn,
            nextToken: input.NextToken,
            maxResults: input.MaxResults,
          });
          return Promise.resolve(withNextToken({ Products: page.items.map(toWireProduct) }, page.nextToken));
        },
      }),
    },
    {
      method: 'POST',
      path: '/productSubscriptions',
      operation: securityHubOperation(hub, {
        name: 'EnableImportFindingsForProduct',
        schema: enableImportFindingsForProductSchema,
        resource: (_scope, input) => input.ProductArn,
        handle: async (ctx, input) => ({
          ProductSubscriptionArn: await products.enable(ctx, input.ProductArn),
        }),
      }),
    },
    {
      method: 'DELETE',
      path: '/productSubscriptions/{ProductSubscriptionArn+}',
      operation: securityHubOperation(hub, {
        name: 'DisableImportFindingsForProduct',
        schema: disableImportFindingsForProductSchema,
        input: (request) => request.labels,
        resource: (_scope, input) => input.ProductSubscriptionArn,
        handle: async (ctx, input) => {
          await products.disable(ctx, input.ProductSubscriptionArn);
          return {};
        },
      }),
    },
    {
      method: 'GET',
      path: '/productSubscriptions',
      operation: securityHubOperation(hub, {
        name: 'ListEnabledProductsForImport',
        schema: listEnabledProductsForImportSchema,
        input: (request) => ({
          NextToken: queryString(request.query, 'NextToken'),
          MaxResults: queryInteger(request.query, 'MaxResults'),
        }),
        handle: async (ctx, input) => {
          const page = await products.listEnabled(ctx, {
            nextToken: input.NextToken,
            maxResults: input.MaxResults,
          });
          return withNextToken({ ProductSubscriptions: page.items }, page.nextToken);
        },
      }),
    },
  ];
}
