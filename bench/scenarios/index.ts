import type { BenchScenario } from '../types.js';
import { apiScenario } from './api.js';
import { editorScenario } from './editor.js';
import { musicVideoScenario } from './music-video.js';
import { songScenario } from './song.js';

/** Every benchmark scenario; `npm run bench NAME` runs one. */
export const scenarios: BenchScenario[] = [apiScenario, musicVideoScenario, editorScenario, songScenario];
