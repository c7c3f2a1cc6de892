export * from './roles.js';
export * from './tokens.js';
export * from './demo-users.js';
