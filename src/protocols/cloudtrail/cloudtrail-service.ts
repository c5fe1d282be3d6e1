/** The AWS CloudTrail awsJson1_1 service: its target prefixes, IAM action and event source, and modeled errors. */
import { ApiError } from '../../kernel/index.js';
import type { AwsJsonRoute, Operation } from '../index.js';
import type { CloudTrailExceptionName } from './cloudtrail-errors.js';

/** The CloudTrail awsJson1_1 target prefix the aws CLI sends. */
export const cloudTrailTargetPrefix = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

/** The short target prefix the JavaScript SDK sends. */
const shortTargetPrefix = 'CloudTrail_20131101';

/** The name, IAM action and audit source of a CloudTrail operation. */
export function cloudTrailOperationName(name: string): Pick<Operation, 'name' | 'action' | 'eventSource'> {
  return { name, action: `cloudtrail:${name}`, eventSource: 'cloudtrail.amazonaws.com' };
}

/**
 * The routes of CloudTrail operations. Each answers both target forms: the aws CLI sends the full `com.amazonaws…`
 * prefix, the JavaScript SDK the short `CloudTrail_20131101` one.
 */
export function cloudTrailRoutes(operations: readonly Operation[]): AwsJsonRoute[] {
  return operations.flatMap((operation) => [
    { target: `${cloudTrailTargetPrefix}.${operation.name}`, operation },
    { target: `${shortTargetPrefix}.${operation.name}`, operation },
  ]);
}

/** A CloudTrail-modeled error (always 400 on the wire), e.g. `cloudTrailError('InvalidTimeRangeException', '…')`. */
export function cloudTrailError(exceptionName: CloudTrailExceptionName, message: string): ApiError {
  return new ApiError('InvalidInput', message, exceptionName);
}
