import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { composeSong, renderSong, songToLrc, SongRequestError, writeMidi, type ComposedSong } from '@clipmix/engine';
import { SongProviderError, type GeneratedFile, type SongGenerationContext, type SongGenerationRequest, type SongGenerationResult, type SongGenerator } from './types.js';

/** Share of the progress bar spent composing (pure JS, quick) before the render. */
const COMPOSE_SHARE = 0.05;
const FILES_SHARE = 0.98;

/**
 * The default provider: ClipMix's own composer (music theory → arrangement → notes) rendered on
 * this machine with a General MIDI soundfont and a formant voice. No network, no model weights.
 */
export class LocalSongGenerator implements SongGenerator {
  readonly id = 'local';
  readonly label = 'local-composer (algorithmic)';

  /** Composes without rendering: validates a request (throws SongProviderError with the field). */
  compose(request: SongGenerationRequest): ComposedSong {
    try {
      return composeSong({
        genre: request.genre,
        mood: request.mood,
        durationSeconds: request.durationSeconds,
        ...(request.lyrics !== undefined ? { lyrics: request.lyrics } : {}),
        ...(request.theme !== undefined ? { theme: request.theme } : {}),
        ...(request.tempoBpm !== undefined ? { tempoBpm: request.tempoBpm } : {}),
        ...(request.key !== undefined ? { key: request.key } : {}),
        ...(request.vocals !== undefined ? { vocals: request.vocals } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
      });
    } catch (err) {
      if (err instanceof SongRequestError) {
        // The engine prefixes its message with the (camelCase) field; callers name it their own way.
        const message = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
        throw new SongProviderError('invalid_song_request', message, true, err.field);
      }
      throw err;
    }
  }

  async generate(request: SongGenerationRequest, ctx: SongGenerationContext): Promise<SongGenerationResult> {
    ctx.onProgress?.(0);
    const song = this.compose(request);
    ctx.signal?.throwIfAborted();
    ctx.onProgress?.(COMPOSE_SHARE);
    const outDir = path.join(ctx.workDir, 'out');
    const renderDir = path.join(ctx.workDir, 'render');
    await mkdir(renderDir, { recursive: true });
    const rendered = await renderSong({
      song,
      outDir,
      workDir: renderDir,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (f: number) => ctx.onProgress?.(COMPOSE_SHARE + (FILES_SHARE - COMPOSE_SHARE) * Math.max(0, Math.min(1, f))),
    });
    ctx.signal?.throwIfAborted();

    const base = fileBase(request.title);
    const midiPath = path.join(outDir, 'song.mid');
    await writeFile(midiPath, writeMidi(song));
    const files: GeneratedFile[] = [
      { path: rendered.mp3, role: 'audio', mime: 'audio/mpeg', kind: 'audio', name: `${base}.mp3`, durationSeconds: rendered.durationSeconds, metadata: { format: 'mp3' } },
      { path: rendered.wav, role: 'audio', mime: 'audio/wav', kind: 'audio', name: `${base}.wav`, durationSeconds: rendered.durationSeconds, metadata: { format: 'wav' } },
    ];
    for (const [stem, file] of Object.entries(rendered.stems)) {
      if (!file) continue;
      files.push({ path: file, role: 'stems', mime: mimeOf(file), kind: 'audio', name: `${base}-${stem}${path.extname(file)}`, durationSeconds: rendered.durationSeconds, metadata: { stem } });
    }
    files.push({ path: midiPath, role: 'midi', mime: 'audio/midi', kind: 'other', name: `${base}.mid`, metadata: { tempo_bpm: song.tempoBpm } });
    if (song.lyrics.length > 0) {
      const lrcPath = path.join(outDir, 'song.lrc');
      await writeFile(lrcPath, songToLrc(song, request.title ? { title: request.title } : {}), 'utf8');
      files.push({ path: lrcPath, role: 'lyrics_lrc', mime: 'text/plain', kind: 'other', name: `${base}.lrc`, metadata: { lines: song.lyrics.length } });
    }
    ctx.onProgress?.(1);
    return {
      files,
      provider: `local-composer (algorithmic; ${voiceLabel(rendered.voice, song.vocals.style)})`,
      meta: {
        genre: song.genre,
        mood: song.mood,
        tempo_bpm: song.tempoBpm,
        key: `${song.key.tonic} ${song.key.mode}`,
        seed: song.seed,
        vocals: song.vocals.style,
        lyrics_source: song.lyricsSource,
        sections: song.sections.map((s) => s.label),
        duration_seconds: rendered.durationSeconds,
        loudness: rendered.loudness,
        voice: rendered.voice,
        warnings: rendered.warnings,
      },
    };
  }
}

/** "espeak-ng en+f3 sung voice" from the synth's full voice description ("espeak-ng en+f3 (female …)"). */
function voiceLabel(voice: string, style: string): string {
  if (style === 'none' || !voice || voice === 'none') return 'instrumental';
  const name = voice.split(' (')[0]!.trim();
  return `${name} ${style === 'spoken' ? 'spoken' : 'sung'} voice`;
}

function mimeOf(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.mp3') return 'audio/mpeg';
  if (ext === '.flac') return 'audio/flac';
  if (ext === '.ogg') return 'audio/ogg';
  return 'audio/wav';
}

/** A safe download base name from the title ("My Song!" → "my-song"). */
export function fileBase(title?: string): string {
  const slug = (title ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'song';
}
