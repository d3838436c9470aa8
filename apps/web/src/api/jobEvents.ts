import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { invalidateAfterJob, patchJobInCache } from './jobs';
import { isJobActive, type Job, type JobStatus } from './types';

/**
 * Browsers allow six HTTP/1.1 connections per origin; uploads and API calls need some of them.
 * At most this many event streams stay open; other active jobs are refreshed by polling.
 */
const MAX_STREAMS = 2;
let openStreams = 0;
const waiters = new Set<() => void>();

function releaseSlot() {
  openStreams = Math.max(0, openStreams - 1);
  const next = waiters.values().next();
  if (!next.done) next.value();
}

/**
 * Follows a job's Server-Sent Events while it is queued or running and writes progress into
 * the React Query cache, so every view of the job (lists, detail, upload queue) moves live.
 */
export function useJobEvents(jobId: string | null | undefined, status: JobStatus | undefined): void {
  const qc = useQueryClient();
  const active = !!jobId && !!status && isJobActive(status);
  const [slotTick, setSlotTick] = useState(0);

  useEffect(() => {
    if (!active || !jobId || typeof EventSource === 'undefined') return;
    if (openStreams >= MAX_STREAMS) {
      const wake = () => setSlotTick((n) => n + 1);
      waiters.add(wake);
      return () => {
        waiters.delete(wake);
      };
    }
    openStreams += 1;
    let closed = false;
    const source = new EventSource(`/api/v1/jobs/${encodeURIComponent(jobId)}/events`);
    const close = () => {
      if (closed) return;
      closed = true;
      source.close();
      releaseSlot();
    };
    const onProgress = (e: MessageEvent<string>) => {
      try {
        const data = JSON.parse(e.data) as { progress: number; status: JobStatus };
        patchJobInCache(qc, jobId, { progress: data.progress, status: data.status });
      } catch {
        /* ignore malformed frames */
      }
    };
    const onFinal = (e: MessageEvent<string>) => {
      try {
        const job = JSON.parse(e.data) as Job;
        patchJobInCache(qc, jobId, job);
      } catch {
        /* the refetch below repairs the cache */
      }
      close();
      invalidateAfterJob(qc);
    };
    const onError = () => {
      // The stream ended or failed: stop it and let polling take over.
      close();
      void qc.invalidateQueries({ queryKey: ['jobs'] });
    };
    source.addEventListener('progress', onProgress as EventListener);
    for (const name of ['succeeded', 'failed', 'canceled']) source.addEventListener(name, onFinal as EventListener);
    source.addEventListener('error', onError);
    return close;
  }, [active, jobId, qc, slotTick]);
}
