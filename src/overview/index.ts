/** The overview capability's public door: the console's first page (GetOverview) over other capabilities' facades. */
export { OverviewService } from './overview-service.js';
export { overviewRoutes } from './overview-routes.js';
export { overviewSourcesFrom, type OverviewSources } from './overview-sources.js';
export type { Overview } from './overview-model.js';
