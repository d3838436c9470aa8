import type { SongGenerationRequest } from '../../providers/song/types.js';
import type { CreateSongBody } from './schemas.js';

/** The API body (snake_case) → the provider request (camelCase). */
export function toGenerationRequest(b: CreateSongBody): SongGenerationRequest {
  return {
    genre: b.genre,
    mood: b.mood,
    durationSeconds: b.duration_seconds,
    ...(b.lyrics !== undefined && b.lyrics.trim() !== '' ? { lyrics: b.lyrics } : {}),
    ...(b.theme !== undefined ? { theme: b.theme } : {}),
    ...(b.tempo_bpm !== undefined ? { tempoBpm: b.tempo_bpm } : {}),
    ...(b.key !== undefined ? { key: b.key } : {}),
    ...(b.vocals !== undefined ? { vocals: b.vocals } : {}),
    ...(b.seed !== undefined ? { seed: b.seed } : {}),
    ...(b.title !== undefined ? { title: b.title } : {}),
  };
}

const FIELD_PARAMS: Record<string, string> = {
  durationSeconds: 'duration_seconds',
  tempoBpm: 'tempo_bpm',
};

/** Engine field names (camelCase) → API parameter names. */
export function paramOf(field: string | undefined): string {
  if (!field) return 'body';
  return FIELD_PARAMS[field] ?? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
