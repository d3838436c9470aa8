export {};
export * from './ffmpeg/index.js';
export * from './media/index.js';
export * as testing from './testing/media.js';
export * from './audio/index.js';
