/** The STS capability's public door: GetCallerIdentity over the query protocol. */
export { stsRoutes, userIdOf } from './routes.js';
