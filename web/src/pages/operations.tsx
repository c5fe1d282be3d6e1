/** Operations: Run Command history with per-node output, maintenance windows and executions, a patch Scan form. */
import { useState } from 'preact/hooks';
import { useSearch } from 'wouter-preact';
import { ssm } from '../api';
import {
  ActionButton,
  Alert,
  Card,
  Empty,
  ErrorAlert,
  PageHeader,
  Show,
  Status,
  useAllowed,
  useLoad,
  When,
} from '../components/ui';
import type { InstanceInformation } from './fleet';

interface Command {
  CommandId: string;
  DocumentName?: string;
  Status?: string;
  RequestedDateTime?: number;
  TargetCount?: number;
  CompletedCount?: number;
  ErrorCount?: number;
  Comment?: string;
}

function Output({ commandId, instanceId }: { commandId: string; instanceId: string }) {
  const state = useLoad(
    () =>
      ssm<{
        Status?: string;
        ResponseCode?: number;
        StandardOutputContent?: string;
        StandardErrorContent?: string;
      }>('GetCommandInvocation', { CommandId: commandId, InstanceId: instanceId }),
    [commandId, instanceId],
  );
  return (
    <Show state={state}>
      {(answer) => (
        <div class="output">
          <p>
            {instanceId}: <Status value={answer.Status} /> exit code {answer.ResponseCode ?? '—'}
          </p>
          <h4>Output</h4>
          <pre tabIndex={0}>
            {answer.StandardOutputContent === '' ? '(empty)' : answer.StandardOutputContent}
          </pre>
          {answer.StandardErrorContent !== undefined && answer.StandardErrorContent !== '' && (
            <>
              <h4>Errors</h4>
              <pre tabIndex={0}>{answer.StandardErrorContent}</pre>
            </>
          )}
        </div>
      )}
    </Show>
  );
}

function Invocations({ commandId, initialInstance }: { commandId: string; initialInstance: string | null }) {
  const [instance, setInstance] = useState<string | null>(initialInstance);
  const state = useLoad(
    () =>
      ssm<{ CommandInvocations: { InstanceId: string; Status?: string }[] }>('ListCommandInvocations', {
        CommandId: commandId,
      }),
    [commandId],
  );
  return (
    <Show state={state}>
      {(answer) => (
        <>
          <ul class="inline-list">
            {answer.CommandInvocations.map((invocation) => (
              <li key={invocation.InstanceId}>
                <button
                  type="button"
                  class="link"
                  aria-pressed={instance === invocation.InstanceId}
                  onClick={() => setInstance(invocation.InstanceId)}
                >
                  {invocation.InstanceId}
                </button>{' '}
                <Status value={invocation.Status} />
              </li>
            ))}
          </ul>
          {instance !== null && <Output commandId={commandId} instanceId={instance} />}
        </>
      )}
    </Show>
  );
}

function Commands() {
  const query = new URLSearchParams(useSearch());
  const [open, setOpen] = useState<string | null>(query.get('command'));
  const state = useLoad(() => ssm<{ Commands: Command[] }>('ListCommands', { MaxResults: 25 }), []);
  return (
    <Show state={state}>
      {(answer) =>
        answer.Commands.length === 0 ? (
          <Empty title="No command yet">Send one below (a patch Scan) or with SendCommand.</Empty>
        ) : (
          <>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Command</th>
                    <th scope="col">Document</th>
                    <th scope="col">Status</th>
                    <th scope="col">Targets</th>
                    <th scope="col">Requested</th>
                  </tr>
                </thead>
                <tbody>
                  {answer.Commands.map((command) => (
                    <tr key={command.CommandId}>
                      <td>
                        <button
                          type="button"
                          class="link"
                          aria-expanded={open === command.CommandId}
                          onClick={() => setOpen(command.CommandId)}
                        >
                          {command.CommandId}
                        </button>
                      </td>
                      <td>{command.DocumentName}</td>
                      <td>
                        <Status value={command.Status} />
                      </td>
                      <td>
                        {command.CompletedCount ?? 0}/{command.TargetCount ?? 0} done,{' '}
                        {command.ErrorCount ?? 0} errors
                      </td>
                      <td>
                        <When value={command.RequestedDateTime} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {open !== null && (
              <section aria-label="Per-node output">
                <h3>Nodes of {open}</h3>
                <Invocations key={open} commandId={open} initialInstance={query.get('instance')} />
              </section>
            )}
          </>
        )
      }
    </Show>
  );
}

function Executions({ windowId }: { windowId: string }) {
  const state = useLoad(
    () =>
      ssm<{
        WindowExecutions: {
          WindowExecutionId: string;
          Status?: string;
          StartTime?: number;
          EndTime?: number;
        }[];
      }>('DescribeMaintenanceWindowExecutions', { WindowId: windowId, MaxResults: 10 }),
    [windowId],
  );
  return (
    <Show state={state}>
      {(answer) =>
        answer.WindowExecutions.length === 0 ? (
          <span class="muted">no execution yet</span>
        ) : (
          <ul>
            {answer.WindowExecutions.map((execution) => (
              <li key={execution.WindowExecutionId}>
                <Status value={execution.Status} /> <When value={execution.StartTime} />
              </li>
            ))}
          </ul>
        )
      }
    </Show>
  );
}

function Windows() {
  const state = useLoad(
    () =>
      ssm<{
        WindowIdentities: {
          WindowId: string;
          Name?: string;
          Enabled?: boolean;
          Schedule?: string;
          NextExecutionTime?: string;
        }[];
      }>('DescribeMaintenanceWindows', { MaxResults: 50 }),
    [],
  );
  return (
    <Show state={state}>
      {(answer) =>
        answer.WindowIdentities.length === 0 ? (
          <Empty title="No maintenance window">
            Create one with CreateMaintenanceWindow (see docs/RUN-COMMAND.md).
          </Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Window</th>
                <th scope="col">Schedule</th>
                <th scope="col">Next run</th>
                <th scope="col">Executions</th>
              </tr>
            </thead>
            <tbody>
              {answer.WindowIdentities.map((window) => (
                <tr key={window.WindowId}>
                  <td>
                    {window.Name} <span class="muted">{window.WindowId}</span>{' '}
                    {window.Enabled === false && <Status value="DISABLED" />}
                  </td>
                  <td>
                    <code>{window.Schedule}</code>
                  </td>
                  <td>{window.NextExecutionTime ?? '—'}</td>
                  <td>
                    <Executions windowId={window.WindowId} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Show>
  );
}

function ScanForm() {
  const allowed = useAllowed(['ssm:SendCommand']);
  const nodes = useLoad(
    () =>
      ssm<{ InstanceInformationList: InstanceInformation[] }>('DescribeInstanceInformation', {
        MaxResults: 50,
      }),
    [],
  );
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<string | undefined>();
  const send = async () => {
    setError(undefined);
    setSent(undefined);
    try {
      const answer = await ssm<{ Command: { CommandId: string } }>('SendCommand', {
        DocumentName: 'AWS-RunPatchBaseline',
        InstanceIds: [...chosen],
        Parameters: { Operation: ['Scan'] },
        Comment: 'Patch scan from the console',
      });
      setSent(answer.Command.CommandId);
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <Show state={nodes}>
      {(answer) =>
        answer.InstanceInformationList.length === 0 ? (
          <p class="muted">No managed node to scan: register a node first (see the Fleet page).</p>
        ) : (
          <form onSubmit={(event) => event.preventDefault()}>
            <fieldset>
              <legend>Nodes to scan</legend>
              {answer.InstanceInformationList.map((node) => (
                <label key={node.InstanceId} class="check">
                  <input
                    type="checkbox"
                    checked={chosen.has(node.InstanceId)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if ((e.target as HTMLInputElement).checked) next.add(node.InstanceId);
                      else next.delete(node.InstanceId);
                      setChosen(next);
                    }}
                  />
                  {node.InstanceId} {node.ComputerName ?? ''} <Status value={node.PingStatus} />
                </label>
              ))}
            </fieldset>
            <ActionButton
              class="primary"
              allowed={allowed?.['ssm:SendCommand']}
              what="run commands (ssm:SendCommand)"
              disabled={chosen.size === 0}
              onClick={() => void send()}
            >
              Run AWS-RunPatchBaseline (Scan)
            </ActionButton>
            <ErrorAlert error={error} />
            {sent !== undefined && <Alert kind="ok">Sent command {sent}.</Alert>}
          </form>
        )
      }
    </Show>
  );
}

/** The operations page. */
export function OperationsPage() {
  return (
    <>
      <PageHeader title="Operations" />
      <div class="grid">
        <Card title="Run Command history" wide>
          <Commands />
        </Card>
        <Card title="Patch scan" wide>
          <ScanForm />
        </Card>
        <Card title="Maintenance windows" wide>
          <Windows />
        </Card>
      </div>
    </>
  );
}
