export { renderSong, TARGET_LUFS, CEILING_DBTP, MAX_RENDER_SECONDS, type RenderSongOptions, type RenderedSong, type SongStemName } from './render.js';
export { findSoundfont } from './soundfont.js';
export { measureLoudness, parseEbur128Summary, parseLoudnormJson, type Loudness, type MeasureOptions } from './loudness.js';
export { tracksToMidi, readMidiPrograms, DRUM_CHANNEL } from './midi.js';
export { renderVocals, type VocalRenderOptions, type VocalRenderResult } from './vocals.js';
export { buildFixtureSong, type FixtureOptions } from './testing-fixture.js';
