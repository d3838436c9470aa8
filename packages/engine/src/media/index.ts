export * from './thumbnail.js';
export * from './waveform.js';
export * from './image-codec.js';
