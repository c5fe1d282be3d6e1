/**
 * The console's one route list. A page is a module in pages/ and one entry here: later capabilities
 * (vulnerabilities, remediation, incidents) add their page the same way. Entries with `nav` show in the side nav.
 */
import type { FunctionComponent } from 'preact';
import { AuditPage } from './pages/audit';
import { ControlsPage } from './pages/controls';
import { FindingsPage } from './pages/findings';
import { FleetPage } from './pages/fleet';
import { NodePage } from './pages/node';
import { OperationsPage } from './pages/operations';
import { OverviewPage } from './pages/overview';

/** One page of the console. */
export interface ConsoleRoute {
  /** Path under /console (wouter syntax, `:name` for a parameter). */
  path: string;
  /** The page's title (document title, nav label). */
  title: string;
  /** Shown in the side nav. */
  nav: boolean;
  page: FunctionComponent<{ params: Record<string, string | undefined> }>;
}

export const routes: readonly ConsoleRoute[] = [
  { path: '/', title: 'Overview', nav: true, page: OverviewPage },
  { path: '/findings', title: 'Findings', nav: true, page: FindingsPage },
  { path: '/controls', title: 'Controls', nav: true, page: ControlsPage },
  { path: '/fleet', title: 'Fleet', nav: true, page: FleetPage },
  { path: '/fleet/:instanceId', title: 'Node', nav: false, page: NodePage },
  { path: '/operations', title: 'Operations', nav: true, page: OperationsPage },
  { path: '/audit', title: 'Audit', nav: true, page: AuditPage },
];
