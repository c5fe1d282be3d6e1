/** One API call as the audit trail records it, and the pure rules that shape what is recorded. */

/** CloudTrail `userIdentity.type` values Bulwark produces. */
export type IdentityType = 'IAMUser' | 'Root' | 'AssumedRole' | 'AWSService' | 'Unknown';

/** Who made the call, as far as the server could tell (an unverified signature leaves only the key). */
export interface AuditIdentity {
  type: IdentityType;
  principalId: string | undefined;
  arn: string | undefined;
  /** The account that owns the key (also for a call whose signature failed). */
  accountId: string | undefined;
  accessKeyId: string | undefined;
  userName: string | undefined;
}

/** A resource the call referenced, CloudTrail-style (`AWS::SecurityHub::Hub`, its ARN). */
export interface AuditResource {
  type: string;
  name: string;
}

/** One API call, successful or not. */
export interface AuditEntry {
  eventId: string;
  requestId: string;
  eventTime: Date;
  eventSource: string;
  eventName: string;
  region: string | undefined;
  sourceIp: string;
  userAgent: string;
  identity: AuditIdentity;
  readOnly: boolean;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  /** Already compacted with {@link compactParameters}; undefined when the input was never validated. */
  requestParameters: unknown;
  /** A small summary of the response, or undefined. */
  responseElements: unknown;
  resource: AuditResource | undefined;
  /** True on a call made from the web console with a session (CloudTrail's `sessionCredentialFromConsole`). */
  sessionCredentialFromConsole?: boolean;
}

/** Whether an operation only reads (CloudTrail's `readOnly`), judged by its verb. */
export function isReadOnlyEventName(eventName: string): boolean {
  return /^(Get|List|Describe|Lookup|BatchGet|Search)/.test(eventName);
}

/** The identity type an IAM ARN denotes. */
export function identityTypeOf(arn: string | undefined): IdentityType {
  if (arn === undefined) return 'Unknown';
  if (/:root$/.test(arn)) return 'Root';
  if (/:assumed-role\//.test(arn)) return 'AssumedRole';
  if (/:user\//.test(arn)) return 'IAMUser';
  return 'Unknown';
}

const serviceNames = new Map<string, string>(
  Object.entries({
    securityhub: 'SecurityHub',
    cloudtrail: 'CloudTrail',
    ssm: 'SSM',
    'ssm-contacts': 'SSMContacts',
    'ssm-incidents': 'SSMIncidents',
  }),
);

const pascal = (text: string): string =>
  text
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** The CloudTrail resource for an ARN the call was authorized against (`*` and non-ARNs name none). */
export function resourceOfArn(arn: string): AuditResource | undefined {
  const parts = /^arn:[^:]+:([^:]+):[^:]*:[^:]*:([^/:]+)[/:]/.exec(arn);
  if (parts === null) return undefined;
  const service = parts[1] ?? '';
  return {
    type: `AWS::${serviceNames.get(service) ?? pascal(service)}::${pascal(parts[2] ?? '')}`,
    name: arn,
  };
}

/** The value CloudTrail shows in place of a secret. */
export const hiddenValue = 'HIDDEN_DUE_TO_SECURITY_REASONS';

const secretKey =
  /secret|password|passphrase|private.?key|credential|authorization|session.?token|activation.?code/i;
const maxString = 1024;
const maxItems = 50;
const maxDepth = 8;
/** Upper bound of the stored requestParameters JSON; larger inputs keep only their shape. */
export const maxParametersBytes = 16 * 1024;

function compact(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > maxString ? `${value.slice(0, maxString)}…` : value;
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (depth >= maxDepth) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, maxItems).map((item: unknown) => compact(item, depth + 1));
    if (value.length > maxItems) items.push(`…(${value.length - maxItems} more)`);
    return items;
  }
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    out[key] = secretKey.test(key) ? hiddenValue : compact(member, depth + 1);
  }
  return out;
}

/**
 * What an audit record keeps of a call's input: secrets hidden, long strings and lists truncated, and at most
 * {@link maxParametersBytes} of JSON (beyond that only the top-level member names and list sizes).
 */
export function compactParameters(input: unknown): unknown {
  if (input === undefined) return undefined;
  const compacted = compact(input, 0);
  if (JSON.stringify(compacted).length <= maxParametersBytes) return compacted;
  if (compacted === null || typeof compacted !== 'object' || Array.isArray(compacted)) {
    return { truncated: true };
  }
  const shape: Record<string, unknown> = { truncated: true };
  for (const [key, member] of Object.entries(compacted)) {
    shape[key] = Array.isArray(member) ? { count: member.length } : typeof member === 'object' ? '…' : member;
  }
  return shape;
}

/**
 * CloudTrail's responseElements: null for reads; for writes the response's scalar members (counts, ids, ARNs),
 * never its lists or documents.
 */
export function summarizeResponse(readOnly: boolean, result: unknown): unknown {
  if (readOnly || result === null || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const summary: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(result)) {
    if (typeof member === 'number' || typeof member === 'boolean') summary[key] = member;
    else if (typeof member === 'string' && member.length <= 256 && !secretKey.test(key))
      summary[key] = member;
  }
  return Object.keys(summary).length === 0 ? undefined : summary;
}
