/** CloudTrail LookupEvents (§B.2) over the audit trail: the caller's own account, newest first. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AwsJsonRoute, Operation } from '../protocols/index.js';
import { cloudTrailError, cloudTrailOperationName, cloudTrailRoutes } from '../protocols/cloudtrail/index.js';
import { toLookupEvent } from './cloudtrail-event.js';
import type { AuditStore, LookupAttributeKey } from './audit-store.js';

const lookupKeys = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const satisfies readonly LookupAttributeKey[];

/** awsJson timestamps are epoch seconds; ISO-8601 strings are accepted too. */
const timestamp = z.union([z.number(), z.string()]).transform((value, context) => {
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    context.addIssue({ code: 'custom', message: 'is not a timestamp' });
    return z.NEVER;
  }
  return date;
});

const lookupEventsSchema = z.object({
  LookupAttributes: z.array(z.object({ AttributeKey: z.string(), AttributeValue: z.string() })).optional(),
  StartTime: timestamp.optional(),
  EndTime: timestamp.optional(),
  EventCategory: z.string().optional(),
  MaxResults: z.number().optional(),
  NextToken: z.string().optional(),
});

/** A validated LookupEvents request. */
export interface LookupEventsInput {
  attribute: { key: LookupAttributeKey; value: string } | undefined;
  startTime: Date | undefined;
  endTime: Date | undefined;
  maxResults: number;
  after: { eventTime: number; seq: number } | undefined;
  fingerprint: string;
}

interface PageToken {
  t: number;
  s: number;
  q: string;
}

function isPageToken(value: unknown): value is PageToken {
  if (typeof value !== 'object' || value === null) return false;
  const token = value as Partial<Record<keyof PageToken, unknown>>;
  return Number.isSafeInteger(token.t) && Number.isSafeInteger(token.s) && typeof token.q === 'string';
}

/** The one lookup attribute of a request, checked against CloudTrail's keys and value limits. */
function lookupAttributeOf(
  only: { AttributeKey: string; AttributeValue: string } | undefined,
): LookupEventsInput['attribute'] {
  if (only === undefined) return undefined;
  const key = lookupKeys.find((k) => k === only.AttributeKey);
  if (key === undefined) {
    throw cloudTrailError(
      'InvalidLookupAttributesException',
      `Invalid AttributeKey: ${only.AttributeKey}. Valid keys: ${lookupKeys.join(', ')}`,
    );
  }
  if (only.AttributeValue.length < 1 || only.AttributeValue.length > 2000) {
    throw cloudTrailError('InvalidLookupAttributesException', 'AttributeValue must be 1 to 2000 characters.');
  }
  return { key, value: only.AttributeValue };
}

/** Where the page a NextToken names starts; the token must have been issued for the same parameters. */
function pageAfter(nextToken: string, fingerprint: string): LookupEventsInput['after'] {
  let token: unknown;
  try {
    token = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'));
  } catch {
    token = undefined;
  }
  // Any JSON may decode from a caller's token (null, a number, a list): only a well-formed one is a page.
  if (!isPageToken(token) || token.q !== fingerprint) {
    throw cloudTrailError(
      'InvalidNextTokenException',
      'Invalid NextToken: it is malformed or was issued for different parameters.',
    );
  }
  return { eventTime: token.t, seq: token.s };
}

/** Validates LookupEvents input with CloudTrail's own exceptions. */
export function parseLookupEventsInput(body: unknown): LookupEventsInput {
  const parsed = lookupEventsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    const exception =
      path.startsWith('StartTime') || path.startsWith('EndTime')
        ? 'InvalidTimeRangeException'
        : path.startsWith('LookupAttributes')
          ? 'InvalidLookupAttributesException'
          : 'InvalidParameterException';
    throw cloudTrailError(exception, `${path === '' ? 'Request' : path}: ${issue?.message ?? 'is invalid'}`);
  }
  const input = parsed.data;
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length > 1) {
    throw cloudTrailError(
      'InvalidLookupAttributesException',
      'You cannot specify more than one lookup attribute.',
    );
  }
  const attribute = lookupAttributeOf(attributes[0]);
  if (input.EventCategory !== undefined) {
    throw cloudTrailError(
      'InvalidEventCategoryException',
      `Event category ${input.EventCategory} is not supported: Bulwark records no Insights events.`,
    );
  }
  const maxResults = input.MaxResults ?? 50;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) {
    throw cloudTrailError('InvalidMaxResultsException', 'MaxResults must be an integer from 1 to 50.');
  }
  if (input.StartTime !== undefined && input.EndTime !== undefined && input.StartTime > input.EndTime) {
    throw cloudTrailError('InvalidTimeRangeException', 'StartTime must not be after EndTime.');
  }
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        attribute?.key,
        attribute?.value,
        input.StartTime?.getTime(),
        input.EndTime?.getTime(),
      ]),
    )
    .digest('base64url')
    .slice(0, 16);
  const after = input.NextToken === undefined ? undefined : pageAfter(input.NextToken, fingerprint);
  return { attribute, startTime: input.StartTime, endTime: input.EndTime, maxResults, after, fingerprint };
}

/** The LookupEvents operation. */
export function lookupEventsOperation(store: AuditStore): Operation {
  return {
    ...cloudTrailOperationName('LookupEvents'),
    prepare(request) {
      const input = parseLookupEventsInput(request.body);
      return {
        resource: () => '*',
        requestParameters: () => ({
          ...(input.attribute === undefined
            ? {}
            : {
                lookupAttributes: [
                  { attributeKey: input.attribute.key, attributeValue: input.attribute.value },
                ],
              }),
          ...(input.startTime === undefined ? {} : { startTime: input.startTime.toISOString() }),
          ...(input.endTime === undefined ? {} : { endTime: input.endTime.toISOString() }),
          maxResults: input.maxResults,
        }),
        run: async (ctx) => {
          const rows = await store.query(ctx.tx, {
            accountId: ctx.accountId,
            attributes: input.attribute === undefined ? {} : { [input.attribute.key]: input.attribute.value },
            startTime: input.startTime,
            endTime: input.endTime,
            after: input.after,
            limit: input.maxResults + 1,
          });
          const page = rows.slice(0, input.maxResults);
          const last = page[page.length - 1];
          const more = rows.length > input.maxResults && last !== undefined;
          const token: PageToken | undefined = more
            ? { t: Number(last.event_time), s: Number(last.seq), q: input.fingerprint }
            : undefined;
          return {
            Events: page.map(toLookupEvent),
            ...(token === undefined
              ? {}
              : { NextToken: Buffer.from(JSON.stringify(token)).toString('base64url') }),
          };
        },
      };
    },
  };
}

/** The audit capability's CloudTrail routes (LookupEvents). */
export function auditRoutes(store: AuditStore): AwsJsonRoute[] {
  return cloudTrailRoutes([lookupEventsOperation(store)]);
}
