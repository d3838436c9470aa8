// Public surface of the music-video engine: timeline format, styles, planner, renderer.
export * from './timeline.js';
export { STYLES, DEFAULT_STYLE, UnknownStyleError, getStyle, listStyles, styleIds, type StyleId, type StylePreset, type CaptionStyle, type EnergyLevel } from './styles.js';
export { planMusicVideo, PlanError, MIN_SHOT_SECONDS, type PlanMusicVideoInput, type PlannerAnalysis, type PlannerMedia } from './planner.js';
export { renderMusicVideo, type RenderMusicVideoOptions, type RenderMusicVideoResult } from './render.js';
export { coverRect, rectAt, randomMotion, hintedMotion, staticMotion, type MotionHint } from './motion.js';
export { frameShots, planSegments, totalFrames, type FramedShot, type Segment, type SegmentPiece } from './render-plan.js';
