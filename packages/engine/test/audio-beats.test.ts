import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeAudio, analyzePcm } from '../src/audio/analyze.js';
import { fMeasure } from '../src/audio/metrics.js';
import { synthClickTrack, synthDrumGroove, type SynthSignal } from '../src/audio/synth-test-signals.js';

const TEMPI = [70, 82, 95, 100, 110, 120, 128, 140, 155, 170, 180];
const report: string[] = [];

afterAll(() => {
  // The measured figures, printed once per run.
  console.log(['', 'audio analysis — measured on synthetic ground truth (tolerance ±70 ms):', ...report].join('\n'));
});

function evaluate(name: string, sig: SynthSignal, trueBpm: number) {
  const t0 = performance.now();
  const a = analyzePcm(sig.samples, sig.sampleRate);
  const ms = performance.now() - t0;
  const beat = fMeasure(sig.beats, a.beats, 0.07);
  const down = fMeasure(sig.downbeats, a.downbeats, 0.07);
  const tempoErr = (a.tempoBpm / trueBpm - 1) * 100;
  const meanErr = beat.errors.reduce((x, y) => x + y, 0) / Math.max(1, beat.errors.length);
  report.push(
    `  ${name.padEnd(22)} tempo ${a.tempoBpm.toFixed(2).padStart(7)} (err ${tempoErr >= 0 ? '+' : ''}${tempoErr.toFixed(2)}%)` +
      `  beat F ${beat.fMeasure.toFixed(3)}  downbeat F ${down.fMeasure.toFixed(3)}  mean offset ${(meanErr * 1000).toFixed(1)} ms  conf ${a.tempoConfidence.toFixed(2)}  ${ms.toFixed(0)} ms`,
  );
  return { a, beat, down, tempoErr };
}

describe('tempo, beats and downbeats on drum grooves (pink noise, 10 dB SNR)', () => {
  for (const bpm of TEMPI) {
    it(`${bpm} BPM`, () => {
      const sig = synthDrumGroove({ bpm, bars: 16, noise: { kind: 'pink', snrDb: 10 }, seed: bpm });
      const { a, beat, down, tempoErr } = evaluate(`groove ${bpm}`, sig, bpm);
      expect(a.hasBeat).toBe(true);
      expect(Math.abs(tempoErr)).toBeLessThan(2);
      expect(beat.fMeasure).toBeGreaterThanOrEqual(0.9);
      expect(a.beatsPerBar).toBe(4);
      expect(down.fMeasure).toBeGreaterThanOrEqual(0.8);
      expect(a.tempoSegments).toHaveLength(1);
    });
  }
});

describe('tempo and beats on click tracks (white noise, 6 dB SNR)', () => {
  for (const bpm of TEMPI) {
    it(`${bpm} BPM`, () => {
      const sig = synthClickTrack({ bpm, bars: 16, noise: { kind: 'white', snrDb: 6 }, seed: 1000 + bpm });
      const { a, beat, down, tempoErr } = evaluate(`click ${bpm}`, sig, bpm);
      expect(a.hasBeat).toBe(true);
      expect(Math.abs(tempoErr)).toBeLessThan(2);
      expect(beat.fMeasure).toBeGreaterThanOrEqual(0.9);
      expect(down.fMeasure).toBeGreaterThanOrEqual(0.8);
    });
  }
});

describe('tempo changes between sections', () => {
  it('100 BPM for 16 bars, then 128 BPM for 16 bars', () => {
    const sig = synthDrumGroove({
      sections: [
        { label: 'a', bars: 16, bpm: 100 },
        { label: 'b', bars: 16, bpm: 128 },
      ],
      noise: { kind: 'white', snrDb: 10 },
      seed: 11,
    });
    const { a, beat, down } = evaluate('change 100→128', sig, 100);
    expect(beat.fMeasure).toBeGreaterThanOrEqual(0.9);
    expect(down.fMeasure).toBeGreaterThanOrEqual(0.8);
    expect(a.tempoSegments).toHaveLength(2);
    const [s1, s2] = a.tempoSegments;
    expect(Math.abs(s1!.bpm / 100 - 1)).toBeLessThan(0.02);
    expect(Math.abs(s2!.bpm / 128 - 1)).toBeLessThan(0.02);
    // The change is placed within a beat or two of the true bar line.
    expect(Math.abs(s2!.start - sig.sections[1]!.start)).toBeLessThan(1.2);
    report.push(`    segments: ${a.tempoSegments.map((s) => `${s.start.toFixed(2)}–${s.end.toFixed(2)} s @ ${s.bpm.toFixed(2)}`).join(', ')} (true change at ${sig.sections[1]!.start.toFixed(2)} s)`);
  });

  it('three tempi: 140 → 110 → 125 BPM (pink noise)', () => {
    const sig = synthDrumGroove({
      sections: [
        { label: 'a', bars: 12, bpm: 140 },
        { label: 'b', bars: 12, bpm: 110 },
        { label: 'c', bars: 12, bpm: 125 },
      ],
      noise: { kind: 'pink', snrDb: 10 },
      seed: 12,
    });
    // The dominant tempo is the longest segment's: 12 bars at 110 BPM last longest.
    const { a, beat } = evaluate('change 140→110→125', sig, 110);
    expect(beat.fMeasure).toBeGreaterThanOrEqual(0.9);
    expect(a.tempoSegments.map((s) => Math.round(s.bpm))).toEqual([140, 110, 125]);
  });
});

describe('meter', () => {
  it('detects 3/4 when it is clearly better (waltz groove)', () => {
    const sig = synthDrumGroove({ bpm: 150, bars: 24, beatsPerBar: 3, noise: { kind: 'pink', snrDb: 10 }, seed: 3 });
    const { a, beat, down } = evaluate('waltz 150 (3/4)', sig, 150);
    expect(beat.fMeasure).toBeGreaterThanOrEqual(0.9);
    expect(a.beatsPerBar).toBe(3);
    expect(down.fMeasure).toBeGreaterThanOrEqual(0.8);
  });
});

describe('random grooves (property)', () => {
  it('tempo within 2% and beat F ≥ 0.9 for any tempo 70–180, seed and SNR 6–20 dB', () => {
    let runs = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 70, max: 180 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 6, max: 20 }),
        fc.constantFrom<'white' | 'pink'>('white', 'pink'),
        (bpm, seed, snrDb, kind) => {
          runs++;
          const sig = synthDrumGroove({ bpm, bars: 12, seed, noise: { kind, snrDb } });
          const a = analyzePcm(sig.samples, sig.sampleRate);
          const f = fMeasure(sig.beats, a.beats, 0.07).fMeasure;
          return a.hasBeat && Math.abs(a.tempoBpm / bpm - 1) < 0.02 && f >= 0.9;
        },
      ),
      { numRuns: 12, seed: 20240601 },
    );
    expect(runs).toBe(12);
  });
});

// A more realistic check: General MIDI drums, bass and piano rendered with fluidsynth (sampled
// instruments, swung hats at 96 BPM). Skipped where fluidsynth or the GM soundfont is missing.
const SOUNDFONT = ['/usr/share/sounds/sf2/FluidR3_GM.sf2', '/usr/share/sounds/sf2/default-GM.sf2'].find((p) => existsSync(p));
const HAVE_FLUIDSYNTH = !!SOUNDFONT && spawnSync('fluidsynth', ['--version']).status === 0;

function vlq(n: number): number[] {
  const b = [n & 0x7f];
  for (n >>= 7; n > 0; n >>= 7) b.unshift((n & 0x7f) | 0x80);
  return b;
}

/**
 * Tiny SMF writer: a 4/4 pop groove (kick 1+3, snare 2+4, crash every 4 bars, hats on eighths —
 * optionally swung —, bass on every beat, piano chords per bar), one tempo per section.
 */
function midiGroove(sections: { bpm: number; bars: number; swing?: boolean }[]): { bytes: Buffer; beats: number[]; downbeats: number[] } {
  const tpq = 480;
  const evs: { tick: number; data: number[] }[] = [];
  evs.push({ tick: 0, data: [0xc0, 33] }, { tick: 0, data: [0xc1, 0] });
  const note = (tick: number, ch: number, key: number, vel: number, dur: number): void => {
    evs.push({ tick, data: [0x90 | ch, key, vel] }, { tick: tick + dur, data: [0x80 | ch, key, 0] });
  };
  const chords = [[45, 57, 60, 64], [41, 53, 57, 60], [48, 55, 60, 64], [43, 55, 59, 62]];
  const beats: number[] = [];
  const downbeats: number[] = [];
  let tick = 0;
  let sec = 0;
  let bar = 0;
  for (const s of sections) {
    const us = Math.round(60e6 / s.bpm);
    evs.push({ tick, data: [0xff, 0x51, 0x03, (us >> 16) & 255, (us >> 8) & 255, us & 255] });
    if (tick === 0) {
      tick += tpq; // one beat of silence first
      sec += us / 1e6;
    }
    for (let k = 0; k < s.bars; k++, bar++) {
      const ch = chords[bar % 4]!;
      for (let b = 0; b < 4; b++) {
        beats.push(sec);
        if (b === 0) downbeats.push(sec);
        if (b % 2 === 0) note(tick, 9, 36, b === 0 ? 120 : 100, 60);
        else note(tick, 9, 38, 105, 60);
        if (b === 0 && bar % 4 === 0) note(tick, 9, 49, 100, 60);
        note(tick, 9, 42, 70, 30);
        note(tick + (s.swing ? (tpq * 2) / 3 : tpq / 2), 9, 42, 55, 30);
        note(tick, 0, ch[0]!, 90, tpq - 20);
        if (b === 0) for (const key of ch.slice(1)) note(tick, 1, key, 70, 4 * tpq - 20);
        tick += tpq;
        sec += us / 1e6;
      }
    }
  }
  evs.sort((x, y) => x.tick - y.tick || (x.data[0]! & 0xf0) - (y.data[0]! & 0xf0));
  const trk: number[] = [];
  let last = 0;
  for (const ev of evs) {
    trk.push(...vlq(ev.tick - last), ...ev.data);
    last = ev.tick;
  }
  trk.push(0, 0xff, 0x2f, 0);
  const len = trk.length;
  const head = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, (tpq >> 8) & 255, tpq & 255];
  const chunk = [0x4d, 0x54, 0x72, 0x6b, (len >>> 24) & 255, (len >> 16) & 255, (len >> 8) & 255, len & 255];
  return { bytes: Buffer.from([...head, ...chunk, ...trk]), beats, downbeats };
}

describe.skipIf(!HAVE_FLUIDSYNTH)('sampled instruments (fluidsynth GM render)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clipmix-audio-gm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases = [
    { name: 'GM 72', sections: [{ bpm: 72, bars: 12 }] },
    { name: 'GM 176', sections: [{ bpm: 176, bars: 16 }] },
    { name: 'GM 96 swung → 124', sections: [{ bpm: 96, bars: 12, swing: true }, { bpm: 124, bars: 12 }] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const m = midiGroove(c.sections);
      const mid = join(dir, `${c.name.replace(/\W+/g, '_')}.mid`);
      const wav = mid.replace(/\.mid$/, '.wav');
      writeFileSync(mid, m.bytes);
      const r = spawnSync('fluidsynth', ['-ni', '-q', '-R', '0', '-C', '0', '-F', wav, '-r', '22050', '-g', '0.6', SOUNDFONT!, mid]);
      expect(r.status).toBe(0);
      const a = await analyzeAudio(wav);
      const beat = fMeasure(m.beats, a.beats, 0.07);
      const down = fMeasure(m.downbeats, a.downbeats, 0.07);
      report.push(
        `  ${c.name.padEnd(22)} tempo ${a.tempoSegments.map((s) => s.bpm.toFixed(2)).join(' → ')}  beat F ${beat.fMeasure.toFixed(3)}  downbeat F ${down.fMeasure.toFixed(3)}`,
      );
      expect(a.tempoSegments.length).toBe(c.sections.length);
      a.tempoSegments.forEach((s, i) => expect(Math.abs(s.bpm / c.sections[i]!.bpm - 1)).toBeLessThan(0.02));
      expect(beat.fMeasure).toBeGreaterThanOrEqual(0.9);
      expect(down.fMeasure).toBeGreaterThanOrEqual(0.8);
    });
  }
});
