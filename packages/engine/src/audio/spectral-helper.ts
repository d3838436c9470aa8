/**
 * A second thread for the STFT, the largest part of an analysis. The decoder writes the PCM
 * into a SharedArrayBuffer; as frames become computable they are offered in small blocks, which
 * the helper thread and the caller's thread claim (the caller takes as many as it is told to:
 * none while it should be draining the decoder's pipe, all that are left at the end). Both
 * write into shared mel / chroma arrays, run the same code on the same input, and so give
 * features identical to a single-threaded run, whichever thread computed a frame.
 *
 * The helper is one worker thread per process, started on first use from the source text of
 * the plan / frame / FFT functions (they use no free names but globals), so it needs no
 * separate file next to the sources, the CLI bundle or a test runner's transform. It is
 * unref'd and ends shortly after its last job. When it cannot run (one CPU, no worker support,
 * already busy with another analysis) the caller computes every frame itself.
 *
 * Control words, an Int32Array over a SharedArrayBuffer (literal indices in the self-contained
 * functions below):
 *   0 NEXT   next unclaimed frame          1 LIMIT  frames below it may be claimed
 *   2 DONE   frames the helper finished    3 GEN    generation of the buffers the helper must use
 *   4 STOP   1: the helper leaves this job 5 SEQ    bumped on every change of LIMIT / STOP (wake-ups)
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { RealFFT, hannWindow } from './fft.js';
import { frameKernel, makePlan, spectralFrame } from './spectral-plan.js';
import type { SpectralOptions } from './spectrogram.js';

const NEXT = 0;
const LIMIT = 1;
const DONE = 2;
const GEN = 3;
const STOP = 4;
const SEQ = 5;
/** Frames per claim: small enough to balance two threads on ~32 new frames per decoder chunk. */
const BLOCK = 8;
/** No progress from the helper for this long while waiting for it: it is presumed dead. */
let stallMs = 3000;
/**
 * An idle helper ends after this long: back-to-back analyses share a warm thread, but a render
 * does not keep one — nor, until that thread's next GC, its references to the shared PCM and
 * features — through the encode.
 */
const IDLE_MS = 250;

/**
 * Claims the next block of at most `block` frames below LIMIT as [out[0], out[1]); false when
 * none is left. Self-contained: the helper runs it from its source text.
 */
export function claimBlock(ctrl: Int32Array, block: number, out: Int32Array): boolean {
  for (;;) {
    const next = Atomics.load(ctrl, 0);
    const limit = Atomics.load(ctrl, 1);
    if (next >= limit) return false;
    const end = Math.min(limit, next + block);
    if (Atomics.compareExchange(ctrl, 0, next, end) === next) {
      out[0] = next;
      out[1] = end;
      return true;
    }
  }
}

interface HelperLib {
  makePlan: typeof makePlan;
  frameKernel: typeof frameKernel;
  spectralFrame: typeof spectralFrame;
  RealFFT: typeof RealFFT;
  hannWindow: typeof hannWindow;
  claimBlock: typeof claimBlock;
}

interface JobMessage {
  ctrl: Int32Array;
  port: MessagePort;
  sampleRate: number;
  options: SpectralOptions;
  block: number;
  samples: Float32Array;
  mel: Float32Array;
  chroma: Float32Array;
}

interface BufferUpdate {
  gen: number;
  samples?: Float32Array;
  mel?: Float32Array;
  chroma?: Float32Array;
}

/** The helper thread's body (run from its source text: only its parameters and globals). */
function helperMain(wt: typeof import('node:worker_threads'), lib: HelperLib): void {
  wt.parentPort!.on('message', (job: JobMessage) => {
    const { ctrl, port } = job;
    let { samples, mel, chroma } = job;
    let gen = 0;
    const kernel = lib.frameKernel(lib.makePlan(job.sampleRate, job.options), lib);
    const claim = new Int32Array(2);
    while (Atomics.load(ctrl, 4) === 0) {
      const seq = Atomics.load(ctrl, 5);
      if (!lib.claimBlock(ctrl, job.block, claim)) {
        Atomics.wait(ctrl, 5, seq, 1000);
        continue;
      }
      // Buffers replaced before this block was offered: their update was posted first.
      while (gen !== Atomics.load(ctrl, 3)) {
        const m = wt.receiveMessageOnPort(port);
        if (!m) {
          Atomics.wait(ctrl, 5, Atomics.load(ctrl, 5), 1);
          continue;
        }
        const u = m.message as BufferUpdate;
        gen = u.gen;
        if (u.samples) samples = u.samples;
        if (u.mel && u.chroma) {
          mel = u.mel;
          chroma = u.chroma;
        }
      }
      for (let t = claim[0]!; t < claim[1]!; t++) lib.spectralFrame(kernel, samples, t, mel, chroma);
      Atomics.add(ctrl, 2, claim[1]! - claim[0]!);
      Atomics.notify(ctrl, 2);
    }
    port.close();
  });
}

function helperSource(): string {
  const lib = [
    `makePlan: (${makePlan.toString()})`,
    `frameKernel: (${frameKernel.toString()})`,
    `spectralFrame: (${spectralFrame.toString()})`,
    `RealFFT: (${RealFFT.toString()})`,
    `hannWindow: (${hannWindow.toString()})`,
    `claimBlock: (${claimBlock.toString()})`,
  ].join(',\n');
  // esbuild's keepNames (tsx; any bundle built with it) calls a naming helper inside function and
  // class bodies: `__name`, or a shorter name when minified, as the class's static block shows.
  const names = new Set(['__name']);
  const renamed = /static\s*\{\s*([\w$]+)\(this,\s*"RealFFT"\)/.exec(RealFFT.toString());
  if (renamed) names.add(renamed[1]!);
  const shims = [...names].map((n) => `var ${n} = (target) => target;`).join('\n');
  return `'use strict';\n${shims}\n(${helperMain.toString()})(require('node:worker_threads'), {\n${lib}\n});\n`;
}

interface HelperThread {
  worker: Worker;
  busy: boolean;
  idle: ReturnType<typeof setTimeout> | null;
}

let thread: HelperThread | null = null;
/** Set once a helper failed: this process computes every frame itself from then on. */
let unavailable = false;

function acquireThread(): HelperThread | null {
  if (unavailable) return null;
  if (!thread) {
    if (availableParallelism() < 2) {
      unavailable = true;
      return null;
    }
    try {
      const worker = new Worker(helperSource(), { eval: true, name: 'clipmix-stft' });
      worker.unref();
      const t: HelperThread = { worker, busy: false, idle: null };
      const gone = (): void => {
        if (thread === t) thread = null;
      };
      worker.on('error', (e) => {
        unavailable = true;
        gone();
      });
      worker.on('exit', gone);
      thread = t;
    } catch {
      unavailable = true;
      return null;
    }
  }
  if (thread.busy) return null;
  thread.busy = true;
  if (thread.idle) clearTimeout(thread.idle);
  thread.idle = null;
  return thread;
}

function releaseThread(t: HelperThread, broken: boolean): void {
  t.busy = false;
  if (broken) {
    unavailable = true;
    if (thread === t) thread = null;
    void t.worker.terminate();
    return;
  }
  if (thread !== t) return;
  t.idle = setTimeout(() => {
    if (thread === t && !t.busy) {
      thread = null;
      void t.worker.terminate();
    }
  }, IDLE_MS);
  t.idle.unref();
}

/** One STFT's use of the helper thread. `compute(samples, t)` computes frame t on this thread. */
export class SpectralHelperJob {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(6 * 4));
  private readonly claim = new Int32Array(2);
  private gen = 0;
  private mainDone = 0;
  private ended = false;

  private constructor(
    private readonly thread: HelperThread,
    private readonly port: MessagePort,
    public samples: Float32Array,
    private readonly compute: (samples: Float32Array, t: number) => void,
  ) {}

  /** Null when no helper can run now: the caller computes every frame. */
  static start(
    sampleRate: number,
    options: SpectralOptions,
    samples: Float32Array,
    mel: Float32Array,
    chroma: Float32Array,
    compute: (samples: Float32Array, t: number) => void,
  ): SpectralHelperJob | null {
    const t = acquireThread();
    if (!t) return null;
    const { port1, port2 } = new MessageChannel();
    const job = new SpectralHelperJob(t, port1, samples, compute);
    const message: JobMessage = { ctrl: job.ctrl, port: port2, sampleRate, options, block: BLOCK, samples, mel, chroma };
    try {
      t.worker.postMessage(message, [port2]);
    } catch {
      port1.close();
      releaseThread(t, true);
      return null;
    }
    return job;
  }

  /**
   * Frames below `limit` may now be computed: this thread takes at most `ownBlocks` blocks of
   * them (the helper takes the rest as it wakes).
   */
  offer(samples: Float32Array, limit: number, ownBlocks = Infinity): void {
    const { ctrl, claim } = this;
    if (samples.buffer !== this.samples.buffer) this.post({ gen: this.gen + 1, samples });
    this.samples = samples;
    Atomics.store(ctrl, LIMIT, limit);
    this.wake();
    for (let b = 0; b < ownBlocks && claimBlock(ctrl, BLOCK, claim); b++) {
      for (let t = claim[0]!; t < claim[1]!; t++) this.compute(samples, t);
      this.mainDone += claim[1]! - claim[0]!;
    }
  }

  /** New output arrays (after `quiesce`): the helper writes its next blocks there. */
  setOutputs(mel: Float32Array, chroma: Float32Array): void {
    this.post({ gen: this.gen + 1, mel, chroma });
  }

  /**
   * Computes the frames nobody claimed yet and waits until every claimed frame is written. A helper that makes no progress for `stallMs` is
   * presumed dead (stallMs): it is dropped and this thread recomputes every frame handed out so far (it
   * cannot know which of them the helper finished).
   */
  quiesce(): void {
    const { ctrl, claim } = this;
    // The frames not claimed yet: this thread computes them beside the helper.
    while (claimBlock(ctrl, BLOCK, claim)) {
      for (let t = claim[0]!; t < claim[1]!; t++) this.compute(this.samples, t);
      this.mainDone += claim[1]! - claim[0]!;
    }
    let seen = Atomics.load(ctrl, DONE);
    let since = performance.now();
    while (seen + this.mainDone < Atomics.load(ctrl, NEXT)) {
      Atomics.wait(ctrl, DONE, seen, 50);
      const now = Atomics.load(ctrl, DONE);
      if (now !== seen) {
        seen = now;
        since = performance.now();
      } else if (performance.now() - since > stallMs) {
        const handedOut = Atomics.load(ctrl, NEXT);
        this.end(true);
        for (let t = 0; t < handedOut; t++) this.compute(this.samples, t);
        return;
      }
    }
  }

  /** False once the helper left (ended, or dropped by `quiesce`). */
  get active(): boolean {
    return !this.ended;
  }

  /** Leaves the helper (after `quiesce` when the frames are wanted); returns the frames it computed. */
  end(broken = false): number {
    if (this.ended) return Atomics.load(this.ctrl, DONE);
    this.ended = true;
    Atomics.store(this.ctrl, STOP, 1);
    this.wake();
    this.port.close();
    releaseThread(this.thread, broken);
    return Atomics.load(this.ctrl, DONE);
  }

  private post(update: BufferUpdate): void {
    this.port.postMessage(update);
    this.gen = update.gen;
    Atomics.store(this.ctrl, GEN, update.gen);
  }

  private wake(): void {
    Atomics.add(this.ctrl, SEQ, 1);
    Atomics.notify(this.ctrl, SEQ);
  }
}

/** For tests: a shorter stall timeout, and forgetting a failed helper. */
export const spectralHelperTesting = {
  setStallMs(ms: number): void {
    stallMs = ms;
  },
  reset(): void {
    unavailable = false;
  },
  /** Takes the next frames as a helper that then dies would: claimed, never done. */
  claimAsDeadHelper(job: SpectralHelperJob, frames: number): void {
    Atomics.add((job as unknown as { ctrl: Int32Array }).ctrl, NEXT, frames);
  },
};
