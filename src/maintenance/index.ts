/** The maintenance windows capability's public door (ssm-api.md §10.3–10.5). */
export { MaintenanceWindowsService, type TaskDocuments, type WindowTags } from './service.js';
export { MaintenanceStore } from './store.js';
export { WindowRunner, type PatchFindingsExport, type WindowCommands, type WindowNodes } from './runner.js';
export { maintenanceWindowRoutes } from './routes.js';
export { maintenanceWindowsJob, maintenanceWindowsJobName } from './jobs.js';
export { exportPatchFindingsRunbook } from './model.js';
export { nextWindowRun, parseWindowSchedule } from './window-schedule.js';
