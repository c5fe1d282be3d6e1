/** Controls: enabled standards with their pass rate, each standard's controls with status, failed resources, enable/disable. */
import { useState } from 'preact/hooks';
import { useSearch } from 'wouter-preact';
import { securityhub } from '../api';
import {
  ActionButton,
  Card,
  Drawer,
  Empty,
  ErrorAlert,
  PageHeader,
  Severity,
  Show,
  Status,
  useAllowed,
  useLoad,
} from '../components/ui';
import type { Finding } from './finding-drawer';

interface Subscription {
  StandardsSubscriptionArn: string;
  StandardsArn: string;
  StandardsStatus: string;
}

interface ScoreFigures {
  PassedControls: number;
  ControlsWithData: number;
  EnabledControls: number;
  Score?: number;
}

interface SecurityScore extends ScoreFigures {
  Standards: (ScoreFigures & { StandardsArn: string; Name: string })[];
  Controls: { SecurityControlId: string; Status: string }[];
}

interface StandardsControl {
  StandardsControlArn: string;
  ControlStatus: string;
  DisabledReason?: string;
  ControlId: string;
  Title: string;
  SeverityRating?: string;
}

function FailedResources({ controlId, onClose }: { controlId: string; onClose: () => void }) {
  const state = useLoad(
    () =>
      securityhub<{ Findings: Finding[] }>('POST', '/findings', {
        Filters: {
          ComplianceSecurityControlId: [{ Value: controlId, Comparison: 'EQUALS' }],
          ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
      }),
    [controlId],
  );
  return (
    <Drawer title={`${controlId}: failed resources`} onClose={onClose}>
      <Show state={state}>
        {(answer) =>
          answer.Findings.length === 0 ? (
            <p class="muted">No resource fails this control.</p>
          ) : (
            <ul>
              {answer.Findings.map((finding) => (
                <li key={finding.Id} class="wrap">
                  {finding.Resources?.map((r) => r.Id).join(', ')} <Status value={finding.Workflow?.Status} />
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </Drawer>
  );
}

function ControlRow({
  control,
  status,
  allowed,
  onChanged,
  onShowFailed,
}: {
  control: StandardsControl;
  status: string | undefined;
  allowed: boolean | undefined;
  onChanged: () => void;
  onShowFailed: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const enabled = control.ControlStatus === 'ENABLED';
  const toggle = async () => {
    setError(undefined);
    try {
      await securityhub('PATCH', `/standards/control/${encodeURIComponent(control.StandardsControlArn)}`, {
        ControlStatus: enabled ? 'DISABLED' : 'ENABLED',
        ...(enabled ? { DisabledReason: reason.trim() } : {}),
      });
      onChanged();
    } catch (reason_) {
      setError(reason_);
    }
  };
  return (
    <tr>
      <td>{control.ControlId}</td>
      <td>{control.Title}</td>
      <td>
        <Severity label={control.SeverityRating} />
      </td>
      <td>
        {status === 'FAILED' ? (
          <button type="button" class="link" onClick={onShowFailed}>
            <Status value="FAILED" /> resources
          </button>
        ) : (
          <Status value={enabled ? (status ?? 'NO_DATA') : 'DISABLED'} />
        )}
      </td>
      <td>
        {enabled ? (
          <input
            aria-label={`Reason to disable ${control.ControlId}`}
            placeholder="Reason to disable"
            value={reason}
            onInput={(e) => setReason((e.target as HTMLInputElement).value)}
          />
        ) : (
          <span class="muted">{control.DisabledReason ?? ''}</span>
        )}
        <ActionButton
          allowed={allowed}
          what="enable or disable controls (securityhub:UpdateStandardsControl)"
          disabled={enabled && reason.trim() === ''}
          onClick={() => void toggle()}
        >
          {enabled ? 'Disable' : 'Enable'}
        </ActionButton>
        <ErrorAlert error={error} />
      </td>
    </tr>
  );
}

function StandardControls({
  subscription,
  statuses,
}: {
  subscription: Subscription;
  statuses: Map<string, string>;
}) {
  const allowed = useAllowed(['securityhub:UpdateStandardsControl']);
  const [failedOf, setFailedOf] = useState<string | undefined>();
  const state = useLoad(
    () =>
      securityhub<{ Controls: StandardsControl[] }>(
        'GET',
        `/standards/controls/${encodeURIComponent(subscription.StandardsSubscriptionArn)}?MaxResults=100`,
      ),
    [subscription.StandardsSubscriptionArn],
  );
  const focus = new URLSearchParams(useSearch()).get('control');
  return (
    <Show state={state}>
      {(answer) => (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Control</th>
                <th scope="col">Title</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Enable / disable</th>
              </tr>
            </thead>
            <tbody>
              {answer.Controls.filter((c) => focus === null || c.ControlId === focus).map((control) => (
                <ControlRow
                  key={control.StandardsControlArn}
                  control={control}
                  status={statuses.get(control.ControlId)}
                  allowed={allowed?.['securityhub:UpdateStandardsControl']}
                  onChanged={state.reload}
                  onShowFailed={() => setFailedOf(control.ControlId)}
                />
              ))}
            </tbody>
          </table>
          {failedOf !== undefined && (
            <FailedResources controlId={failedOf} onClose={() => setFailedOf(undefined)} />
          )}
        </div>
      )}
    </Show>
  );
}

/** The controls page. */
export function ControlsPage() {
  const state = useLoad(
    () =>
      Promise.all([
        securityhub<{ StandardsSubscriptions: Subscription[] }>('POST', '/standards/get', {}),
        securityhub<{ SecurityScores: SecurityScore[] }>('GET', '/bulwark/securityScore'),
      ]),
    [],
  );
  return (
    <>
      <PageHeader title="Controls and standards" />
      <Show state={state}>
        {([subscriptions, scores]) => {
          const score = scores.SecurityScores[0];
          const statuses = new Map((score?.Controls ?? []).map((c) => [c.SecurityControlId, c.Status]));
          if (subscriptions.StandardsSubscriptions.length === 0) {
            return (
              <Empty title="No standard is enabled">
                Enable Security Hub (EnableSecurityHub) or a standard (BatchEnableStandards) to evaluate
                controls.
              </Empty>
            );
          }
          return subscriptions.StandardsSubscriptions.map((subscription) => {
            const figures = score?.Standards.find((s) => s.StandardsArn === subscription.StandardsArn);
            const title = figures?.Name ?? subscription.StandardsArn;
            return (
              <Card key={subscription.StandardsSubscriptionArn} title={title} wide>
                <p>
                  Pass rate:{' '}
                  <strong>{figures?.Score === undefined ? 'no data yet' : `${figures.Score}%`}</strong>
                  {figures !== undefined &&
                    ` (${figures.PassedControls} of ${figures.ControlsWithData} controls with data passed, ${figures.EnabledControls} enabled)`}
                </p>
                <StandardControls subscription={subscription} statuses={statuses} />
              </Card>
            );
          });
        }}
      </Show>
    </>
  );
}
