/** The restJson1 routes of TagResource, UntagResource and ListTagsForResource. */
import { bodyWithLabels, securityHubOperation } from '../protocols/securityhub/index.js';
import type { RestRoute } from '../protocols/index.js';
import type { HubService } from './hub-service.js';
import type { TagsService } from './tags-service.js';
import { listTagsForResourceSchema, tagResourceSchema, untagResourceSchema } from './tags-wire.js';

// The label is modeled non-greedy (SDKs send `/` as %2F); the greedy form also accepts clients that do not.
const path = '/tags/{ResourceArn+}';

/** Routes for the tagging operations; they model no InvalidAccess, so they do not require the hub. */
export function tagsRoutes(hub: HubService, tags: TagsService): RestRoute[] {
  return [
    {
      method: 'POST',
      path,
      operation: securityHubOperation(hub, {
        name: 'TagResource',
        schema: tagResourceSchema,
        input: bodyWithLabels,
        requiresHub: false,
        resource: (_scope, input) => input.ResourceArn,
        handle: async (ctx, input) => {
          await tags.tag(ctx, input.ResourceArn, input.Tags);
          return {};
        },
      }),
    },
    {
      method: 'DELETE',
      path,
      operation: securityHubOperation(hub, {
        name: 'UntagResource',
        schema: untagResourceSchema,
        input: (request) => ({ ...request.labels, TagKeys: request.query.getAll('tagKeys') }),
        requiresHub: false,
        resource: (_scope, input) => input.ResourceArn,
        handle: async (ctx, input) => {
          await tags.untag(ctx, input.ResourceArn, input.TagKeys);
          return {};
        },
      }),
    },
    {
      method: 'GET',
      path,
      operation: securityHubOperation(hub, {
        name: 'ListTagsForResource',
        schema: listTagsForResourceSchema,
        input: (request) => request.labels,
        requiresHub: false,
        resource: (_scope, input) => input.ResourceArn,
        handle: async (ctx, input) => ({ Tags: await tags.list(ctx, input.ResourceArn) }),
      }),
    },
  ];
}
