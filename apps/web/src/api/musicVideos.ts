import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildUrl, getCsrfToken, refreshSession } from './client';
import { qk } from './keys';
import { ApiError, parseProblem } from './problem';
import type { Job, List } from './types';

export type AspectRatio = '16:9' | '9:16' | '1:1';
export type Resolution = '480p' | '720p' | '1080p';
export const ASPECT_RATIOS: readonly AspectRatio[] = ['16:9', '9:16', '1:1'];
export const RESOLUTIONS: readonly Resolution[] = ['480p', '720p', '1080p'];

export interface MusicVideoStyle {
  id: string;
  name: string;
  description: string;
}

export type LyricsInput = { text: string } | { lrc: string } | { srt: string };

export interface CreateMusicVideoInput {
  audio_file: string;
  image_files: string[];
  video_files?: string[];
  style?: string;
  aspect_ratio?: AspectRatio;
  resolution?: Resolution;
  lyrics?: LyricsInput;
  title?: string;
  /** 'auto': a shuffle seeded per job instead of the order of image_files. */
  photo_order?: 'user' | 'auto';
}

/** The parts of the `timeline` output (API.md "Timeline JSON") the result page shows. */
export interface MusicVideoTimeline {
  version: number;
  duration_seconds: number;
  tempo_bpm: number | null;
  /** false when no steady beat was found: cuts then follow phrases and sections. */
  has_beat: boolean;
  beats: number[];
  downbeats: number[];
  sections: Array<{ start: number; end: number; label: string; energy: number }>;
  shots: Array<{ start: number; end: number; source: string; transition?: { type: string; duration: number } }>;
  style?: string;
  /** The compromises the video had to make (lyrics or photos left out, …), in English. */
  warnings: string[];
}

const mvKeys = {
  styles: ['music_videos', 'styles'] as const,
  preview: (file: string, style: string, aspect: AspectRatio) => ['music_videos', 'preview', file, style, aspect] as const,
  timeline: (file: string) => ['music_videos', 'timeline', file] as const,
  text: (file: string) => ['files', 'text', file] as const,
};

export const listStyles = () => api<List<MusicVideoStyle>>('GET', '/music_videos/styles');
export const createMusicVideo = (body: CreateMusicVideoInput) => api<Job>('POST', '/music_videos', { body });

export function useMusicVideoStyles() {
  return useQuery({ queryKey: mvKeys.styles, queryFn: listStyles, staleTime: Infinity });
}

export function useCreateMusicVideo() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createMusicVideo,
    onSuccess: (job) => {
      qc.setQueryData(qk.job(job.id), job);
      void qc.invalidateQueries({ queryKey: qk.jobs });
      void qc.invalidateQueries({ queryKey: qk.credits });
    },
  });
}

async function postForBlob(path: string, body: unknown, signal?: AbortSignal): Promise<Blob> {
  const send = () => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'image/jpeg, application/problem+json' };
    const csrf = getCsrfToken();
    if (csrf) headers['X-CSRF-Token'] = csrf;
    return fetch(buildUrl(path), { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body), signal });
  };
  let res: Response;
  try {
    res = await send();
    if (res.status === 403 && (await parseProblem(res.clone())).code === 'csrf_invalid') {
      await refreshSession();
      res = await send();
    }
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    if (err instanceof ApiError) throw err;
    throw new ApiError({ status: 0, code: 'network_error' });
  }
  if (!res.ok) throw await parseProblem(res);
  return res.blob();
}

/** One photo in a style and aspect (POST /music_videos/preview), as an image Blob; cached for the session. */
export function useStylePreview(imageFile: string | null, style: string, aspect: AspectRatio) {
  return useQuery({
    queryKey: mvKeys.preview(imageFile ?? '', style, aspect),
    queryFn: ({ signal }) => postForBlob('/music_videos/preview', { image_file: imageFile, style, aspect_ratio: aspect }, signal),
    enabled: !!imageFile,
    staleTime: Infinity,
    gcTime: 30 * 60_000,
    retry: 1,
  });
}

async function fetchContent(fileId: string): Promise<Response> {
  const res = await fetch(buildUrl(`/files/${encodeURIComponent(fileId)}/content`), { credentials: 'same-origin' });
  if (!res.ok) throw await parseProblem(res);
  return res;
}

/** A music video's `timeline` output. */
export function useTimeline(fileId: string | null) {
  return useQuery({
    queryKey: mvKeys.timeline(fileId ?? ''),
    queryFn: async () => (await (await fetchContent(fileId!)).json()) as MusicVideoTimeline,
    enabled: !!fileId,
    staleTime: Infinity,
  });
}

/** A small text file's content (an LRC from the song studio). */
export function useFileText(fileId: string | null) {
  return useQuery({
    queryKey: mvKeys.text(fileId ?? ''),
    queryFn: async () => (await fetchContent(fileId!)).text(),
    enabled: !!fileId,
    staleTime: Infinity,
    retry: false,
  });
}

export function contentUrl(fileId: string, download = false): string {
  return buildUrl(`/files/${encodeURIComponent(fileId)}/content`, download ? { download: 1 } : undefined);
}
