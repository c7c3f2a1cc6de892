export * from './channel-routing.js';
export * from './notification-kinds.js';
export * from './retry-backoff.js';
export * from './webhook-client.js';
export * from './webhook-signature.js';
