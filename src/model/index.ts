export * from './exchange.js';
export * from './account.js';
export * from './findings.js';
export * from './exchange-batch.js';
