export { projectWorkflow } from './project.workflow.js';
