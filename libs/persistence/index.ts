export * from './calendar.repository.js';
export * from './data-source.js';
export * from './entities/index.js';
export * from './idempotency.repository.js';
export * from './migrations/index.js';
export * from './notification-outbox.repository.js';
export * from './project-read-model.repository.js';
export * from './supervision.repository.js';
