export {};
export * from './ffmpeg/index.js';
export * from './media/index.js';
export * as testing from './testing/media.js';
export * from './audio/index.js';
export * from './musicvideo/index.js';
export * from './captions/index.js';
export * from './providers/image-to-video.js';
