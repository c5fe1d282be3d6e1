/**
 * awsJson1_1 routing: `POST /` with `X-Amz-Target: <TargetPrefix>.<Operation>` to an operation. Serves any
 * awsJson service (CloudTrail now, SSM and SSM Contacts later): routes name their full target.
 */
import { ApiError } from '../kernel/index.js';
import type { Operation } from '../protocols/operation.js';
import type { AwsJsonRoute } from '../protocols/aws-json-route.js';

/** Maps X-Amz-Target values to operations. */
export class AwsJsonRouter {
  private readonly routes: Map<string, Operation>;

  constructor(routes: readonly AwsJsonRoute[]) {
    this.routes = new Map(routes.map((route) => [route.target, route.operation]));
  }

  /**
   * The operation for a request carrying `target`; UnknownOperation (400 in this protocol) otherwise, also for a
   * request posted to a path other than `/` (an endpoint URL configured with a path).
   */
  match(method: string, target: string, rawPath = '/'): Operation {
    const operation = method === 'POST' ? this.routes.get(target.trim()) : undefined;
    if (operation === undefined) {
      throw new ApiError('UnknownOperation', `Unknown operation ${method} ${target}`);
    }
    if (rawPath !== '/') {
      throw new ApiError(
        'UnknownOperation',
        `${target.trim()} is served at POST /, not POST ${rawPath}: the endpoint URL must have no path ` +
          `(use http://host:port, not http://host:port${rawPath})`,
      );
    }
    return operation;
  }

  /** The operation `name` of the service whose audit event source is `eventSource`, if Bulwark serves it. */
  find(eventSource: string, name: string): Operation | undefined {
    for (const operation of this.routes.values()) {
      if (operation.eventSource === eventSource && operation.name === name) return operation;
    }
    return undefined;
  }

  /** The audit event source of the service `target` addresses, when Bulwark serves that service. */
  eventSourceOf(target: string): string | undefined {
    const prefix = target.trim().split('.').slice(0, -1).join('.');
    for (const [known, operation] of this.routes) {
      if (known.startsWith(`${prefix}.`)) return operation.eventSource;
    }
    return undefined;
  }
}
