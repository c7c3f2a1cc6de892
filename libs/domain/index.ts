export * from './departments.js';
export * from './errors.js';
export * from './project-code.js';
export * from './project-state.js';
export * from './project-view.js';
export * from './track-definition.js';
export * from './tracks/index.js';
export * from './snapshot-view.js';
