/** Fleet: managed nodes (DescribeInstanceInformation) with PingStatus, OS, agent, last scan, patch counts and tags. */
import { Link } from 'wouter-preact';
import { ssm } from '../api';
import { Empty, PageHeader, Pager, Show, Status, useLoad, usePager, When } from '../components/ui';

/** One managed node as DescribeInstanceInformation answers it. */
export interface InstanceInformation {
  InstanceId: string;
  PingStatus?: string;
  LastPingDateTime?: number;
  AgentVersion?: string;
  PlatformType?: string;
  PlatformName?: string;
  PlatformVersion?: string;
  ComputerName?: string;
  IPAddress?: string;
  Name?: string;
}

interface PatchState {
  InstanceId: string;
  MissingCount?: number;
  FailedCount?: number;
  InstalledCount?: number;
  OperationEndTime?: number;
}

function Tags({ instanceId }: { instanceId: string }) {
  const state = useLoad(
    () =>
      ssm<{ TagList?: { Key: string; Value: string }[] }>('ListTagsForResource', {
        ResourceType: 'ManagedInstance',
        ResourceId: instanceId,
      }),
    [instanceId],
  );
  if (state.data === undefined) return null;
  return (
    <>
      {(state.data.TagList ?? []).map((tag) => (
        <span key={tag.Key} class="tag">
          {tag.Key}={tag.Value}
        </span>
      ))}
    </>
  );
}

async function loadPage(token: string | undefined) {
  const info = await ssm<{ InstanceInformationList: InstanceInformation[]; NextToken?: string }>(
    'DescribeInstanceInformation',
    {
      MaxResults: 50,
      ...(token === undefined ? {} : { NextToken: token }),
    },
  );
  const ids = info.InstanceInformationList.map((node) => node.InstanceId);
  const states =
    ids.length === 0
      ? []
      : (
          await ssm<{ InstancePatchStates: PatchState[] }>('DescribeInstancePatchStates', {
            InstanceIds: ids,
          })
        ).InstancePatchStates;
  return { ...info, patches: new Map(states.map((state) => [state.InstanceId, state])) };
}

/** The fleet page. */
export function FleetPage() {
  const pager = usePager('fleet');
  const state = useLoad(() => loadPage(pager.token), [pager.token]);
  return (
    <>
      <PageHeader title="Fleet" />
      <Show state={state}>
        {(page) =>
          page.InstanceInformationList.length === 0 && pager.page === 1 ? (
            <Empty title="No managed nodes yet">
              Register a node: create an activation (<code>aws ssm create-activation</code>), then install and
              register the Bulwark agent on the host as described in the README's agent section and
              docs/RUN-COMMAND.md.
            </Empty>
          ) : (
            <>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Node</th>
                      <th scope="col">Ping</th>
                      <th scope="col">OS</th>
                      <th scope="col">Agent</th>
                      <th scope="col">Last scan</th>
                      <th scope="col">Missing</th>
                      <th scope="col">Failed</th>
                      <th scope="col">Tags</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.InstanceInformationList.map((node) => {
                      const patch = page.patches.get(node.InstanceId);
                      return (
                        <tr key={node.InstanceId}>
                          <td>
                            <Link href={`/fleet/${encodeURIComponent(node.InstanceId)}`}>
                              {node.InstanceId}
                            </Link>
                            <div class="muted">{node.ComputerName ?? node.Name ?? ''}</div>
                          </td>
                          <td>
                            <Status value={node.PingStatus} />
                          </td>
                          <td>
                            {node.PlatformName ?? node.PlatformType ?? ''} {node.PlatformVersion ?? ''}
                          </td>
                          <td>{node.AgentVersion ?? ''}</td>
                          <td>
                            {patch === undefined ? (
                              <span class="muted">not scanned</span>
                            ) : (
                              <When value={patch.OperationEndTime} />
                            )}
                          </td>
                          <td class="num">{patch?.MissingCount ?? '—'}</td>
                          <td class="num">{patch?.FailedCount ?? '—'}</td>
                          <td>
                            <Tags instanceId={node.InstanceId} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <Pager pager={pager} nextToken={page.NextToken} label="Nodes" />
            </>
          )
        }
      </Show>
    </>
  );
}
