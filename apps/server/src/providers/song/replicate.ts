import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileBase } from './local.js';
import { asProviderError } from './minimax.js';
import { audioTypeOf, lyricsToSing, stylePrompt } from './prompt.js';
import { SongProviderError, type SongGenerationContext, type SongGenerationRequest, type SongGenerationResult, type SongGenerator } from './types.js';
import { sleep, VendorHttp } from './vendor-http.js';

/** YuE (m-a-p, Apache-2.0) packaged for Replicate as fofr/yue; its input schema is below. */
export const YUE_VERSION = 'be46b4902810c246b66aa69b043ae3b0625dab20266583fbb3b62b87ba416aba';
/** YuE renders in segments of roughly this many seconds. */
const SEGMENT_SECONDS = 30;

interface Prediction {
  id: string;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  output?: unknown;
  error?: string | null;
  logs?: string | null;
  urls?: { get?: string; cancel?: string };
}

/**
 * YuE on Replicate: `POST /v1/predictions {version, input}`, then poll `urls.get` until the
 * prediction succeeds, then download `output` (result URLs go through the SSRF-safe client).
 * Cancelling the job cancels the prediction.
 */
export class ReplicateSongGenerator implements SongGenerator {
  readonly id = 'replicate';
  readonly label = 'replicate (YuE)';
  private readonly http: VendorHttp;

  constructor(private readonly opts: { apiToken: string; baseUrl: string; allowLoopback: boolean; pollMs?: number; version?: string }) {
    this.http = new VendorHttp('Replicate', { allowLoopback: opts.allowLoopback });
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  async generate(request: SongGenerationRequest, ctx: SongGenerationContext): Promise<SongGenerationResult> {
    const headers = { authorization: `Bearer ${this.opts.apiToken}` };
    const signal = ctx.signal;
    const lyrics = lyricsToSing(request);
    const segments = Math.max(1, Math.min(10, Math.round(request.durationSeconds / SEGMENT_SECONDS)));
    const input = {
      genre_description: stylePrompt(request),
      lyrics: yueLyrics(lyrics?.text),
      num_segments: segments,
      max_new_tokens: Math.max(500, Math.min(3000, Math.round((request.durationSeconds / segments) * 50))),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    };
    ctx.onProgress?.(0.02);
    let prediction: Prediction;
    try {
      prediction = await this.http.json<Prediction>(`${this.opts.baseUrl.replace(/\/$/, '')}/v1/predictions`, {
        body: { version: this.opts.version ?? YUE_VERSION, input },
        headers,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      throw asProviderError(err);
    }
    const started = Date.now();
    try {
      while (prediction.status === 'starting' || prediction.status === 'processing') {
        // No progress from the vendor: creep towards 90 % over about the expected render time.
        const elapsed = (Date.now() - started) / 1000;
        ctx.onProgress?.(0.05 + 0.85 * (1 - Math.exp(-elapsed / Math.max(60, request.durationSeconds * 2))));
        await sleep(this.opts.pollMs ?? 2000, signal);
        const next = prediction.urls?.get;
        if (!next) throw new SongProviderError('provider_failed', 'Replicate returned a prediction without urls.get', false);
        prediction = await this.http.json<Prediction>(next, { headers, ...(signal ? { signal } : {}) });
      }
    } catch (err) {
      if (signal?.aborted && prediction.urls?.cancel) {
        await this.http.json(prediction.urls.cancel, { method: 'POST', headers }).catch(() => undefined);
      }
      throw asProviderError(err);
    }
    if (prediction.status !== 'succeeded') {
      throw new SongProviderError('provider_failed', `Replicate prediction ${prediction.id} ${prediction.status}: ${prediction.error ?? 'no reason given'}`, true);
    }
    const urls = (Array.isArray(prediction.output) ? prediction.output : [prediction.output]).filter((u): u is string => typeof u === 'string' && u.length > 0);
    if (!urls.length) throw new SongProviderError('provider_failed', `Replicate prediction ${prediction.id} succeeded without an output file`, true);

    const dir = path.join(ctx.workDir, 'out');
    await mkdir(dir, { recursive: true });
    const type = audioTypeOf(urls[0]!);
    const file = path.join(dir, `song${type.ext}`);
    try {
      await this.http.download(urls[0]!, file, signal);
    } catch (err) {
      throw asProviderError(err);
    }
    ctx.onProgress?.(1);
    return {
      files: [{ path: file, role: 'audio', mime: type.mime, kind: 'audio', name: `${fileBase(request.title)}${type.ext}`, metadata: { format: type.ext.slice(1) } }],
      provider: this.label,
      meta: {
        prediction: prediction.id,
        version: this.opts.version ?? YUE_VERSION,
        lyrics_source: lyrics?.source ?? 'none',
        outputs: urls.length,
        warnings: ['YuE makes one mixed track: no stems, MIDI or timed lyrics; the duration is approximate.'],
      },
    };
  }
}

/** YuE wants lowercase [verse]/[chorus]/[bridge]/[outro] segments; untagged text becomes a verse. */
export function yueLyrics(text: string | undefined): string {
  if (!text?.trim()) return '[verse]\n\n[chorus]\n';
  const mapped = text
    .replace(/\r\n?/g, '\n')
    .replace(/^\s*\[(verse|chorus|bridge|outro|intro|pre-?chorus)[^\]]*\]\s*$/gim, (_m, tag: string) => {
      const t = tag.toLowerCase();
      return `[${t === 'intro' ? 'verse' : t.startsWith('pre') ? 'chorus' : t}]`;
    })
    .trim();
  return /^\[(verse|chorus|bridge|outro)\]/.test(mapped) ? mapped : `[verse]\n${mapped}`;
}
