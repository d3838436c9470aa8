/**
 * The product's job types that have a module so far. `startWorkers` refuses to start when one of
 * them has no handler in ctx.jobHandlers, so a deployment can never accept jobs nobody runs.
 * Add a type here when its module (and handler) lands.
 */
export const JOB_TYPES: readonly string[] = ['media.process', 'music_video', 'song', 'edit'];

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export const FINAL_STATUSES = ['succeeded', 'failed', 'canceled'] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export const isFinal = (status: string): status is FinalStatus => (FINAL_STATUSES as readonly string[]).includes(status);
