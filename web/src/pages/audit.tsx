/**
 * Audit: the verdict of the server's periodic verification of the whole trail (GetAuditTrailVerification), then
 * the trail (LookupEvents) searched by user, event name or resource and a time range.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { cloudtrail, securityhub } from '../api';
import { Alert, Empty, PageHeader, Pager, Show, useLoad, usePager, When } from '../components/ui';

/** GetAuditTrailVerification's verdict (the same for every account: no counts, no problem texts). */
interface Verdict {
  CheckedAt: string;
  Status: 'INTACT' | 'FAILED';
  SealedThrough: number;
  UnsealedTooLong: boolean;
  Overdue: boolean;
}

interface TrailEvent {
  EventId: string;
  EventName?: string;
  EventTime?: number;
  EventSource?: string;
  Username?: string;
  AccessKeyId?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  CloudTrailEvent?: string;
}

const keys = [
  { value: 'Username', label: 'User' },
  { value: 'EventName', label: 'Event name' },
  { value: 'ResourceName', label: 'Resource' },
  { value: 'EventSource', label: 'Event source' },
  { value: 'AccessKeyId', label: 'Access key' },
] as const;

interface Query {
  key: string;
  value: string;
  start: string;
  end: string;
}

function inputOf(query: Query, token: string | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = { MaxResults: 50 };
  if (query.value.trim() !== '')
    input['LookupAttributes'] = [{ AttributeKey: query.key, AttributeValue: query.value.trim() }];
  if (query.start !== '') input['StartTime'] = new Date(query.start).getTime() / 1000;
  if (query.end !== '') input['EndTime'] = new Date(query.end).getTime() / 1000;
  if (token !== undefined) input['NextToken'] = token;
  return input;
}

function consoleOrigin(event: TrailEvent): string {
  try {
    const record = JSON.parse(event.CloudTrailEvent ?? '{}') as { sessionCredentialFromConsole?: unknown };
    return record.sessionCredentialFromConsole === true || record.sessionCredentialFromConsole === 'true'
      ? 'console'
      : 'API';
  } catch {
    return '';
  }
}

/** The latest verification's verdict, or why there is none. */
function VerificationVerdict() {
  const state = useLoad(
    () => securityhub<{ Verification: Verdict | null }>('GET', '/bulwark/auditTrail/verification'),
    [],
  );
  return (
    <section aria-label="Audit trail verification" data-verification>
      <Show state={state}>
        {({ Verification: verdict }) =>
          verdict === null ? (
            <Alert kind="info">
              The audit trail has not been verified yet: a worker holding the signing key verifies it a minute
              after it starts, then every hour.
            </Alert>
          ) : (
            <>
              {verdict.Status === 'INTACT' ? (
                <Alert kind="ok">
                  Audit trail intact, verified at <When value={verdict.CheckedAt} />, sealed through #
                  {verdict.SealedThrough}.
                </Alert>
              ) : (
                <Alert>
                  Verification FAILED at <When value={verdict.CheckedAt} />: run{' '}
                  <code>bulwark audit verify</code> on the server for details.
                  {verdict.UnsealedTooLong &&
                    ' Records have stayed unsealed past the seal interval: is the audit-seal job running?'}
                </Alert>
              )}
              {verdict.Overdue && (
                <Alert kind="info">
                  This verdict is over two hours old: no worker holding the signing key has verified the trail
                  since.
                </Alert>
              )}
            </>
          )
        }
      </Show>
    </section>
  );
}

/** The audit page. */
export function AuditPage() {
  const [draft, setDraft] = useState<Query>({ key: 'Username', value: '', start: '', end: '' });
  const [query, setQuery] = useState<Query>(draft);
  const [open, setOpen] = useState<string | undefined>();
  const pager = usePager(JSON.stringify(query));
  const state = useLoad(
    () =>
      cloudtrail<{ Events: TrailEvent[]; NextToken?: string }>('LookupEvents', inputOf(query, pager.token)),
    [JSON.stringify(query), pager.token],
  );
  const set = (name: keyof Query) => (event: Event) =>
    setDraft({ ...draft, [name]: (event.target as HTMLInputElement).value });
  return (
    <>
      <PageHeader title="Audit trail" />
      <VerificationVerdict />
      <form
        class="filter-bar inline-form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(draft);
        }}
      >
        <label>
          Look up by
          <select name="attributeKey" value={draft.key} onChange={set('key')}>
            {keys.map((key) => (
              <option key={key.value} value={key.value}>
                {key.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Value
          <input name="attributeValue" value={draft.value} onInput={set('value')} />
        </label>
        <label>
          From
          <input name="startTime" type="datetime-local" value={draft.start} onInput={set('start')} />
        </label>
        <label>
          To
          <input name="endTime" type="datetime-local" value={draft.end} onInput={set('end')} />
        </label>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      <p class="muted">
        The trail is hash-chained and its digests are signed; the server verifies it hourly. Check it end to
        end yourself with <code>bulwark audit verify</code> (docs/AUDIT.md).
      </p>
      <Show state={state}>
        {(page) =>
          page.Events.length === 0 ? (
            <Empty title="No event matches">Widen the time range or clear the lookup value.</Empty>
          ) : (
            <>
              <div class="table-wrap">
                <table class="audit">
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Event</th>
                      <th scope="col">User</th>
                      <th scope="col">Resources</th>
                      <th scope="col">From</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.Events.map((event) => (
                      <Fragment key={event.EventId}>
                        <tr data-event-name={event.EventName}>
                          <td>
                            <When value={event.EventTime} />
                          </td>
                          <td>
                            <button
                              type="button"
                              class="link"
                              aria-expanded={open === event.EventId}
                              onClick={() => setOpen(open === event.EventId ? undefined : event.EventId)}
                            >
                              {event.EventName}
                            </button>
                            <div class="muted">{event.EventSource}</div>
                          </td>
                          <td>{event.Username}</td>
                          <td class="wrap">
                            {(event.Resources ?? []).map((r) => r.ResourceName).join(', ')}
                          </td>
                          <td>{consoleOrigin(event)}</td>
                        </tr>
                        {open === event.EventId && (
                          <tr>
                            <td colSpan={5}>
                              <pre class="json" tabIndex={0}>
                                {JSON.stringify(JSON.parse(event.CloudTrailEvent ?? '{}'), null, 2)}
                              </pre>
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pager={pager} nextToken={page.NextToken} label="Events" />
            </>
          )
        }
      </Show>
    </>
  );
}
