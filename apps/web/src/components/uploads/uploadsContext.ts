import { createContext, useContext } from 'react';
import type { FileKind, FileObject } from '../../api/types';

export type UploadStatus = 'queued' | 'uploading' | 'done' | 'error' | 'canceled';

export interface UploadItem {
  id: string;
  file: File;
  kind: FileKind | null;
  progress: number;
  status: UploadStatus;
  error?: unknown;
  result?: FileObject;
}

export interface UploadsApi {
  items: UploadItem[];
  add(files: File[]): void;
  cancel(id: string): void;
  retry(id: string): void;
  dismiss(id: string): void;
  clearFinished(): void;
}

export const UploadsContext = createContext<UploadsApi | null>(null);

export function useUploads(): UploadsApi {
  const ctx = useContext(UploadsContext);
  if (!ctx) throw new Error('useUploads() must be used inside <UploadsProvider>');
  return ctx;
}

export function guessKind(file: File): FileKind | null {
  const type = file.type.split('/')[0];
  if (type === 'audio' || type === 'image' || type === 'video') return type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  if (['mp3', 'wav', 'flac', 'aac', 'm4a', 'ogg', 'oga', 'opus'].includes(ext)) return 'audio';
  if (['jpg', 'jpeg', 'png', 'webp', 'avif', 'heic', 'heif', 'gif'].includes(ext)) return 'image';
  if (['mp4', 'mov', 'webm', 'm4v', 'mkv'].includes(ext)) return 'video';
  return null;
}
