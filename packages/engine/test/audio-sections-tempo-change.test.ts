/**
 * Section boundaries on songs whose sections change tempo (70 to 180 BPM), against the
 * synthesizer's ground truth: every true boundary has a detected one within one bar — four beats
 * at the tempo of the section that starts there — and at most one detected boundary is extra.
 *
 * The songs use the default song form's sections (intro, verse, chorus, bridge, outro: different
 * instruments, levels and chords), each at its own tempo, with pink noise at 20 dB SNR.
 *
 * Known limit (not tested here): the tempo tracker keeps local tempi within half an octave of the
 * global one, so a section far from the song's main tempo is tracked at half or double time. The
 * section detector counts its minimum length (4 bars) in tracked beats, so a 4-bar section tracked
 * at half time is too short to be found, and a long section tracked at double time may be split
 * where its chord cycle repeats. The one extra boundary allowed below is such a split (the
 * 70 BPM intro of the accelerando, tracked at 140).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyzePcm } from '../src/audio/analyze.js';
import { DEFAULT_SONG_STRUCTURE, synthStructuredSong, type SynthSectionSpec } from '../src/audio/synth-test-signals.js';

const report: string[] = [];
afterAll(() => console.log(['', 'sections with tempo changes — measured:', ...report].join('\n')));

const [INTRO, VERSE, CHORUS, , , BRIDGE, , OUTRO] = DEFAULT_SONG_STRUCTURE as [
  SynthSectionSpec, SynthSectionSpec, SynthSectionSpec, SynthSectionSpec,
  SynthSectionSpec, SynthSectionSpec, SynthSectionSpec, SynthSectionSpec,
];
const at = (s: SynthSectionSpec, bars: number, bpm: number): SynthSectionSpec => ({ ...s, bars, bpm });

const CASES: { name: string; seed: number; sections: SynthSectionSpec[] }[] = [
  {
    name: 'ballad from 70 BPM, choruses at 96',
    seed: 3,
    sections: [at(INTRO, 4, 70), at(VERSE, 8, 70), at(CHORUS, 8, 96), at(VERSE, 8, 76), at(CHORUS, 8, 96), at(OUTRO, 4, 70)],
  },
  {
    name: 'fast song rushing to 180 BPM',
    seed: 4,
    sections: [at(INTRO, 4, 140), at(VERSE, 8, 150), at(CHORUS, 8, 180), at(BRIDGE, 8, 160), at(CHORUS, 8, 180), at(OUTRO, 4, 140)],
  },
  {
    name: 'accelerando 70 → 88 → 110 → 140 → 180',
    seed: 5,
    sections: [at(INTRO, 4, 70), at(VERSE, 8, 88), at(CHORUS, 8, 110), at(VERSE, 8, 140), at(CHORUS, 8, 180)],
  },
  {
    name: 'ritardando 180 → 140 → 110 → 88 → 70',
    seed: 6,
    sections: [at(VERSE, 8, 180), at(CHORUS, 8, 140), at(BRIDGE, 8, 110), at(CHORUS, 8, 88), at(OUTRO, 4, 70)],
  },
  {
    name: 'jumps 70 → 90 → 140 → 110 → 180 → 120',
    seed: 2,
    sections: [at(INTRO, 4, 70), at(VERSE, 8, 90), at(CHORUS, 8, 140), at(BRIDGE, 8, 110), at(CHORUS, 12, 180), at(OUTRO, 4, 120)],
  },
];

describe('section boundaries when the tempo changes between sections', () => {
  for (const c of CASES) {
    it(`${c.name}: every boundary within one bar of its section's tempo, at most one extra`, () => {
      const sig = synthStructuredSong({ sections: c.sections, seed: c.seed, noise: { kind: 'pink', snrDb: 20 } });
      const bpms = sig.sections.map((s) => s.bpm);
      expect(Math.min(...bpms) === 70 || Math.max(...bpms) === 180).toBe(true);
      const a = analyzePcm(sig.samples, sig.sampleRate);
      const detected = a.sections.slice(1).map((s) => s.start);
      // One-to-one: each true boundary takes the nearest detected boundary not yet taken.
      const taken = new Set<number>();
      const found = sig.sectionBoundaries.map((t, i) => {
        const bar = (4 * 60) / sig.sections[i + 1]!.bpm;
        let best = -1;
        for (let j = 0; j < detected.length; j++) {
          if (taken.has(j)) continue;
          if (best < 0 || Math.abs(detected[j]! - t) < Math.abs(detected[best]! - t)) best = j;
        }
        const error = best >= 0 ? detected[best]! - t : Infinity;
        if (Math.abs(error) <= bar) taken.add(best);
        return { t, bar, error, ok: Math.abs(error) <= bar };
      });
      const extra = detected.filter((_, j) => !taken.has(j));
      report.push(
        `  ${c.name.padEnd(40)} ${found.map((f) => `${f.t.toFixed(2)}s ${f.ok ? `${f.error >= 0 ? '+' : ''}${(f.error / f.bar).toFixed(2)} bar` : 'MISSED'}`).join(', ')}` +
          `; extra: ${extra.length ? extra.map((t) => `${t.toFixed(2)}s`).join(' ') : 'none'}` +
          `; tracked tempi ${a.tempoSegments.map((s) => s.bpm.toFixed(0)).join('→')}`,
      );
      for (const f of found) expect({ boundary: f.t, withinOneBar: f.ok }).toEqual({ boundary: f.t, withinOneBar: true });
      expect(extra.length).toBeLessThanOrEqual(1);
    });
  }
});
