/** SongRequest → ComposedSong: form, chords, drums, bass, harmony, and a sung line or a lead. */
import { Note } from 'tonal';
import { seededRandom } from '../musicvideo/random.js';
import { round, type ArrangementContext } from './arrangement.js';
import { writeBass } from './bass.js';
import { writeHarmony } from './comping.js';
import { writeDrums } from './drums.js';
import { planForm } from './form.js';
import { planChords, voiceLead } from './harmony.js';
import { writeLead } from './lead.js';
import { parseLyrics } from './lyrics-parse.js';
import { writeLyrics } from './lyrics-writer.js';
import { scalePcs } from './melody.js';
import { GENRE_PROFILES, MOOD_PROFILES } from './profiles.js';
import { resolveSongRequest } from './request.js';
import { SongRequestError } from './errors.js';
import { songTiming } from './timing.js';
import type { ChordEvent, ComposedSong, InstrumentTrack, SongRequest } from './types.js';
import { writeVocalLine } from './vocal-line.js';

export function composeSong(request: SongRequest): ComposedSong {
  const req = resolveSongRequest(request);
  const profile = GENRE_PROFILES[req.genre];
  const mood = MOOD_PROFILES[req.mood];
  const timing = songTiming(req.tempoBpm, req.durationSeconds, profile.swing);
  const rng = seededRandom(req.seed);
  const planned = planForm(timing.bars, profile.preChorus);
  const barsPerChord = req.tempoBpm >= 150 ? 2 : 1;
  const chords = planChords(planned, timing.bars, req.key, req.key.mode === 'minor' ? profile.progressions.minor : profile.progressions.major, barsPerChord, rng);
  const ctx: ArrangementContext = { timing, sections: planned, chords, profile, dynamics: mood.dynamics, rng };
  const voicings = voiceLead(chords);
  const tracks: InstrumentTrack[] = [writeDrums(ctx), writeBass(ctx), ...writeHarmony(ctx, voicings)];
  const scale = scalePcs(req.key);
  const tonicPc = Note.chroma(req.key.tonic) ?? 0;

  let vocals: ComposedSong['vocals'] = { style: 'none', syllables: [] };
  let lyrics: ComposedSong['lyrics'] = [];
  let lyricsSource: ComposedSong['lyricsSource'] = 'none';
  const warnings: string[] = [];
  if (req.vocals !== 'none') {
    const verseSections = planned.filter((s) => s.label === 'verse').length;
    const text = req.lyrics ?? writeLyrics({ theme: req.theme ?? '', genre: req.genre, mood: req.mood, seed: req.seed, verses: Math.max(1, verseSections), bridge: planned.some((s) => s.label === 'bridge') }).text;
    const line = writeVocalLine({
      sections: planned,
      blocks: parseLyrics(text).sections,
      timing,
      chords,
      scale,
      tonicPc,
      slotsPerBeat: req.vocals === 'spoken' ? 4 : profile.syllableSlotsPerBeat,
      registerShift: mood.registerShift,
      seed: req.seed,
    });
    if (line.syllables.length === 0) throw new SongRequestError('lyrics', 'no singable words found (only symbols, emoji or punctuation?)');
    vocals = { style: req.vocals, syllables: line.syllables };
    lyrics = line.lyrics;
    lyricsSource = req.lyrics ? 'user' : 'generated';
    // Generated lyrics are written generously; leaving some unsung is not the user's concern.
    warnings.push(...(req.lyrics ? line.warnings : []));
  } else {
    tracks.push(writeLead(ctx, scale, tonicPc, req.seed));
  }

  const sections = planned.map((s, i) => ({
    label: s.label,
    start: round(timing.at(s.startBar)),
    end: i === planned.length - 1 ? req.durationSeconds : round(timing.at(s.startBar + s.bars)),
    bars: s.bars,
  }));
  return {
    version: 1,
    seed: req.seed,
    genre: req.genre,
    mood: req.mood,
    tempoBpm: req.tempoBpm,
    key: req.key,
    timeSignature: [4, 4],
    durationSeconds: req.durationSeconds,
    sections,
    chords: chordEvents(chords, timing),
    tracks,
    vocals,
    lyrics,
    lyricsSource,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** One event per chord change; the final tonic rings to the end margin. */
function chordEvents(chords: ReturnType<typeof planChords>, timing: ReturnType<typeof songTiming>): ChordEvent[] {
  const out: ChordEvent[] = [];
  for (const c of chords) {
    const time = timing.at(c.bar);
    const end = c.bar >= timing.bars ? timing.lastNoteEnd : timing.at(c.bar + 1);
    const prev = out[out.length - 1];
    if (prev && prev.symbol === c.symbol && c.bar < timing.bars) prev.duration = round(end - prev.time);
    else out.push({ time: round(time), duration: round(end - time), symbol: c.symbol });
  }
  return out;
}
