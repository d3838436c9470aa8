/**
 * The music-video planner: (audio analysis, photos/clips, style) → Timeline. Pure and
 * deterministic: the same inputs and seed always give the same plan.
 *
 * - Cuts land on beats. Section changes get a cut at the section start (snapped to the nearest
 *   beat) with a stronger transition; inside a section the shot length follows its energy
 *   (style `cut_density`: longer shots when calm, faster in loud parts and choruses).
 * - Without a beat (speech, silence, rubato) cuts are phrase-based: at section changes and at a
 *   steady pace of a few seconds, faster when louder.
 * - More photos than shots: cuts get denser (down to one beat, ≥ 0.4 s) and whatever still does
 *   not fit is listed in `unused_media`. Fewer photos: they repeat (never the same one twice in a
 *   row when there are two or more), and with very few photos shots are held longer.
 */
import { captionsFromLyrics, type LyricsInput } from '../captions/index.js';
import { randomMotion, staticMotion } from './motion.js';
import { seededRandom, type Random } from './random.js';
import { getStyle, type EnergyLevel, type StylePreset } from './styles.js';
import {
  ASPECTS,
  RESOLUTIONS,
  TIMELINE_FPS,
  TIMELINE_VERSION,
  outputSize,
  validateTimeline,
  type Aspect,
  type Layer,
  type Resolution,
  type Timeline,
  type TimelineMedia,
  type TimelineSection,
  type TimelineShot,
  type UnusedMedia,
} from './timeline.js';

/** The parts of the audio analysis the planner uses (the engine's AudioAnalysis fits). */
export interface PlannerAnalysis {
  durationSeconds: number;
  tempoBpm: number;
  beats: readonly number[];
  downbeats: readonly number[];
  beatsPerBar?: number;
  sections: ReadonlyArray<{ start: number; end: number; label: string; energy: number }>;
  hasBeat: boolean;
}

export interface PlannerMedia {
  path: string;
  kind: 'image' | 'video';
  /** Display size (after any rotation). */
  width: number;
  height: number;
  /** Clips only. */
  durationSeconds?: number;
}

export interface PlanMusicVideoInput {
  analysis: PlannerAnalysis;
  media: readonly PlannerMedia[];
  style?: string;
  aspect?: Aspect;
  resolution?: Resolution;
  seed?: number;
  /** 'user': photos in the order given; 'auto': seeded shuffle. Default 'user'. */
  order?: 'user' | 'auto';
  lyrics?: LyricsInput;
  title?: string;
}

/** The request cannot be planned (no media, bad sizes, empty audio …). */
export class PlanError extends Error {
  override name = 'PlanError';
}

/** Widest (or tallest) photo/clip accepted, as long side : short side. */
export const MAX_MEDIA_ASPECT = 16;
/** Shortest phrase-based shot (no beat). */
const MIN_PHRASE_SECONDS = 1.5;
/** Shortest shot the planner makes. */
export const MIN_SHOT_SECONDS = 0.4;
const MAX_TRANSITION_SECONDS = 1.5;
const MAX_SHOTS = 5000;
/** Seconds per beat assumed for beat-counted transitions when there is no beat. */
const NO_BEAT_PERIOD = 0.5;

export function planMusicVideo(input: PlanMusicVideoInput): Timeline {
  const style = getStyle(input.style ?? 'pulse');
  const aspect = input.aspect ?? '16:9';
  const resolution = input.resolution ?? '720p';
  if (!ASPECTS.includes(aspect)) throw new PlanError(`unknown aspect ratio ${JSON.stringify(aspect)}; use ${ASPECTS.join(', ')}`);
  if (!RESOLUTIONS.includes(resolution)) throw new PlanError(`unknown resolution ${JSON.stringify(resolution)}; use ${RESOLUTIONS.join(', ')}`);
  const { width, height } = outputSize(aspect, resolution);
  const seed = Number.isSafeInteger(input.seed) ? (input.seed as number) : 1;
  const media = checkMedia(input.media);
  const duration = input.analysis.durationSeconds;
  if (!(Number.isFinite(duration) && duration > 0)) throw new PlanError('the audio has no duration');
  if (duration < 1) throw new PlanError(`the audio is too short for a video (${duration.toFixed(2)} s; at least 1 s)`);

  const rng = seededRandom(seed);
  const song = cleanAnalysis(input.analysis);
  const warnings: string[] = [];
  if (!song.hasBeat) warnings.push('no steady beat detected: cuts follow phrases and sections every few seconds');

  // 1. Cut times, densified or held to suit the number of photos.
  const anchors = sectionAnchors(song);
  const plan = (m: number) => cutTimes(song, style, anchors, m);
  let cuts = plan(1);
  const shotsFor = (c: number[]) => c.length + 1;
  if (media.length > shotsFor(cuts)) {
    for (const m of [0.75, 0.5, 0.375, 0.25, 0.125, 0.0625]) {
      cuts = plan(m);
      if (shotsFor(cuts) >= media.length) break;
    }
  } else if (media.length === 1 || media.length * 4 < shotsFor(cuts)) {
    const held = plan(media.length === 1 ? 2 : 1.5);
    if (shotsFor(held) >= media.length) cuts = held;
  }
  if (shotsFor(cuts) > MAX_SHOTS) cuts = cuts.slice(0, MAX_SHOTS - 1);
  const bounds = [0, ...cuts, duration];
  const shotCount = bounds.length - 1;

  // 2. Which photo each shot shows.
  const sequence = mediaSequence(media.length, shotCount, input.order ?? 'user', rng);
  const used = new Set(sequence);
  const unused: UnusedMedia[] = [];
  media.forEach((m, i) => {
    if (!used.has(i)) unused.push({ index: i, path: m.path, reason: `did not fit: the song has room for ${shotCount} shots` });
  });
  if (unused.length) warnings.push(`${unused.length} of ${media.length} photos/clips did not fit in the song and were not used (see unused_media)`);

  // 3. Transitions, centred on the cuts.
  const beatPeriod = song.hasBeat ? beatPeriodOf(song) : NO_BEAT_PERIOD;
  const anchorSet = new Set(anchors);
  const transitions: Array<TimelineShot['transition']> = [undefined];
  let lastType = '';
  for (let i = 1; i < shotCount; i++) {
    const at = bounds[i]!;
    const level = song.levels[sectionIndexAt(song.sections, at)]!;
    const sectionCut = anchorSet.has(at);
    let type: string | undefined;
    let beats = 0;
    if (sectionCut) {
      type = rng.pick(style.transitions.section_types);
      beats = style.transitions.section_beats;
    } else if (rng.next() >= style.transitions.hard_cut_share[level]) {
      type = rng.pick(style.transitions.types);
      if (type === lastType && style.transitions.types.length > 1) type = rng.pick(style.transitions.types);
      beats = style.transitions.beats;
    }
    const room = Math.min(bounds[i]! - bounds[i - 1]!, bounds[i + 1]! - bounds[i]!) / 2;
    const seconds = Math.min(beats * beatPeriod, MAX_TRANSITION_SECONDS, room);
    // Whole, even frame counts, so each side of the cut gets whole frames.
    const frames = 2 * Math.floor((seconds * TIMELINE_FPS) / 2 + 1e-9);
    if (type && frames >= 2) {
      transitions.push({ type: type as NonNullable<TimelineShot['transition']>['type'], duration: frames / TIMELINE_FPS });
      lastType = type;
    } else {
      transitions.push(undefined);
    }
  }

  // 4. Shots with motion (photos) or trims (clips).
  const clipCursor = new Map<number, number>();
  const shots: TimelineShot[] = [];
  for (let i = 0; i < shotCount; i++) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    const mi = sequence[i]!;
    const m = media[mi]!;
    const tIn = transitions[i]?.duration ?? 0;
    const tOut = transitions[i + 1]?.duration ?? 0;
    const shot: TimelineShot = {
      start,
      end,
      source: m.path,
      media_index: mi,
      kind: m.kind,
      motion: m.kind === 'image'
        ? randomMotion(rng, {
          srcW: m.width, srcH: m.height, outW: width, outH: height,
          zoomMin: style.motion.zoom_min, zoomMax: style.motion.zoom_max, pan: style.motion.pan, easing: style.motion.easing,
        })
        : staticMotion(m.width, m.height, width, height),
      section_index: sectionIndexAt(song.sections, start),
    };
    if (transitions[i]) shot.transition = transitions[i];
    if (m.kind === 'video') {
      // Successive uses of a clip continue through it; a clip shorter than the shot holds its last frame.
      const visible = end - start + tIn / 2 + tOut / 2;
      const clipLength = m.durationSeconds ?? 0;
      let from = clipCursor.get(mi) ?? 0;
      if (from + visible > clipLength) from = 0;
      clipCursor.set(mi, from + visible);
      shot.trim_start = round6(from);
    }
    shots.push(shot);
  }

  // 5. Layers and captions.
  const layers: Layer[] = style.layers
    .filter((l) => song.hasBeat || l.type !== 'beat_pulse')
    .map((l) => ({ ...l }));
  const title = input.title?.trim();
  if (title) {
    if (style.title_card_seconds > 0) {
      layers.push({ type: 'title_card', text: title, start: 0, end: round6(Math.min(style.title_card_seconds, duration * 0.3)) });
    }
    if (style.end_card_seconds > 0 && duration >= 8) {
      layers.push({ type: 'end_card', text: title, start: round6(duration - Math.min(style.end_card_seconds, duration * 0.2)), end: duration });
    }
  }
  const timeline: Timeline = {
    version: TIMELINE_VERSION,
    duration_seconds: duration,
    tempo_bpm: Number.isFinite(input.analysis.tempoBpm) && input.analysis.tempoBpm > 0 ? round6(input.analysis.tempoBpm) : null,
    has_beat: song.hasBeat,
    beats: song.beats,
    downbeats: song.downbeats,
    sections: song.sections,
    shots,
    style: style.id,
    aspect,
    resolution,
    width,
    height,
    fps: TIMELINE_FPS,
    seed,
    media: media.map((m, index): TimelineMedia => ({
      index,
      path: m.path,
      kind: m.kind,
      width: m.width,
      height: m.height,
      ...(m.durationSeconds !== undefined ? { duration_seconds: m.durationSeconds } : {}),
    })),
    unused_media: unused,
    layers,
    warnings,
  };
  if (input.lyrics !== undefined) {
    const result = captionsFromLyrics(input.lyrics, {
      durationSeconds: duration,
      sections: song.sections,
      beats: song.beats,
      style: style.captions,
    });
    if (result.captions) timeline.captions = result.captions;
    warnings.push(...result.warnings);
  }
  return validateTimeline(timeline);
}

function checkMedia(media: readonly PlannerMedia[]): PlannerMedia[] {
  if (!Array.isArray(media) || media.length === 0) {
    throw new PlanError('at least one photo or video clip is needed to make a music video');
  }
  return media.map((m, i) => {
    if (!m || typeof m.path !== 'string' || m.path === '') throw new PlanError(`media[${i}]: missing path`);
    if (m.kind !== 'image' && m.kind !== 'video') throw new PlanError(`media[${i}]: kind must be 'image' or 'video'`);
    if (!(Number.isFinite(m.width) && Number.isFinite(m.height) && m.width >= 1 && m.height >= 1)) {
      throw new PlanError(`media[${i}] (${m.path}): width and height must be positive, got ${m.width}×${m.height}`);
    }
    const ratio = Math.max(m.width / m.height, m.height / m.width);
    if (ratio > MAX_MEDIA_ASPECT) {
      throw new PlanError(`media[${i}] (${m.path}): aspect ratio ${m.width}×${m.height} is too extreme (at most ${MAX_MEDIA_ASPECT}:1)`);
    }
    if (m.kind === 'video' && m.durationSeconds !== undefined && !(m.durationSeconds > 0)) {
      throw new PlanError(`media[${i}] (${m.path}): a clip needs a positive duration`);
    }
    return { ...m, width: Math.round(m.width), height: Math.round(m.height) };
  });
}

interface Song {
  duration: number;
  hasBeat: boolean;
  beats: number[];
  downbeats: number[];
  beatsPerBar: number;
  sections: TimelineSection[];
  levels: EnergyLevel[];
}

/** Sorted, in-range beats; contiguous sections covering the song; an energy level per section. */
function cleanAnalysis(a: PlannerAnalysis): Song {
  const d = a.durationSeconds;
  const inRange = (list: readonly number[]) =>
    [...new Set(list.filter((t) => Number.isFinite(t) && t > 0 && t < d))].sort((x, y) => x - y);
  const beats = inRange(a.beats ?? []);
  const hasBeat = Boolean(a.hasBeat) && beats.length >= 4;
  const downbeats = hasBeat ? inRange(a.downbeats ?? []) : [];
  const raw = [...(a.sections ?? [])]
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start && s.start < d && s.end > 0)
    .sort((x, y) => x.start - y.start);
  const sections: TimelineSection[] = [];
  for (const s of raw) {
    const start = sections.length ? sections[sections.length - 1]!.end : 0;
    const end = Math.min(d, s.end);
    if (end - start < 0.05) continue;
    sections.push({ start, end, label: String(s.label || 'section'), energy: clamp01(Number(s.energy) || 0) });
  }
  if (sections.length === 0) sections.push({ start: 0, end: d, label: 'verse', energy: 0.5 });
  sections[sections.length - 1]!.end = d;
  const energies = sections.map((s) => s.energy);
  const lo = Math.min(...energies);
  const hi = Math.max(...energies);
  const levels = sections.map((s): EnergyLevel => {
    const rel = hi - lo < 0.05 ? 0.5 : (s.energy - lo) / (hi - lo);
    let level: EnergyLevel = rel < 0.34 ? 'calm' : rel < 0.67 ? 'medium' : 'loud';
    if (s.label === 'chorus' && level === 'medium') level = 'loud';
    return level;
  });
  return {
    duration: d,
    hasBeat,
    beats: hasBeat ? beats : [],
    downbeats,
    beatsPerBar: a.beatsPerBar && a.beatsPerBar > 0 ? Math.round(a.beatsPerBar) : 4,
    sections,
    levels,
  };
}

/** Cut times at section changes: the section start, or the nearest beat to it. */
function sectionAnchors(song: Song): number[] {
  const out: number[] = [];
  for (const s of song.sections.slice(1)) {
    const t = song.hasBeat ? nearest(song.beats, s.start) : round6(s.start);
    const prev = out.length ? out[out.length - 1]! : 0;
    if (t - prev >= MIN_SHOT_SECONDS * 2 && song.duration - t >= MIN_SHOT_SECONDS * 2) out.push(t);
  }
  return out;
}

/** All cut times (excluding 0 and the end) for a density multiplier m (< 1 = more cuts). */
function cutTimes(song: Song, style: StylePreset, anchors: number[], m: number): number[] {
  const edges = [0, ...anchors, song.duration];
  const cuts: number[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const a = edges[k]!;
    const b = edges[k + 1]!;
    if (k > 0) cuts.push(a);
    const level = song.levels[sectionIndexAt(song.sections, a)]!;
    const inner = song.hasBeat ? beatCuts(song, style, level, a, b, m) : phraseCuts(style, level, a, b, m);
    cuts.push(...inner);
  }
  return cuts;
}

function beatCuts(song: Song, style: StylePreset, level: EnergyLevel, a: number, b: number, m: number): number[] {
  const grid = song.beats.filter((t) => t >= a - 1e-9 && t < b - 1e-9);
  if (grid.length === 0) return [];
  const period = beatPeriodOf(song);
  const minBeats = Math.max(1, Math.ceil(MIN_SHOT_SECONDS / period - 1e-9));
  const step = Math.max(minBeats, Math.round(style.cut_density[level] * m));
  // Count from the anchor (a beat), or in the first segment from the first downbeat.
  let phase = 0;
  if (a === 0) {
    const firstDown = song.downbeats.length ? grid.findIndex((t) => Math.abs(t - song.downbeats[0]!) < 1e-6) : -1;
    phase = firstDown >= 0 ? firstDown % step : 0;
  }
  const out: number[] = [];
  for (let i = phase; i < grid.length; i += step) {
    const t = grid[i]!;
    if (t - a < MIN_SHOT_SECONDS - 1e-9 || (out.length && t - out[out.length - 1]! < MIN_SHOT_SECONDS - 1e-9)) continue;
    out.push(t);
  }
  // Merge a too-short last shot into the one before it.
  while (out.length && (b - out[out.length - 1]! < Math.max(MIN_SHOT_SECONDS, (step * period) / 2))) out.pop();
  return out;
}

function phraseCuts(style: StylePreset, level: EnergyLevel, a: number, b: number, m: number): number[] {
  // Without a beat to cut on, never faster than 1.5 s a shot, even to fit more photos.
  const pace = Math.max(MIN_PHRASE_SECONDS, style.phrase_seconds[level] * m);
  const n = Math.max(1, Math.round((b - a) / pace));
  const out: number[] = [];
  for (let k = 1; k < n; k++) out.push(round6(a + ((b - a) * k) / n));
  return out;
}

/** Photo index for each shot: user order or seeded shuffles, cycling, no immediate repeat. */
function mediaSequence(count: number, shots: number, order: 'user' | 'auto', rng: Random): number[] {
  const indices = Array.from({ length: count }, (_, i) => i);
  const out: number[] = [];
  while (out.length < shots) {
    const cycle = order === 'auto' ? rng.shuffle(indices) : [...indices];
    if (out.length && count > 1 && cycle[0] === out[out.length - 1]) {
      const j = 1 + rng.int(count - 1);
      [cycle[0], cycle[j]] = [cycle[j]!, cycle[0]!];
    }
    out.push(...cycle);
  }
  return out.slice(0, shots);
}

function beatPeriodOf(song: Song): number {
  const gaps: number[] = [];
  for (let i = 1; i < song.beats.length; i++) gaps.push(song.beats[i]! - song.beats[i - 1]!);
  gaps.sort((x, y) => x - y);
  return gaps.length ? gaps[gaps.length >> 1]! : NO_BEAT_PERIOD;
}

export function sectionIndexAt(sections: readonly TimelineSection[], t: number): number {
  for (let i = sections.length - 1; i >= 0; i--) if (t >= sections[i]!.start - 1e-9) return i;
  return 0;
}

function nearest(sorted: readonly number[], t: number): number {
  let best = sorted[0]!;
  for (const x of sorted) if (Math.abs(x - t) < Math.abs(best - t)) best = x;
  return best;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
