/** The AWS STS query-protocol service: its API version, XML namespace, IAM action and event source. */
import type { Operation, QueryRoute } from '../index.js';

/** STS's API version. */
export const stsVersion = '2011-06-15';

/** The XML namespace of STS responses. */
export const stsNamespace = `https://sts.amazonaws.com/doc/${stsVersion}/`;

/** How one STS operation runs, without the wire details every STS operation shares. */
export type StsOperationSpec = Omit<Operation, 'action' | 'eventSource'>;

/** The query route of one STS operation: `Action=<name>&Version=2011-06-15`, IAM action `sts:<name>`. */
export function stsRoute(spec: StsOperationSpec): QueryRoute {
  return {
    action: spec.name,
    version: stsVersion,
    xmlNamespace: stsNamespace,
    operation: { ...spec, action: `sts:${spec.name}`, eventSource: 'sts.amazonaws.com' },
  };
}
