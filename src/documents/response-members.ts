/**
 * Response members derived from a list operation's page, for operations that answer with the same page twice
 * (DescribeDocumentPermission's AccountIds beside AccountSharingInfoList).
 */
import type { AwsJsonRoute } from '../protocols/index.js';

/** `route` answering with the members `derive` computes from its response added. */
export function withDerivedMembers(
  route: AwsJsonRoute,
  derive: (response: Record<string, unknown>) => Record<string, unknown>,
): AwsJsonRoute {
  const { operation } = route;
  return {
    ...route,
    operation: {
      ...operation,
      prepare(request) {
        const call = operation.prepare(request);
        return {
          ...call,
          run: async (ctx) => {
            const response = (await call.run(ctx)) as Record<string, unknown>;
            return { ...derive(response), ...response };
          },
        };
      },
    },
  };
}
