import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { qk } from './keys';
import type { Job } from './types';

export type VocalStyle = 'sung' | 'spoken' | 'none';

export interface SongOptions {
  object: 'song_options';
  genres: Array<{ id: string; default_tempo_bpm: number }>;
  moods: Array<{ id: string }>;
  vocal_styles: VocalStyle[];
  duration_seconds: { min: number; max: number; default: number };
  tempo_bpm: { min: number; max: number };
  provider: string;
  lyrics_provider: string;
}

export interface CreateSongInput {
  lyrics?: string;
  theme?: string;
  genre: string;
  mood: string;
  duration_seconds: number;
  tempo_bpm?: number;
  key?: string;
  vocals?: VocalStyle;
  seed?: number;
  title?: string;
}

export interface Lyrics {
  object: 'lyrics';
  text: string;
  provider: string;
}

export const getSongOptions = () => api<SongOptions>('GET', '/songs/options');
export const createSong = (input: CreateSongInput) => api<Job>('POST', '/songs', { body: input });
export const writeLyrics = (input: { theme: string; genre: string; mood: string; seed?: number }) =>
  api<Lyrics>('POST', '/lyrics', { body: input });

export function useSongOptions() {
  return useQuery({ queryKey: ['songs', 'options'], queryFn: getSongOptions, staleTime: 5 * 60_000 });
}

export function useWriteLyrics() {
  return useMutation({ mutationFn: writeLyrics });
}

export function useCreateSong() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createSong,
    onSuccess: (job) => {
      qc.setQueryData(qk.job(job.id), job);
      void qc.invalidateQueries({ queryKey: qk.jobs });
      void qc.invalidateQueries({ queryKey: qk.credits });
    },
  });
}
