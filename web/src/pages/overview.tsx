/** Overview: score per standard, ACTIVE findings by severity and their 30-day trend, top failing controls, fleet. */
import { Link } from 'wouter-preact';
import { securityhub } from '../api';
import { Gauge, Meter, severities, TrendChart, type SeverityName, type TrendDay } from '../components/charts';
import { Card, Empty, PageHeader, Severity, Show, useLoad } from '../components/ui';

/** GET /bulwark/overview (docs/CONSOLE.md). */
export interface Overview {
  SecurityScores: {
    StandardsArn: string;
    Name: string;
    Score: number | null;
    PassedControls: number;
    FailedControls: number;
  }[];
  ActiveFindingsBySeverity: Record<SeverityName, number>;
  ActiveFindingsTrend: TrendDay[];
  TopFailingControls: { ControlId: string; Title: string; SeverityRating: string; FailedResources: number }[];
  FleetPatchCompliance: {
    Compliant: number;
    NonCompliant: number;
    NotScanned: number;
    Online: number;
    ConnectionLost: number;
    Total: number;
  };
  TopNodesByCriticalFindings: { ResourceId: string; Critical: number; High: number }[];
  OpenIncidents: number | null;
}

function findingsLink(filters: Record<string, unknown>): string {
  return `/findings?filters=${encodeURIComponent(JSON.stringify(filters))}`;
}

function Severities({ overview }: { overview: Overview }) {
  const total = severities.reduce((sum, s) => sum + (overview.ActiveFindingsBySeverity[s] ?? 0), 0);
  return (
    <Card title="ACTIVE findings by severity">
      <ul class="severity-counts">
        {severities.map((s) => (
          <li key={s}>
            <Link
              href={findingsLink({
                SeverityLabel: [{ Value: s, Comparison: 'EQUALS' }],
                RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
                WorkflowStatus: [
                  { Value: 'NEW', Comparison: 'EQUALS' },
                  { Value: 'NOTIFIED', Comparison: 'EQUALS' },
                ],
              })}
            >
              <Severity label={s} />
              <span class="count" data-severity={s}>
                {overview.ActiveFindingsBySeverity[s] ?? 0}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {total === 0 && (
        <Empty title="No ACTIVE findings yet">
          Import findings with Security Hub's BatchImportFindings or <code>bulwark findings import</code>, or
          register nodes so their patch and control findings appear here.
        </Empty>
      )}
    </Card>
  );
}

function Fleet({ fleet }: { fleet: Overview['FleetPatchCompliance'] }) {
  if (fleet.Total === 0) {
    return (
      <Card title="Fleet patch compliance">
        <Empty title="No managed nodes">
          Register a node with an activation and the Bulwark agent (see docs/RUN-COMMAND.md and the README's
          agent section); it appears here after its first heartbeat.
        </Empty>
      </Card>
    );
  }
  return (
    <Card title="Fleet patch compliance">
      <Meter label="Compliant" value={fleet.Compliant} total={fleet.Total} />
      <Meter label="Non-compliant" value={fleet.NonCompliant} total={fleet.Total} />
      <Meter label="Not scanned" value={fleet.NotScanned} total={fleet.Total} />
      <Meter label="Online" value={fleet.Online} total={fleet.Total} />
      <Meter label="Connection lost" value={fleet.ConnectionLost} total={fleet.Total} />
      <p class="muted">
        <span data-figure="Total">{fleet.Total}</span> nodes. <Link href="/fleet">See the fleet</Link>
      </p>
    </Card>
  );
}

/** The overview page. */
export function OverviewPage() {
  const state = useLoad(() => securityhub<Overview>('GET', '/bulwark/overview'), []);
  return (
    <>
      <PageHeader title="Overview">
        <button type="button" onClick={state.reload}>
          Refresh
        </button>
      </PageHeader>
      <Show state={state}>
        {(overview) => (
          <div class="grid">
            <Card title="Security score" wide>
              {overview.SecurityScores.length === 0 ? (
                <Empty title="No standard is enabled">
                  Enable Security Hub with its default standards (EnableSecurityHub) to see a score per
                  standard.
                </Empty>
              ) : (
                <div class="gauges">
                  {overview.SecurityScores.map((score) => (
                    <Gauge key={score.StandardsArn} score={score.Score} label={score.Name} />
                  ))}
                </div>
              )}
            </Card>
            <Severities overview={overview} />
            <Fleet fleet={overview.FleetPatchCompliance} />
            <Card title="ACTIVE findings, last 30 days" wide>
              <TrendChart days={overview.ActiveFindingsTrend} />
            </Card>
            <Card title="Top failing controls" wide>
              {overview.TopFailingControls.length === 0 ? (
                <p class="muted">No control is failing.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Control</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Failed resources</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview.TopFailingControls.map((control) => (
                      <tr key={control.ControlId}>
                        <td>
                          <Link href={`/controls?control=${encodeURIComponent(control.ControlId)}`}>
                            {control.ControlId}
                          </Link>{' '}
                          {control.Title}
                        </td>
                        <td>
                          <Severity label={control.SeverityRating} />
                        </td>
                        <td class="num">{control.FailedResources}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
            <Card title="Nodes with the most critical findings">
              {overview.TopNodesByCriticalFindings.length === 0 ? (
                <p class="muted">No node has critical or high findings.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Resource</th>
                      <th scope="col">Critical</th>
                      <th scope="col">High</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview.TopNodesByCriticalFindings.map((node) => (
                      <tr key={node.ResourceId}>
                        <td class="wrap">
                          <Link
                            href={findingsLink({
                              ResourceId: [{ Value: node.ResourceId, Comparison: 'EQUALS' }],
                            })}
                          >
                            {node.ResourceId}
                          </Link>
                        </td>
                        <td class="num">{node.Critical}</td>
                        <td class="num">{node.High}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
            {overview.OpenIncidents !== null && (
              <Card title="Open incidents">
                <p class="big">{overview.OpenIncidents}</p>
              </Card>
            )}
          </div>
        )}
      </Show>
    </>
  );
}
