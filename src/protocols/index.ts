/** The protocol layer's one door: the contract between a wire protocol and a capability's operations. */
export { parseWith, type Operation, type OperationRequest, type PreparedCall } from './operation.js';
export { awsJsonRoute, type AwsJsonOperationSpec, type AwsJsonService } from './aws-json-operation.js';
export { awsJson11ContentType, type AwsJsonRoute } from './aws-json-route.js';
export type { RestRoute } from './rest-json-route.js';
export type { QueryRoute } from './query-route.js';
