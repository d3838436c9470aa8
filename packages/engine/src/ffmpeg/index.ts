export * from './errors.js';
export * from './tools.js';
export * from './run.js';
export * from './progress.js';
export * from './probe.js';
export * from './escape.js';
export * from './filtergraph.js';
export * from './drawtext.js';
