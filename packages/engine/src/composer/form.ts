/**
 * Song form fitted to a bar count: the largest standard form that fits, phrases doubled for fast
 * tempos, leftover bars given to the non-chorus sections (so every chorus keeps the same length
 * and the hook repeats exactly).
 */
import type { SectionLabel } from './types.js';

export interface PlannedSection {
  label: SectionLabel;
  /** First bar of the section. */
  startBar: number;
  bars: number;
}

type Form = Array<[SectionLabel, number]>;

function buildForms(preChorus: boolean): Form[] {
  const pre: Form = preChorus ? [['pre_chorus', 4]] : [];
  return [
    [['chorus', 4]],
    [['intro', 2], ['chorus', 4], ['outro', 2]],
    [['intro', 2], ['verse', 4], ['chorus', 4], ['outro', 2]],
    [['intro', 4], ['verse', 8], ['chorus', 8], ['outro', 4]],
    [['intro', 4], ['verse', 8], ['chorus', 8], ['verse', 8], ['chorus', 8], ['outro', 4]],
    [['intro', 4], ['verse', 8], ['chorus', 8], ['verse', 8], ['chorus', 8], ['bridge', 8], ['chorus', 8], ['outro', 4]],
    [['intro', 4], ['verse', 8], ...pre, ['chorus', 8], ['verse', 8], ...pre, ['chorus', 8], ['bridge', 8], ['chorus', 8], ['chorus', 8], ['outro', 4]],
    [['intro', 4], ['verse', 8], ...pre, ['chorus', 8], ['verse', 8], ...pre, ['chorus', 8], ['instrumental', 8], ['bridge', 8], ['chorus', 8], ['chorus', 8], ['outro', 4]],
    [['intro', 8], ['verse', 8], ...pre, ['chorus', 8], ['verse', 8], ...pre, ['chorus', 8], ['instrumental', 8], ['verse', 8], ...pre, ['chorus', 8], ['bridge', 8], ['chorus', 8], ['chorus', 8], ['outro', 8]],
    [['intro', 8], ['verse', 8], ...pre, ['chorus', 8], ['verse', 8], ...pre, ['chorus', 8], ['instrumental', 8], ['verse', 8], ...pre, ['chorus', 8], ['bridge', 8], ['chorus', 8], ['instrumental', 8], ['chorus', 8], ['outro', 8]],
  ];
}

const total = (form: Form): number => form.reduce((sum, [, bars]) => sum + bars, 0);

/** Leftover bars go here first, two at a time; choruses never grow. */
const GROWTH_ORDER: SectionLabel[] = ['verse', 'bridge', 'instrumental', 'outro', 'intro'];
/** Intros and outros stop growing here; the rest goes to verses, bridges and solos. */
const MAX_EDGE_BARS = 8;

export function planForm(bars: number, preChorus: boolean): PlannedSection[] {
  if (bars < 4) return [{ label: 'chorus', startBar: 0, bars }];
  const forms = buildForms(preChorus);
  let chosen = forms[0]!;
  for (const form of forms) if (total(form) <= bars) chosen = form;
  const scale = total(chosen) * 2 <= bars && total(chosen) >= 24 ? 2 : 1;
  const sections = chosen.map(([label, n]) => ({ label, bars: n * scale }));
  let left = bars - total(chosen) * scale;
  const growable = GROWTH_ORDER.flatMap((label) => sections.filter((s) => s.label === label));
  const canGrow = (s: { label: SectionLabel; bars: number }): boolean => (s.label !== 'intro' && s.label !== 'outro') || s.bars < MAX_EDGE_BARS;
  for (let i = 0; left > 0; i++) {
    const open = growable.filter(canGrow);
    // Forms without a growable section (the tiny ones) stretch their last section.
    const target = open.length ? open[i % open.length]! : sections[sections.length - 1]!;
    const add = Math.min(2, left);
    target.bars += add;
    left -= add;
  }
  let startBar = 0;
  return sections.map((s) => {
    const planned = { label: s.label, startBar, bars: s.bars };
    startBar += s.bars;
    return planned;
  });
}
