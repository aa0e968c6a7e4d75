export * from './exchange.js';
export * from './account.js';
