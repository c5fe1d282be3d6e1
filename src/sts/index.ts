/** The STS capability's public door: GetCallerIdentity over the query protocol. */
export { stsRoutes } from './sts-routes.js';
