import type { Config } from '../../config/env.js';
import { LocalSongGenerator } from './local.js';
import { MINIMAX_MODEL, MiniMaxSongGenerator } from './minimax.js';
import { ReplicateSongGenerator } from './replicate.js';
import type { SongGenerator } from './types.js';

export * from './types.js';
export { LocalSongGenerator, fileBase } from './local.js';
export { MiniMaxSongGenerator } from './minimax.js';
export { ReplicateSongGenerator } from './replicate.js';

/** What new jobs record as their provider before they run (the run refines it). */
export function songProviderLabel(config: Pick<Config, 'songs'>): string {
  const s = config.songs;
  if (s.provider === 'minimax' && s.minimax.apiKey) return `minimax (${MINIMAX_MODEL})`;
  if (s.provider === 'replicate' && s.replicate.apiToken) return 'replicate (YuE)';
  return 'local-composer (algorithmic)';
}

/** The song provider chosen by config (`CLIPMIX_SONG_PROVIDER`, default the local composer). */
export function createSongGenerator(config: Pick<Config, 'songs' | 'allowLoopbackUrls'>): SongGenerator {
  const s = config.songs;
  const allowLoopback = config.allowLoopbackUrls;
  if (s.provider === 'minimax' && s.minimax.apiKey) {
    return new MiniMaxSongGenerator({ apiKey: s.minimax.apiKey, baseUrl: s.minimax.baseUrl, allowLoopback });
  }
  if (s.provider === 'replicate' && s.replicate.apiToken) {
    return new ReplicateSongGenerator({ apiToken: s.replicate.apiToken, baseUrl: s.replicate.baseUrl, allowLoopback });
  }
  return new LocalSongGenerator();
}
