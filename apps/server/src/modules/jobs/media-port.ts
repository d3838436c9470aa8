import type { AppContext } from '../../app.js';

/**
 * What the jobs module needs from the media module (implemented by MediaService). Looked up at
 * call time so the two modules can be built independently.
 */
export interface JobMediaPort {
  /** A local path with the bytes of one of the user's files; release() when done. */
  localPath(userId: string, fileId: string): Promise<{ path: string; release(): Promise<void> }>;
  /** Stores a local file as a new file of the user produced by a job; returns the file id. */
  createFromLocalFile(spec: {
    userId: string;
    jobId: string;
    role: string;
    path: string;
    mime: string;
    kind: 'audio' | 'image' | 'video' | 'other';
    parentFileId?: string;
    durationSeconds?: number | null;
    width?: number | null;
    height?: number | null;
    metadata?: Record<string, unknown>;
    originalName?: string | null;
  }): Promise<string>;
  /** Removes the file row, its blob and derived files. */
  deleteFile(userId: string, fileId: string): Promise<void>;
}

export function mediaPort<K extends keyof JobMediaPort>(ctx: AppContext, method: K): JobMediaPort[K] {
  const media = ctx.services.media as unknown as Partial<JobMediaPort> | undefined;
  const fn = media?.[method];
  if (typeof fn !== 'function') throw new Error(`MediaService.${method} is not available`);
  return fn.bind(media) as JobMediaPort[K];
}
