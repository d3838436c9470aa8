import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * Runs a full garbage collection now. For one moment only: after a phase that dropped large
 * ArrayBuffers (the decoded PCM of a long song, ~50 MB for 10 minutes) and before a long phase
 * that allocates almost nothing on the JS heap (a render, where ffmpeg does the work). V8 frees
 * such buffers only at its next major GC, which a quiet heap may not run for minutes, and
 * meanwhile they count in the peak memory of the whole render.
 */
export async function collectGarbageNow(): Promise<void> {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  if (!gc) return;
  // Two rounds: buffers still reachable from the finishing analysis' last closures go in the
  // second; their memory is released by V8's background sweeper, given a moment.
  for (let round = 0; round < 2; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
