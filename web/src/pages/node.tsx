/** One managed node: its facts, missing patches, compliance items, inventory (searchable) and command history. */
import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { ssm } from '../api';
import { Card, PageHeader, Show, Status, useLoad, When } from '../components/ui';
import type { InstanceInformation } from './fleet';

function Patches({ id }: { id: string }) {
  const state = useLoad(
    () =>
      ssm<{
        Patches: { KBId?: string; Title?: string; Severity?: string; State?: string; CVEIds?: string }[];
      }>('DescribeInstancePatches', {
        InstanceId: id,
        Filters: [{ Key: 'State', Values: ['Missing', 'Failed'] }],
        MaxResults: 50,
      }),
    [id],
  );
  return (
    <Show state={state}>
      {(answer) =>
        answer.Patches.length === 0 ? (
          <p class="muted">No missing or failed patch (or the node was not scanned yet).</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Patch</th>
                <th scope="col">Severity</th>
                <th scope="col">State</th>
                <th scope="col">CVEs</th>
              </tr>
            </thead>
            <tbody>
              {answer.Patches.map((patch) => (
                <tr key={patch.KBId ?? patch.Title}>
                  <td>{patch.Title ?? patch.KBId}</td>
                  <td>{patch.Severity ?? ''}</td>
                  <td>
                    <Status value={patch.State} />
                  </td>
                  <td class="wrap">{patch.CVEIds ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Show>
  );
}

function Compliance({ id }: { id: string }) {
  const state = useLoad(
    () =>
      ssm<{
        ComplianceItems: {
          ComplianceType?: string;
          Id?: string;
          Title?: string;
          Status?: string;
          Severity?: string;
        }[];
      }>('ListComplianceItems', { ResourceIds: [id], ResourceTypes: ['ManagedInstance'], MaxResults: 50 }),
    [id],
  );
  return (
    <Show state={state}>
      {(answer) =>
        answer.ComplianceItems.length === 0 ? (
          <p class="muted">No compliance item.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Item</th>
                <th scope="col">Status</th>
                <th scope="col">Severity</th>
              </tr>
            </thead>
            <tbody>
              {answer.ComplianceItems.map((item, index) => (
                <tr key={`${item.ComplianceType}-${item.Id}-${index}`}>
                  <td>{item.ComplianceType}</td>
                  <td>{item.Title ?? item.Id}</td>
                  <td>
                    <Status value={item.Status} />
                  </td>
                  <td>{item.Severity}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Show>
  );
}

function Inventory({ id }: { id: string }) {
  const [query, setQuery] = useState('');
  const [applied, setApplied] = useState('');
  const state = useLoad(
    () =>
      ssm<{ Entries: Record<string, string>[] }>('ListInventoryEntries', {
        InstanceId: id,
        TypeName: 'AWS:Application',
        MaxResults: 50,
        ...(applied === '' ? {} : { Filters: [{ Key: 'Name', Values: [applied], Type: 'BeginWith' }] }),
      }),
    [id, applied],
  );
  return (
    <>
      <form
        class="inline-form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(query.trim());
        }}
      >
        <label>
          Package name starts with
          <input
            name="package"
            value={query}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      <Show state={state}>
        {(answer) =>
          answer.Entries.length === 0 ? (
            <p class="muted">No package {applied === '' ? 'reported yet' : 'matches'}.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Version</th>
                  <th scope="col">Architecture</th>
                </tr>
              </thead>
              <tbody>
                {answer.Entries.map((entry, index) => (
                  <tr key={`${entry['Name']}-${index}`}>
                    <td>{entry['Name']}</td>
                    <td>{entry['Version']}</td>
                    <td>{entry['Architecture']}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </>
  );
}

function Commands({ id }: { id: string }) {
  const state = useLoad(
    () =>
      ssm<{
        CommandInvocations: {
          CommandId: string;
          DocumentName?: string;
          Status?: string;
          RequestedDateTime?: number;
        }[];
      }>('ListCommandInvocations', { InstanceId: id, MaxResults: 20 }),
    [id],
  );
  return (
    <Show state={state}>
      {(answer) =>
        answer.CommandInvocations.length === 0 ? (
          <p class="muted">No command ran on this node.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Command</th>
                <th scope="col">Document</th>
                <th scope="col">Status</th>
                <th scope="col">Requested</th>
              </tr>
            </thead>
            <tbody>
              {answer.CommandInvocations.map((invocation) => (
                <tr key={invocation.CommandId}>
                  <td>
                    <Link
                      href={`/operations?command=${invocation.CommandId}&instance=${encodeURIComponent(id)}`}
                    >
                      {invocation.CommandId}
                    </Link>
                  </td>
                  <td>{invocation.DocumentName}</td>
                  <td>
                    <Status value={invocation.Status} />
                  </td>
                  <td>
                    <When value={invocation.RequestedDateTime} />
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

/** The node page. */
export function NodePage({ params }: { params: Record<string, string | undefined> }) {
  const id = decodeURIComponent(params['instanceId'] ?? '');
  const info = useLoad(
    () =>
      ssm<{ InstanceInformationList: InstanceInformation[] }>('DescribeInstanceInformation', {
        Filters: [{ Key: 'InstanceIds', Values: [id] }],
      }),
    [id],
  );
  return (
    <>
      <PageHeader title={`Node ${id}`}>
        <Link href="/fleet">Back to the fleet</Link>
      </PageHeader>
      <Show state={info}>
        {(answer) => {
          const node = answer.InstanceInformationList[0];
          if (node === undefined) return <p>This node is not registered (or you may not see it).</p>;
          return (
            <dl class="facts">
              <dt>Ping</dt>
              <dd>
                <Status value={node.PingStatus} /> <When value={node.LastPingDateTime} />
              </dd>
              <dt>Computer</dt>
              <dd>
                {node.ComputerName ?? ''} {node.IPAddress ?? ''}
              </dd>
              <dt>OS</dt>
              <dd>
                {node.PlatformName ?? node.PlatformType} {node.PlatformVersion}
              </dd>
              <dt>Agent</dt>
              <dd>{node.AgentVersion}</dd>
            </dl>
          );
        }}
      </Show>
      <div class="grid">
        <Card title="Missing patches" wide>
          <Patches id={id} />
        </Card>
        <Card title="Compliance items" wide>
          <Compliance id={id} />
        </Card>
        <Card title="Inventory: applications" wide>
          <Inventory id={id} />
        </Card>
        <Card title="Command history" wide>
          <Commands id={id} />
        </Card>
      </div>
    </>
  );
}
