export * from './roles.js';
export * from './tokens.js';
