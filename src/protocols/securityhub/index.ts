/** The Security Hub protocol's one door: the restJson1 operation builder, input readers, hub ARN and list paging every Security Hub capability shares. */
export {
  securityHubOperation,
  type HubGate,
  type SecurityHubOperationSpec,
} from './security-hub-operation.js';
export { bodyWithLabels, pagingQuery, queryInteger, queryString } from './security-hub-input.js';
export { hubArnOf } from './security-hub-arn.js';
export { securityHubPageOf, withNextToken, type SecurityHubPage } from './security-hub-page.js';
