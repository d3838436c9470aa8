import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileBase } from './local.js';
import { audioTypeOf, lyricsToSing, stylePrompt } from './prompt.js';
import { SongProviderError, type SongGenerationContext, type SongGenerationRequest, type SongGenerationResult, type SongGenerator } from './types.js';
import { VendorError, VendorHttp } from './vendor-http.js';

export const MINIMAX_MODEL = 'music-2.6';
/** MiniMax's documented limits for `lyrics` and `prompt` (characters). */
const MAX_LYRICS = 3500;
const MAX_PROMPT = 2000;
/** Generation is synchronous and can take minutes. */
const GENERATION_TIMEOUT_MS = 15 * 60_000;

interface MiniMaxMusicResponse {
  data?: { audio?: string; status?: number } | null;
  extra_info?: { music_duration?: number; music_sample_rate?: number; music_channel?: number; bitrate?: number; music_size?: number };
  trace_id?: string;
  base_resp?: { status_code?: number; status_msg?: string };
}

/**
 * MiniMax Music (`POST /v1/music_generation`): a style prompt plus tagged lyrics → one mixed
 * song, returned as hex-encoded audio or a URL (downloaded through the SSRF-safe client). No
 * stems, MIDI or timed lyrics; the requested duration is only a hint in the prompt.
 */
export class MiniMaxSongGenerator implements SongGenerator {
  readonly id = 'minimax';
  readonly label = `minimax (${MINIMAX_MODEL})`;
  private readonly http: VendorHttp;

  constructor(private readonly opts: { apiKey: string; baseUrl: string; allowLoopback: boolean }) {
    this.http = new VendorHttp('MiniMax', { allowLoopback: opts.allowLoopback });
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  async generate(request: SongGenerationRequest, ctx: SongGenerationContext): Promise<SongGenerationResult> {
    ctx.onProgress?.(0.02);
    const lyrics = lyricsToSing(request);
    if (lyrics && lyrics.text.length > MAX_LYRICS) {
      throw new SongProviderError('lyrics_too_long', `MiniMax accepts at most ${MAX_LYRICS} characters of lyrics (got ${lyrics.text.length})`, true, 'lyrics');
    }
    const body = {
      model: MINIMAX_MODEL,
      prompt: stylePrompt(request).slice(0, MAX_PROMPT),
      ...(lyrics ? { lyrics: lyrics.text } : { is_instrumental: true }),
      audio_setting: { sample_rate: 44100, bitrate: 256000, format: 'mp3' },
      output_format: 'hex',
    };
    let res: MiniMaxMusicResponse;
    try {
      res = await this.http.json<MiniMaxMusicResponse>(`${this.opts.baseUrl.replace(/\/$/, '')}/v1/music_generation`, {
        body,
        headers: { authorization: `Bearer ${this.opts.apiKey}` },
        timeoutMs: GENERATION_TIMEOUT_MS,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }, (b) => (b as MiniMaxMusicResponse | undefined)?.base_resp?.status_msg);
    } catch (err) {
      throw asProviderError(err);
    }
    const code = res.base_resp?.status_code ?? 0;
    if (code !== 0) {
      throw new SongProviderError('provider_rejected', `MiniMax refused the song (${code}): ${res.base_resp?.status_msg ?? 'no reason given'}`, true);
    }
    const audio = res.data?.audio;
    if (!audio || (res.data?.status !== undefined && res.data.status !== 2)) {
      throw new SongProviderError('provider_failed', `MiniMax returned no finished audio (status ${res.data?.status ?? 'missing'})`, false);
    }
    ctx.onProgress?.(0.8);

    const dir = path.join(ctx.workDir, 'out');
    await mkdir(dir, { recursive: true });
    const isUrl = /^https?:\/\//i.test(audio);
    const type = isUrl ? audioTypeOf(audio) : { ext: '.mp3', mime: 'audio/mpeg' };
    const file = path.join(dir, `song${type.ext}`);
    if (isUrl) {
      try {
        await this.http.download(audio, file, ctx.signal);
      } catch (err) {
        throw asProviderError(err);
      }
    } else {
      if (!/^[0-9a-f]+$/i.test(audio) || audio.length % 2) throw new SongProviderError('provider_failed', 'MiniMax returned audio that is not hex-encoded', false);
      await writeFile(file, Buffer.from(audio, 'hex'));
    }
    ctx.onProgress?.(1);
    const durationSeconds = res.extra_info?.music_duration ? res.extra_info.music_duration / 1000 : undefined;
    return {
      files: [
        {
          path: file,
          role: 'audio',
          mime: type.mime,
          kind: 'audio',
          name: `${fileBase(request.title)}${type.ext}`,
          ...(durationSeconds ? { durationSeconds } : {}),
          metadata: { format: type.ext.slice(1) },
        },
      ],
      provider: this.label,
      meta: {
        model: MINIMAX_MODEL,
        trace_id: res.trace_id ?? null,
        lyrics_source: lyrics?.source ?? 'none',
        duration_seconds: durationSeconds ?? null,
        warnings: ['MiniMax makes one mixed track: no stems, MIDI or timed lyrics; the duration is a hint.'],
      },
    };
  }
}

export function asProviderError(err: unknown): unknown {
  if (err instanceof VendorError) return new SongProviderError('provider_failed', err.message, err.permanent);
  return err;
}
