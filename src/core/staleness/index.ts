export * from './types.js';
export * from './rules.js';
export * from './find.js';
