/** Renders stored audit rows as CloudTrail events (§B.1), at read time so the append stays small. */
import type { AuditRow } from './chain.js';

/** CloudTrail event version Bulwark writes. */
export const eventVersion = '1.11';

const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

/** The CloudTrail record of one audit row. */
export function toCloudTrailEvent(row: AuditRow): Record<string, unknown> {
  const identity: Record<string, unknown> = {
    type: row.identity_type ?? (row.principal_arn === null ? 'Unknown' : 'IAMUser'),
  };
  if (row.principal_id !== null) identity['principalId'] = row.principal_id;
  if (row.principal_arn !== null) identity['arn'] = row.principal_arn;
  if (row.account_id !== null) identity['accountId'] = row.account_id;
  if (row.access_key_id !== null) identity['accessKeyId'] = row.access_key_id;
  if (row.user_name !== null) identity['userName'] = row.user_name;
  const event: Record<string, unknown> = {
    eventVersion,
    userIdentity: identity,
    eventTime: new Date(Number(row.event_time)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: row.event_source,
    eventName: row.action,
    awsRegion: row.region ?? 'us-east-1',
    sourceIPAddress: row.source_ip,
    userAgent: row.user_agent,
  };
  if (row.error_code !== null) event['errorCode'] = row.error_code;
  if (row.error_message !== null) event['errorMessage'] = row.error_message;
  Object.assign(event, {
    requestParameters: parse(row.request_parameters),
    responseElements: parse(row.response_elements),
    requestID: row.request_id,
    eventID: row.event_id ?? `legacy-${Number(row.seq)}`,
    readOnly: row.read_only === null ? undefined : Number(row.read_only) === 1,
    ...(row.resource_name === null
      ? {}
      : {
          resources: [
            {
              ARN: row.resource_name,
              accountId: row.account_id ?? undefined,
              type: row.resource_type ?? undefined,
            },
          ],
        }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: row.account_id ?? undefined,
    eventCategory: 'Management',
  });
  // CloudTrail's marker of a call made with the credentials of an AWS console session (a string, as CloudTrail writes it).
  if (row.from_console !== null && Number(row.from_console) === 1)
    event['sessionCredentialFromConsole'] = 'true';
  return event;
}

/** One `Events[]` member of LookupEvents (awsJson: EventTime in epoch seconds). */
export function toLookupEvent(row: AuditRow): Record<string, unknown> {
  return {
    EventId: row.event_id ?? `legacy-${Number(row.seq)}`,
    EventName: row.action,
    ReadOnly: Number(row.read_only) === 1 ? 'true' : 'false',
    ...(row.access_key_id === null ? {} : { AccessKeyId: row.access_key_id }),
    EventTime: Number(row.event_time) / 1000,
    EventSource: row.event_source,
    ...(row.user_name === null ? {} : { Username: row.user_name }),
    Resources:
      row.resource_name === null
        ? []
        : [{ ResourceType: row.resource_type ?? undefined, ResourceName: row.resource_name }],
    CloudTrailEvent: JSON.stringify(toCloudTrailEvent(row)),
  };
}

/** One line of `bulwark audit export --format jsonl`: the CloudTrail event with its chain fields. */
export function toExportLine(row: AuditRow): string {
  return JSON.stringify({
    ...toCloudTrailEvent(row),
    bulwarkSequence: Number(row.seq),
    bulwarkPrevHash: row.prev_hash,
    bulwarkHash: row.hash,
  });
}
