import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverRect, rectAt } from '../src/musicvideo/motion.js';
import { planMusicVideo, PlanError, type PlannerAnalysis, type PlannerMedia } from '../src/musicvideo/planner.js';
import { frameShots, planSegments, totalFrames } from '../src/musicvideo/render-plan.js';
import { listStyles, styleIds, UnknownStyleError } from '../src/musicvideo/styles.js';
import { OUTPUT_SIZES, TIMELINE_FPS, timelineIssues, validateTimeline, type Timeline } from '../src/musicvideo/timeline.js';

function song(opts: { bpm?: number; duration?: number; firstBeat?: number; sections?: Array<[number, string, number]>; hasBeat?: boolean } = {}): PlannerAnalysis {
  const bpm = opts.bpm ?? 120;
  const duration = opts.duration ?? 60;
  const period = 60 / bpm;
  const beats: number[] = [];
  for (let t = opts.firstBeat ?? 0.25; t < duration - 0.01; t += period) beats.push(Math.round(t * 10000) / 10000);
  const marks = opts.sections ?? [[0, 'verse', 0.5]];
  const sections = marks.map(([start, label, energy], i) => ({ start, end: marks[i + 1]?.[0] ?? duration, label, energy }));
  const hasBeat = opts.hasBeat ?? true;
  return {
    durationSeconds: duration,
    tempoBpm: hasBeat ? bpm : 0,
    beats: hasBeat ? beats : [],
    downbeats: hasBeat ? beats.filter((_, i) => i % 4 === 0) : [],
    beatsPerBar: 4,
    sections,
    hasBeat,
  };
}

function photos(n: number, size: [number, number] = [1600, 1200]): PlannerMedia[] {
  return Array.from({ length: n }, (_, i) => ({ path: `/photos/p${i}.jpg`, kind: 'image' as const, width: size[0], height: size[1] }));
}

const STRUCTURED = song({
  bpm: 120,
  duration: 64.25,
  sections: [[0, 'intro', 0.15], [16.25, 'verse', 0.45], [32.25, 'chorus', 0.95], [48.25, 'outro', 0.2]],
});

/** Invariants every timeline must satisfy. */
function checkInvariants(t: Timeline, media: readonly PlannerMedia[]): void {
  expect(timelineIssues(t)).toEqual([]);
  expect(t.shots[0]!.start).toBe(0);
  expect(t.shots[t.shots.length - 1]!.end).toBe(t.duration_seconds);
  const W = t.width;
  const H = t.height;
  t.shots.forEach((s, i) => {
    expect(s.end).toBeGreaterThan(s.start);
    if (i > 0) expect(s.start).toBe(t.shots[i - 1]!.end);
    if (t.has_beat && i > 0) expect(t.beats).toContain(s.start);
    // No borders: both windows (and so every interpolated one) inside the image, output aspect.
    const m = media[s.media_index]!;
    for (const r of [s.motion.from, s.motion.to, rectAt(s.motion, 0.37), rectAt(s.motion, 0.81)]) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(1 + 1e-9);
      expect(r.y + r.h).toBeLessThanOrEqual(1 + 1e-9);
      const aspect = (r.w * m.width) / (r.h * m.height);
      expect(Math.abs(aspect / (W / H) - 1)).toBeLessThan(0.01 + 2e-4 / Math.min(r.w, r.h));
    }
  });
  const used = new Set(t.shots.map((s) => s.media_index));
  expect(used.size + t.unused_media.length).toBe(media.length);
  for (const u of t.unused_media) expect(used.has(u.index)).toBe(false);
}

describe('planMusicVideo', () => {
  it('cuts on beats, at every section start, longer in calm sections and faster in the chorus', () => {
    const media = photos(12);
    const t = planMusicVideo({ analysis: STRUCTURED, media, style: 'cinematic', seed: 5 });
    checkInvariants(t, media);
    const starts = t.shots.map((s) => s.start);
    for (const s of [16.25, 32.25, 48.25]) expect(starts).toContain(s);
    // Section changes get a transition from the style's "section" set.
    for (const s of t.shots.filter((x) => [16.25, 32.25, 48.25].includes(x.start))) {
      expect(['fadeblack', 'fade']).toContain(s.transition?.type);
    }
    const meanLength = (label: string) => {
      const list = t.shots.filter((s) => t.sections[s.section_index]!.label === label);
      return list.reduce((a, s) => a + (s.end - s.start), 0) / list.length;
    };
    expect(meanLength('intro')).toBeGreaterThan(meanLength('chorus') * 1.5);
    expect(t.has_beat).toBe(true);
    expect(t.tempo_bpm).toBe(120);
    expect([t.width, t.height]).toEqual([1280, 720]);
  });

  it.each(styleIds())('%s: shots are longest when calm, shorter in the verse, shortest in the chorus', (style) => {
    const t = planMusicVideo({ analysis: STRUCTURED, media: photos(12), style, seed: 5 });
    const meanLength = (label: string) => {
      const list = t.shots.filter((s) => t.sections[s.section_index]!.label === label);
      return list.reduce((a, s) => a + (s.end - s.start), 0) / list.length;
    };
    expect(meanLength('intro')).toBeGreaterThanOrEqual(meanLength('verse'));
    expect(meanLength('verse')).toBeGreaterThanOrEqual(meanLength('chorus') * 1.3);
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const input = { analysis: STRUCTURED, media: photos(7), style: 'pulse', seed: 42, order: 'auto' as const, title: 'T' };
    expect(planMusicVideo(input)).toEqual(planMusicVideo(input));
    expect(JSON.stringify(planMusicVideo({ ...input, seed: 43 }))).not.toBe(JSON.stringify(planMusicVideo(input)));
  });

  it('keeps user order, and auto order is a seeded shuffle without immediate repeats', () => {
    const user = planMusicVideo({ analysis: STRUCTURED, media: photos(5), seed: 1 });
    expect(user.shots.slice(0, 10).map((s) => s.media_index)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    const auto = planMusicVideo({ analysis: STRUCTURED, media: photos(5), seed: 1, order: 'auto' });
    const seq = auto.shots.map((s) => s.media_index);
    expect(seq).not.toEqual(user.shots.map((s) => s.media_index));
    for (let i = 1; i < seq.length; i++) expect(seq[i]).not.toBe(seq[i - 1]);
  });

  it('rejects zero photos, unknown styles (listing the styles) and bad sizes clearly', () => {
    expect(() => planMusicVideo({ analysis: STRUCTURED, media: [] })).toThrow(PlanError);
    expect(() => planMusicVideo({ analysis: STRUCTURED, media: [] })).toThrow(/at least one photo or video clip/);
    const err = (() => {
      try {
        planMusicVideo({ analysis: STRUCTURED, media: photos(2), style: 'vaporwave' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(UnknownStyleError);
    for (const id of styleIds()) expect(err.message).toContain(id);
    expect(() => planMusicVideo({ analysis: STRUCTURED, media: [{ path: 'a.jpg', kind: 'image', width: 0, height: 10 }] })).toThrow(/width and height/);
    expect(() => planMusicVideo({ analysis: { ...STRUCTURED, durationSeconds: 0 }, media: photos(1) })).toThrow(/no duration/);
    expect(() => planMusicVideo({ analysis: STRUCTURED, media: photos(1, [5000, 100]) })).toThrow(/too extreme/);
  });

  it('handles 1 photo and 200 photos; more photos than the song has room for are listed as unused', () => {
    const one = planMusicVideo({ analysis: STRUCTURED, media: photos(1), style: 'pulse' });
    checkInvariants(one, photos(1));
    expect(new Set(one.shots.map((s) => s.media_index))).toEqual(new Set([0]));

    const long = song({ bpm: 120, duration: 180 });
    const media200 = photos(200);
    const all = planMusicVideo({ analysis: long, media: media200, style: 'cinematic', order: 'auto', seed: 3 });
    checkInvariants(all, media200);
    expect(all.unused_media).toEqual([]);

    const short = planMusicVideo({ analysis: STRUCTURED, media: media200, style: 'minimal' });
    checkInvariants(short, media200);
    expect(short.shots.length).toBeGreaterThan(100); // densified down to one beat per shot
    expect(short.unused_media.length).toBe(200 - short.shots.length);
    expect(short.warnings.join(' ')).toMatch(/did not fit/);

    const media1000 = photos(1000);
    const many = planMusicVideo({ analysis: STRUCTURED, media: media1000 });
    checkInvariants(many, media1000);
    expect(many.unused_media.length).toBeGreaterThan(800);
    expect(many.unused_media[0]!.reason).toMatch(/room for \d+ shots/);
  });

  it('plans phrase-based cuts every few seconds when there is no beat', () => {
    const speech = song({ duration: 45, hasBeat: false, sections: [[0, 'verse', 0.3], [20, 'verse', 0.6]] });
    const t = planMusicVideo({ analysis: speech, media: photos(4), style: 'pulse' });
    checkInvariants(t, photos(4));
    expect(t.has_beat).toBe(false);
    expect(t.beats).toEqual([]);
    expect(t.layers.some((l) => l.type === 'beat_pulse')).toBe(false);
    expect(t.shots.map((s) => s.start)).toContain(20);
    for (const s of t.shots) {
      expect(s.end - s.start).toBeGreaterThanOrEqual(1.9);
      expect(s.end - s.start).toBeLessThanOrEqual(6);
    }
    expect(t.warnings.join(' ')).toMatch(/no steady beat/);
  });

  it('uses video clips as muted shots, continuing through a clip and holding when it is short', () => {
    const media: PlannerMedia[] = [
      { path: '/c/clip.mp4', kind: 'video', width: 1920, height: 1080, durationSeconds: 30 },
      { path: '/c/photo.jpg', kind: 'image', width: 1000, height: 1000 },
    ];
    const t = planMusicVideo({ analysis: STRUCTURED, media, style: 'cinematic' });
    checkInvariants(t, media);
    const clips = t.shots.filter((s) => s.kind === 'video');
    expect(clips.length).toBeGreaterThan(2);
    expect(clips[0]!.trim_start).toBe(0);
    expect(clips[1]!.trim_start).toBeGreaterThan(0);
    for (const c of clips) expect(c.motion.from).toEqual(c.motion.to);
  });

  it('adds title and end cards, and captions with warnings when lyrics do not fit', () => {
    const lyrics = Array.from({ length: 60 }, (_, i) => `line number ${i}`).join('\n');
    const t = planMusicVideo({ analysis: STRUCTURED, media: photos(3), style: 'lyric', title: 'My Song', lyrics: { text: lyrics } });
    expect(t.layers.find((l) => l.type === 'title_card')).toMatchObject({ text: 'My Song', start: 0 });
    expect(t.layers.find((l) => l.type === 'end_card')).toMatchObject({ end: t.duration_seconds });
    expect(t.captions?.timing).toBe('approximate');
    expect(t.captions!.lines.length).toBeLessThan(60);
    expect(t.warnings.join(' ')).toMatch(/lyric lines did not fit/);
  });

  it('lists at least six styles with names and descriptions', () => {
    const styles = listStyles();
    expect(styles.map((s) => s.id)).toEqual(expect.arrayContaining(['pulse', 'cinematic', 'lyric', 'retro_vhs', 'minimal', 'neon_visualizer']));
    for (const s of styles) expect(s.name.length && s.description.length).toBeGreaterThan(0);
  });

  const analysisArb = fc
    .record({
      bpm: fc.integer({ min: 60, max: 200 }),
      duration: fc.double({ min: 6, max: 200, noNaN: true }),
      firstBeat: fc.double({ min: 0, max: 1, noNaN: true }),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: 19 }), { maxLength: 5 }),
      energies: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
      hasBeat: fc.boolean(),
    })
    .map(({ bpm, duration, firstBeat, cuts, energies, hasBeat }) => {
      const marks = [0, ...cuts.sort((a, b) => a - b).map((c) => Math.round(((c / 20) * duration) * 1000) / 1000)];
      const labels = ['intro', 'verse', 'chorus', 'bridge', 'outro', 'verse'];
      return song({ bpm, duration, firstBeat, hasBeat, sections: marks.map((m, i) => [m, labels[i]!, energies[i]!] as [number, string, number]) });
    });
  const mediaArb = fc.array(
    fc.record({
      kind: fc.constantFrom('image' as const, 'image' as const, 'video' as const),
      width: fc.integer({ min: 1, max: 8000 }),
      height: fc.integer({ min: 1, max: 8000 }),
      duration: fc.double({ min: 0.5, max: 40, noNaN: true }),
    }).filter((m) => Math.max(m.width / m.height, m.height / m.width) <= 16).map((m, ): PlannerMedia => ({ path: `/m/${m.kind}-${m.width}x${m.height}`, kind: m.kind, width: m.width, height: m.height, ...(m.kind === 'video' ? { durationSeconds: m.duration } : {}) })),
    { minLength: 1, maxLength: 40 },
  );

  it('property: contiguous shots covering the song, cuts on beats, no borders, every photo accounted for, deterministic', () => {
    fc.assert(
      fc.property(
        analysisArb, mediaArb,
        fc.constantFrom(...styleIds()),
        fc.constantFrom('16:9' as const, '9:16' as const, '1:1' as const),
        fc.constantFrom('user' as const, 'auto' as const),
        fc.integer(),
        (analysis, media, style, aspect, order, seed) => {
          const input = { analysis, media, style, aspect, order, seed, resolution: '480p' as const };
          const t = planMusicVideo(input);
          checkInvariants(t, media);
          expect([t.width, t.height]).toEqual([OUTPUT_SIZES[aspect]['480p'].width, OUTPUT_SIZES[aspect]['480p'].height]);
          if (media.length > 1) for (let i = 1; i < t.shots.length; i++) expect(t.shots[i]!.media_index).not.toBe(t.shots[i - 1]!.media_index);
          expect(planMusicVideo(input)).toEqual(t);

          // Frame plan: exact frame count, even transitions that fit, segments that tile the video.
          const framed = frameShots(t);
          const total = totalFrames(t);
          expect(framed[0]!.cut).toBe(0);
          expect(framed[framed.length - 1]!.end).toBe(total);
          for (const f of framed) {
            expect(f.inFrames % 2).toBe(0);
            expect(f.inFrames / 2 + f.outFrames / 2).toBeLessThanOrEqual(f.end - f.cut);
          }
          for (const seg of planSegments(framed, total, { maxShots: 4 })) {
            let length = 0;
            seg.pieces.forEach((p, j) => {
              length += p.frames - (j > 0 && p.xfadeOffset !== undefined ? p.framed.inFrames : 0);
              if (p.xfadeOffset !== undefined) expect(p.xfadeOffset).toBe(length - p.frames);
            });
            expect(length).toBe(seg.end - seg.start);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('property: the Ken Burns window never leaves the cover-fitted image', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10000 }), fc.integer({ min: 1, max: 10000 }),
        fc.constantFrom(...Object.values(OUTPUT_SIZES).flatMap((r) => Object.values(r))),
        fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }),
        (w, h, out, seed, p) => {
          fc.pre(Math.max(w / h, h / w) <= 16);
          const media = [{ path: '/x.jpg', kind: 'image' as const, width: w, height: h }];
          const aspect = out.width === out.height ? '1:1' : out.width > out.height ? '16:9' : '9:16';
          const resolution = out.height === 480 || out.width === 480 ? '480p' : out.height === 720 || out.width === 720 ? '720p' : '1080p';
          const t = planMusicVideo({ analysis: song({ duration: 12 }), media, seed, aspect, resolution, style: 'pulse' });
          const cover = coverRect(w, h, out.width, out.height);
          for (const s of t.shots) {
            const r = rectAt(s.motion, p);
            expect(r.x >= 0 && r.y >= 0 && r.x + r.w <= 1 + 1e-9 && r.y + r.h <= 1 + 1e-9).toBe(true);
            expect(r.w).toBeLessThanOrEqual(cover.w + 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('validateTimeline', () => {
  it('accepts a planned timeline and reports every problem of a broken one', () => {
    const t = planMusicVideo({ analysis: STRUCTURED, media: photos(3), seed: 1 });
    expect(validateTimeline(JSON.parse(JSON.stringify(t)))).toEqual(t);
    const broken = JSON.parse(JSON.stringify(t));
    broken.version = 2;
    broken.shots[1].start += 0.5;
    broken.shots[2].motion.from.x = 0.9;
    broken.shots[3].transition = { type: 'spin', duration: 1 };
    broken.fps = 25;
    broken.width = 100;
    const issues = timelineIssues(broken);
    expect(issues).toEqual(expect.arrayContaining([
      'version: must be 1, got 2',
      expect.stringMatching(/^shots\[1\]\.start: must equal the previous shot's end/),
      expect.stringMatching(/^shots\[2\]\.motion\.from: x \+ w must be ≤ 1/),
      expect.stringMatching(/^shots\[3\]\.transition\.type: must be one of fade, /),
      'fps: must be 30',
      expect.stringMatching(/^width\/height: must be 1280×720 for 16:9 720p/),
    ]));
    expect(() => validateTimeline(broken)).toThrow(/invalid timeline: version: must be 1/);
    expect(timelineIssues(null)).toEqual(['timeline: must be an object']);
    expect(TIMELINE_FPS).toBe(30);
  });
});
