/** The operations capability's public door: Run Command (minimal SendCommand, reads, cancel, agent delivery). */
export { CommandsService, type CommandDocuments, type CommandInstances } from './service.js';
export { CommandsStore } from './store.js';
export { InvocationTransitions } from './transitions.js';
export { commandsRoutes, agentOperationNames } from './routes.js';
export { commandTimeoutsJob, commandTimeoutsJobName } from './jobs.js';
export type { Command, Invocation, InvocationStatus, CommandStatus } from './model.js';
