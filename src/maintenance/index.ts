/** The maintenance windows capability's public door (ssm-api.md §10.3–10.5). */
export {
  MaintenanceWindowsService,
  type TaskDocuments,
  type TaskInput,
  type WindowInput,
  type WindowTags,
} from './window-service.js';
export { MaintenanceStore } from './window-store.js';
export {
  WindowRunner,
  type PatchFindingsExport,
  type WindowCommands,
  type WindowNodes,
} from './window-runner.js';
export { maintenanceWindowRoutes } from './window-routes.js';
export { maintenanceWindowsJob, maintenanceWindowsJobName } from './window-scheduler-job.js';
export { exportPatchFindingsRunbook } from './window-model.js';
export { nextWindowRun, parseWindowSchedule } from './window-schedule.js';
