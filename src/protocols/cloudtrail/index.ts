/** The CloudTrail protocol's one door: the awsJson1_1 service description and its closed set of exception names. */
export { cloudTrailExceptionNames, type CloudTrailExceptionName } from './cloudtrail-errors.js';
export {
  cloudTrailError,
  cloudTrailOperationName,
  cloudTrailRoutes,
  cloudTrailTargetPrefix,
} from './cloudtrail-service.js';
