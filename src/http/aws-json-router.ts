/**
 * awsJson1_1 routing: `POST /` with `X-Amz-Target: <TargetPrefix>.<Operation>` to an operation. Serves any
 * awsJson service (CloudTrail now, SSM and SSM Contacts later): routes name their full target.
 */
import { ApiError } from './errors.js';
import type { Operation } from './operation.js';

/** One row of an awsJson route table. */
export interface AwsJsonRoute {
  /** e.g. `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`. */
  target: string;
  operation: Operation;
}

/** The content type of awsJson1_1 requests and responses. */
export const awsJson11ContentType = 'application/x-amz-json-1.1';

/** Maps X-Amz-Target values to operations. */
export class AwsJsonRouter {
  private readonly routes: Map<string, Operation>;

  constructor(routes: readonly AwsJsonRoute[]) {
    this.routes = new Map(routes.map((route) => [route.target, route.operation]));
  }

  /** The operation for a request carrying `target`; UnknownOperation (400 in this protocol) otherwise. */
  match(method: string, target: string): Operation {
    const operation = method === 'POST' ? this.routes.get(target.trim()) : undefined;
    if (operation === undefined) {
      throw new ApiError('UnknownOperation', `Unknown operation ${method} ${target}`);
    }
    return operation;
  }
}
