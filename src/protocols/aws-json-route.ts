/** The awsJson1_1 route contract: a full X-Amz-Target bound to one operation. */
import type { Operation } from './operation.js';

/** One row of an awsJson route table. */
export interface AwsJsonRoute {
  /** e.g. `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`. */
  target: string;
  operation: Operation;
}

/** The content type of awsJson1_1 requests and responses. */
export const awsJson11ContentType = 'application/x-amz-json-1.1';
