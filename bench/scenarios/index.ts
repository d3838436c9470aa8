import type { BenchScenario } from '../types.js';

/** Every benchmark scenario; `npm run bench NAME` runs one. */
export const scenarios: BenchScenario[] = [];
