/** The AWS Systems Manager (SSM) awsJson1_1 service: its target prefix, validation errors and wire helpers. */
import type { z } from 'zod';
import type { AwsJsonService } from '../../protocols/index.js';
import { ApiError } from '../../kernel/index.js';
import type { SsmExceptionName } from './ssm-errors.js';

const lowerCamel = (segment: string | number): string =>
  typeof segment === 'number' ? `${segment + 1}` : segment.charAt(0).toLowerCase() + segment.slice(1);

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function constraintOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string'
        ? `Member must have length less than or equal to ${String(issue.maximum)}`
        : issue.origin === 'array'
          ? `Member must have length less than or equal to ${String(issue.maximum)}`
          : `Member must have value less than or equal to ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `Member must have length greater than or equal to ${String(issue.minimum)}`
        : `Member must have value greater than or equal to ${String(issue.minimum)}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `Member must satisfy regular expression pattern: ${String(issue.pattern)}`
        : `Member must be a valid ${issue.format}`;
    case 'invalid_value':
      return `Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
    case 'invalid_type':
      return issue.input === undefined
        ? 'Member must not be null'
        : `Member must be of type ${issue.expected}`;
    default:
      return `Member ${issue.message}`;
  }
}

/** SSM's answer to a model-constraint violation: `ValidationException` in AWS's wording. */
export function ssmValidationError(issue: z.core.$ZodIssue | undefined, input: unknown): ApiError {
  if (issue === undefined)
    return new ApiError('InvalidInput', 'The request is invalid', 'ValidationException');
  if (issue.code === 'custom') return new ApiError('InvalidInput', issue.message, 'ValidationException');
  const value = valueAt(input, issue.path);
  const shown =
    value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  const path = issue.path.map((segment) => lowerCamel(segment as string | number)).join('.');
  return new ApiError(
    'InvalidInput',
    `1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraintOf(issue)}`,
    'ValidationException',
  );
}

/** The SSM service description shared by every SSM capability (fleet, compliance, patching, documents, …). */
export const ssmService: AwsJsonService = {
  targetPrefix: 'AmazonSSM',
  signingName: 'ssm',
  validationError: ssmValidationError,
};

/** An SSM-modeled error (always 400 on the wire), e.g. `ssmError('InvalidInstanceId', '…')`. */
export function ssmError(exceptionName: SsmExceptionName, message: string): ApiError {
  return new ApiError('InvalidInput', message, exceptionName);
}

/** SSM timestamps are epoch seconds (JSON numbers, fractional allowed). */
export function toEpochSeconds(date: Date): number {
  return date.getTime() / 1000;
}
