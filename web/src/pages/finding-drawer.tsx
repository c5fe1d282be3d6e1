/** The finding detail drawer: summary, resources, remediation, vulnerabilities, history, notes, raw ASFF JSON. */
import { securityhub } from '../api';
import { Drawer, Severity, Show, Status, useLoad, When } from '../components/ui';

/** An ASFF finding as GetFindings answers it (the fields the console reads). */
export interface Finding {
  Id: string;
  ProductArn: string;
  ProductName?: string;
  GeneratorId?: string;
  AwsAccountId: string;
  Title: string;
  Description?: string;
  Types?: string[];
  CreatedAt?: string;
  UpdatedAt?: string;
  Severity?: { Label?: string };
  Workflow?: { Status?: string };
  RecordState?: string;
  Compliance?: { Status?: string; SecurityControlId?: string };
  Resources?: { Type: string; Id: string; Region?: string; Tags?: Record<string, string> }[];
  Remediation?: { Recommendation?: { Text?: string; Url?: string } };
  Vulnerabilities?: {
    Id: string;
    VulnerablePackages?: { Name?: string; Version?: string; FixedInVersion?: string }[];
    Cvss?: { BaseScore?: number }[];
    FixAvailable?: string;
  }[];
  Note?: { Text: string; UpdatedBy: string; UpdatedAt: string };
}

interface HistoryRecord {
  UpdateTime?: string;
  UpdateSource?: { Type?: string; Identity?: string };
  FindingCreated?: boolean;
  Updates?: { UpdatedField?: string; OldValue?: string; NewValue?: string }[];
}

function History({ finding }: { finding: Finding }) {
  const state = useLoad(
    () =>
      securityhub<{ Records: HistoryRecord[] }>('POST', '/findingHistory/get', {
        FindingIdentifier: { Id: finding.Id, ProductArn: finding.ProductArn },
        MaxResults: 20,
      }),
    [finding.Id],
  );
  return (
    <Show state={state}>
      {(answer) =>
        answer.Records.length === 0 ? (
          <p class="muted">No history yet.</p>
        ) : (
          <ol class="timeline">
            {answer.Records.map((record, index) => (
              <li key={index}>
                <When value={record.UpdateTime} /> · {record.UpdateSource?.Type ?? ''}{' '}
                <span class="wrap">{record.UpdateSource?.Identity ?? ''}</span>
                {record.FindingCreated === true && <div>Finding created</div>}
                <ul>
                  {(record.Updates ?? []).map((update, i) => (
                    <li key={i}>
                      {update.UpdatedField}: {update.OldValue ?? '—'} → {update.NewValue ?? '—'}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )
      }
    </Show>
  );
}

/** The drawer for one finding. */
export function FindingDrawer({ finding, onClose }: { finding: Finding; onClose: () => void }) {
  return (
    <Drawer title={finding.Title} onClose={onClose}>
      <section>
        <h3>Summary</h3>
        <dl class="facts">
          <dt>Severity</dt>
          <dd>
            <Severity label={finding.Severity?.Label} />
          </dd>
          <dt>Workflow</dt>
          <dd>
            <Status value={finding.Workflow?.Status} />
          </dd>
          <dt>Record state</dt>
          <dd>{finding.RecordState}</dd>
          {finding.Compliance?.Status !== undefined && (
            <>
              <dt>Compliance</dt>
              <dd>
                <Status value={finding.Compliance.Status} /> {finding.Compliance.SecurityControlId ?? ''}
              </dd>
            </>
          )}
          <dt>Product</dt>
          <dd>{finding.ProductName ?? finding.ProductArn}</dd>
          <dt>Account</dt>
          <dd>{finding.AwsAccountId}</dd>
          <dt>Updated</dt>
          <dd>
            <When value={finding.UpdatedAt} />
          </dd>
          <dt>Id</dt>
          <dd class="wrap">{finding.Id}</dd>
        </dl>
        {finding.Description !== undefined && <p>{finding.Description}</p>}
      </section>
      <section>
        <h3>Resources</h3>
        <ul>
          {(finding.Resources ?? []).map((resource) => (
            <li key={resource.Id} class="wrap">
              {resource.Type}: {resource.Id} {resource.Region !== undefined ? `(${resource.Region})` : ''}
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>Remediation</h3>
        {finding.Remediation?.Recommendation === undefined ? (
          <p class="muted">No recommendation.</p>
        ) : (
          <p>
            {finding.Remediation.Recommendation.Text}{' '}
            {finding.Remediation.Recommendation.Url !== undefined && (
              <a href={finding.Remediation.Recommendation.Url} rel="noreferrer noopener" target="_blank">
                More
              </a>
            )}
          </p>
        )}
      </section>
      {finding.Vulnerabilities !== undefined && finding.Vulnerabilities.length > 0 && (
        <section>
          <h3>Vulnerabilities</h3>
          <ul>
            {finding.Vulnerabilities.map((vulnerability) => (
              <li key={vulnerability.Id}>
                {vulnerability.Id}
                {vulnerability.Cvss?.[0]?.BaseScore !== undefined &&
                  ` · CVSS ${vulnerability.Cvss[0].BaseScore}`}
                {(vulnerability.VulnerablePackages ?? []).map((p) => (
                  <div key={`${p.Name}-${p.Version}`}>
                    {p.Name} {p.Version} {p.FixedInVersion !== undefined && `→ fixed in ${p.FixedInVersion}`}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h3>Note</h3>
        {finding.Note === undefined ? (
          <p class="muted">No note.</p>
        ) : (
          <blockquote>
            {finding.Note.Text}
            <footer>
              {finding.Note.UpdatedBy}, <When value={finding.Note.UpdatedAt} />
            </footer>
          </blockquote>
        )}
      </section>
      <section>
        <h3>History</h3>
        <History finding={finding} />
      </section>
      <details>
        <summary>Raw ASFF JSON</summary>
        <pre class="json" tabIndex={0}>
          {JSON.stringify(finding, null, 2)}
        </pre>
      </details>
    </Drawer>
  );
}
