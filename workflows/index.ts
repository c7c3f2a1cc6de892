export { projectWorkflow } from './project.workflow.js';
export { supervisionSnapshotWorkflow } from './supervision-snapshot.workflow.js';
