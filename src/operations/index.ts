/** The operations capability's public door: Run Command (minimal SendCommand, reads, cancel, agent delivery). */
export { CommandsService } from './command-service.js';
export type { CommandDocuments, CommandInstances } from './command-ports.js';
export { CommandsStore } from './command-store.js';
export { InvocationTransitions } from './invocation-transitions.js';
export { commandsRoutes, agentOperationNames } from './command-routes.js';
export { commandTimeoutsJob, commandTimeoutsJobName } from './command-timeouts-job.js';
export type { Command, Invocation, InvocationStatus, CommandStatus } from './command-model.js';
