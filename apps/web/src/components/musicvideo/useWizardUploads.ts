import { arrayMove } from '@dnd-kit/sortable';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { qk } from '../../api/keys';
import { ApiError } from '../../api/problem';
import type { FileKind, FileObject } from '../../api/types';
import { uploadFile, type UploadHandle } from '../../api/upload';
import { guessKind } from '../uploads/uploadsContext';

/** How many files travel at once; the rest wait their turn. */
const PARALLEL = 3;

/** What one music video takes (POST /api/v1/music_videos: image_files ≤ 200, video_files ≤ 50). */
export const MAX_PHOTOS = 200;
export const MAX_CLIPS = 50;

export interface AddResult {
  /** Names of files that are not audio, photos or video. */
  rejected: string[];
  /** Photos and clips beyond what one video takes: not added (the first ones are kept). */
  overLimit: { photos: number; clips: number };
}

export type WizardItemStatus = 'queued' | 'uploading' | 'done' | 'error';

/** One song, photo or clip of the wizard: a local file on its way, or an existing upload. */
export interface WizardItem {
  key: string;
  kind: FileKind;
  name: string;
  size: number;
  status: WizardItemStatus;
  progress: number;
  file?: File;
  /** Object URL of a local photo, for an instant thumbnail. */
  localUrl?: string;
  result?: FileObject;
  error?: unknown;
}

type Action =
  | { type: 'add'; items: WizardItem[] }
  | { type: 'start'; key: string }
  | { type: 'progress'; key: string; progress: number }
  | { type: 'done'; key: string; result: FileObject }
  | { type: 'error'; key: string; error: unknown }
  | { type: 'retry'; key: string }
  | { type: 'remove'; key: string }
  | { type: 'movePhoto'; from: string; to: string };

function reducer(items: WizardItem[], action: Action): WizardItem[] {
  const patch = (key: string, p: Partial<WizardItem>) => items.map((it) => (it.key === key ? { ...it, ...p } : it));
  switch (action.type) {
    case 'add': {
      // One song per video: a new song replaces the old one.
      const newSong = action.items.some((it) => it.kind === 'audio');
      return [...items.filter((it) => !(newSong && it.kind === 'audio')), ...action.items];
    }
    case 'start':
      return patch(action.key, { status: 'uploading', progress: 0, error: undefined });
    case 'progress':
      return patch(action.key, { progress: action.progress });
    case 'done':
      return patch(action.key, { status: 'done', progress: 1, result: action.result });
    case 'error':
      return patch(action.key, { status: 'error', error: action.error });
    case 'retry':
      return patch(action.key, { status: 'queued', progress: 0, error: undefined });
    case 'remove':
      return items.filter((it) => it.key !== action.key);
    case 'movePhoto': {
      const photos = items.filter((it) => it.kind === 'image');
      const from = photos.findIndex((p) => p.key === action.from);
      const to = photos.findIndex((p) => p.key === action.to);
      if (from < 0 || to < 0 || from === to) return items;
      return [...items.filter((it) => it.kind !== 'image'), ...arrayMove(photos, from, to)];
    }
  }
}

let seq = 0;
const nextKey = () => `mv_${Date.now().toString(36)}_${(seq += 1)}`;

export interface WizardUploads {
  song: WizardItem | null;
  photos: WizardItem[];
  clips: WizardItem[];
  /** Adds files by kind, up to MAX_PHOTOS photos and MAX_CLIPS clips in all. */
  add(files: File[]): AddResult;
  /** Uses an existing upload (e.g. the song from the song studio). */
  addExisting(file: FileObject): void;
  remove(key: string): void;
  retry(key: string): void;
  movePhoto(from: string, to: string): void;
  /** True while any file is still uploading or waiting. */
  busy: boolean;
}

/** The wizard's own uploads: each file with its progress, photos in the chosen order. */
export function useWizardUploads(): WizardUploads {
  const [items, dispatch] = useReducer(reducer, []);
  const current = useRef(items);
  current.current = items;
  const handles = useRef(new Map<string, UploadHandle>());
  const urls = useRef(new Map<string, string>());
  const qc = useQueryClient();

  useEffect(() => {
    const waiting = items.filter((it) => it.status === 'queued' && it.file && !handles.current.has(it.key));
    for (const item of waiting.slice(0, Math.max(0, PARALLEL - handles.current.size))) {
      dispatch({ type: 'start', key: item.key });
      let last = 0;
      const purpose = item.kind === 'audio' ? 'audio' : item.kind === 'image' ? 'image' : 'video';
      const handle = uploadFile(
        item.file!,
        (fraction) => {
          if (fraction === 1 || Math.abs(fraction - last) >= 0.01) {
            last = fraction;
            dispatch({ type: 'progress', key: item.key, progress: fraction });
          }
        },
        purpose,
      );
      handles.current.set(item.key, handle);
      handle.promise
        .then((result) => {
          handles.current.delete(item.key);
          dispatch({ type: 'done', key: item.key, result });
          qc.setQueryData(qk.file(result.id), result);
          void qc.invalidateQueries({ queryKey: qk.files });
        })
        .catch((error: unknown) => {
          handles.current.delete(item.key);
          if (error instanceof ApiError && error.code === 'aborted') return; // removed by the user
          dispatch({ type: 'error', key: item.key, error });
        });
    }
  }, [items, qc]);

  // Leaving the wizard stops uploads nobody will use and frees the thumbnails.
  useEffect(() => {
    const liveHandles = handles.current;
    const liveUrls = urls.current;
    return () => {
      for (const h of liveHandles.values()) h.abort();
      for (const u of liveUrls.values()) URL.revokeObjectURL(u);
    };
  }, []);

  const add = useCallback((files: File[]): AddResult => {
    const rejected: string[] = [];
    const overLimit = { photos: 0, clips: 0 };
    const added: WizardItem[] = [];
    let photos = current.current.filter((it) => it.kind === 'image').length;
    let clips = current.current.filter((it) => it.kind === 'video').length;
    let song: File | undefined;
    for (const file of files) {
      const kind = guessKind(file);
      if (!kind) rejected.push(file.name);
      else if (kind === 'audio') song = file; // the last one wins
      else if (kind === 'image' && photos >= MAX_PHOTOS) overLimit.photos++;
      else if (kind === 'video' && clips >= MAX_CLIPS) overLimit.clips++;
      else {
        if (kind === 'image') photos++;
        else clips++;
        added.push(makeItem(file, kind));
      }
    }
    if (song) added.unshift(makeItem(song, 'audio'));
    for (const it of added) {
      if (it.kind === 'image' && it.file) {
        it.localUrl = URL.createObjectURL(it.file);
        urls.current.set(it.key, it.localUrl);
      }
    }
    if (added.length) {
      dispatch({ type: 'add', items: added });
      // Files dropped again before React re-renders count against the limits too.
      current.current = reducer(current.current, { type: 'add', items: added });
    }
    return { rejected, overLimit };
  }, []);

  const addExisting = useCallback((file: FileObject) => {
    dispatch({
      type: 'add',
      items: [{ key: nextKey(), kind: file.kind, name: file.filename, size: file.size_bytes, status: 'done', progress: 1, result: file }],
    });
  }, []);

  const remove = useCallback((key: string) => {
    handles.current.get(key)?.abort();
    handles.current.delete(key);
    const url = urls.current.get(key);
    if (url) {
      URL.revokeObjectURL(url);
      urls.current.delete(key);
    }
    dispatch({ type: 'remove', key });
  }, []);

  // A replaced song is dropped by the reducer: stop its upload too.
  useEffect(() => {
    for (const [key, handle] of handles.current) {
      if (!items.some((it) => it.key === key)) {
        handle.abort();
        handles.current.delete(key);
      }
    }
  }, [items]);

  const retry = useCallback((key: string) => dispatch({ type: 'retry', key }), []);
  const movePhoto = useCallback((from: string, to: string) => dispatch({ type: 'movePhoto', from, to }), []);

  return useMemo(() => {
    const song = items.find((it) => it.kind === 'audio') ?? null;
    return {
      song,
      photos: items.filter((it) => it.kind === 'image'),
      clips: items.filter((it) => it.kind === 'video'),
      add,
      addExisting,
      remove,
      retry,
      movePhoto,
      busy: items.some((it) => it.status === 'queued' || it.status === 'uploading'),
    };
  }, [items, add, addExisting, remove, retry, movePhoto]);
}

function makeItem(file: File, kind: FileKind): WizardItem {
  return { key: nextKey(), kind, name: file.name, size: file.size, status: 'queued', progress: 0, file };
}
