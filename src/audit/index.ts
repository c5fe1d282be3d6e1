/** The audit capability's public door. */
export { AuditStore } from './store.js';
export type { AuditEntry } from './model.js';
