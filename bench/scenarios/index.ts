import type { BenchScenario } from '../types.js';
import { apiScenario } from './api.js';
import { musicVideoScenario } from './music-video.js';

/** Every benchmark scenario; `npm run bench NAME` runs one. */
export const scenarios: BenchScenario[] = [apiScenario, musicVideoScenario];
