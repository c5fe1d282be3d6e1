/** The STS protocol's one door: the query-protocol service description every STS operation shares. */
export { stsNamespace, stsRoute, stsVersion, type StsOperationSpec } from './sts-service.js';
