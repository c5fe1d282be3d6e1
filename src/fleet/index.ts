/** The fleet capability's public door (SSM managed instances, inventory, tags) and the shared SSM service. */
export { ssmError, ssmService, ssmValidationError, toEpochSeconds } from './ssm-service.js';
