/**
 * Plates: the renderer prepares, per image shot, only the part of the (scaled) photo the shot
 * shows. These properties check that every window the shot's filter chain cuts lies on its plate,
 * for planned timelines over photos of any size and shape, every output size and style.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rectAt } from '../src/musicvideo/motion.js';
import { planMusicVideo, type PlannerAnalysis } from '../src/musicvideo/planner.js';
import { preparedWidthFor, referenceSize, shotGeometry, shotPlate } from '../src/musicvideo/shot-filters.js';
import { styleIds } from '../src/musicvideo/styles.js';
import { OUTPUT_SIZES } from '../src/musicvideo/timeline.js';

function song(duration: number): PlannerAnalysis {
  const beats: number[] = [];
  for (let t = 0.25; t < duration - 0.01; t += 0.5) beats.push(Math.round(t * 10000) / 10000);
  return {
    durationSeconds: duration,
    tempoBpm: 120,
    beats,
    downbeats: beats.filter((_, i) => i % 4 === 0),
    beatsPerBar: 4,
    sections: [{ start: 0, end: duration / 2, label: 'verse', energy: 0.3 }, { start: duration / 2, end: duration, label: 'chorus', energy: 0.9 }],
    hasBeat: true,
  };
}

describe('shot plates', () => {
  it('property: every window a shot shows lies on its plate (even-aligned, inside the scaled photo)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ w: fc.integer({ min: 16, max: 9000 }), h: fc.integer({ min: 16, max: 9000 }) }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...Object.values(OUTPUT_SIZES).flatMap((r) => Object.values(r))),
        fc.constantFrom(...styleIds()),
        fc.integer(),
        (sizes, out, style, seed) => {
          fc.pre(sizes.every((s) => Math.max(s.w / s.h, s.h / s.w) <= 16));
          const media = sizes.map((s, i) => ({ path: `/p${i}.jpg`, kind: 'image' as const, width: s.w, height: s.h }));
          const aspect = out.width === out.height ? '1:1' : out.width > out.height ? '16:9' : '9:16';
          const resolution = out.height === 480 || out.width === 480 ? '480p' : out.height === 720 || out.width === 720 ? '720p' : '1080p';
          const t = planMusicVideo({ analysis: song(14), media, seed, aspect, resolution, style });
          const W = t.width;
          const H = t.height;
          const wanted = new Map<number, number>();
          for (const s of t.shots) wanted.set(s.media_index, Math.max(wanted.get(s.media_index) ?? 0, preparedWidthFor(s.motion, W)));
          for (const s of t.shots) {
            const m = t.media[s.media_index]!;
            const g = shotGeometry({ ...referenceSize(m.width, m.height, wanted.get(s.media_index)!), motion: s.motion, outW: W, outH: H });
            const p = shotPlate(g, W, H);
            for (const v of [p.x, p.y, p.w, p.h]) expect(v % 2).toBe(0);
            expect(p.x >= 0 && p.y >= 0 && p.x + p.w <= g.SW && p.y + p.h <= g.SH).toBe(true);
            if (g.zooms) {
              expect(p.w).toBeGreaterThanOrEqual(g.BW);
              expect(p.h).toBeGreaterThanOrEqual(g.BH);
            }
            for (const q of [0, 0.2, 0.5, 0.8, 1]) {
              const r = rectAt(s.motion, q);
              let x = r.x * g.SW;
              let y = r.y * g.SH;
              let w = r.w * g.SW;
              let h = (w * H) / W;
              if (!g.zooms) {
                // The pan crop: W×H at the position clipped into the scaled photo.
                x = Math.min(Math.max(x, 0), g.SW - W);
                y = Math.min(Math.max(y, 0), g.SH - H);
                w = W;
                h = H;
              } else {
                // Windows are planned on the photo's aspect; SW and SH are rounded to even pixels
                // separately, so a window may overhang the scaled photo by under a pixel. The box
                // crop and zoompan clip positions into their input: the window shown is shifted in.
                expect(x + w).toBeLessThanOrEqual(g.SW + 1);
                expect(y + h).toBeLessThanOrEqual(g.SH + 1);
                x = Math.max(0, Math.min(x, g.SW - w));
                y = Math.max(0, Math.min(y, g.SH - h));
                w = Math.min(w, g.SW - x);
                h = Math.min(h, g.SH - y);
              }
              // zoompan and crop take whole pixels: half a pixel of slack.
              expect(x).toBeGreaterThanOrEqual(p.x - 0.5);
              expect(y).toBeGreaterThanOrEqual(p.y - 0.5);
              expect(x + w).toBeLessThanOrEqual(p.x + p.w + 0.5);
              expect(y + h).toBeLessThanOrEqual(p.y + p.h + 0.5);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
