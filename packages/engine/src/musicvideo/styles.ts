/**
 * Music-video style presets, as data. The planner reads cut density, transitions and motion from
 * here; the renderer reads the colour look (an ffmpeg filter chain applied to every photo and clip)
 * and caption styling. Layers listed here are copied into the timeline, where they can be edited.
 */
import type { Easing, Layer, TransitionType } from './timeline.js';

export type StyleId = 'pulse' | 'cinematic' | 'lyric' | 'retro_vhs' | 'minimal' | 'neon_visualizer';
export type EnergyLevel = 'calm' | 'medium' | 'loud';

export interface CaptionStyle {
  /** Font family (libass looks it up in the fonts directory, falling back for CJK and emoji). */
  font: string;
  bold: boolean;
  /** Font size as a fraction of the frame's shorter side. */
  size: number;
  /** Colour of words already sung (and of whole lines without karaoke), #rrggbb. */
  color: string;
  /** Colour of words not yet sung, #rrggbb. */
  upcoming_color: string;
  outline_color: string;
  /** Outline width as a fraction of the frame's shorter side. */
  outline: number;
  position: 'bottom' | 'center' | 'top';
  uppercase: boolean;
  karaoke: boolean;
}

export interface StylePreset {
  id: StyleId;
  name: string;
  description: string;
  /** Beats per shot by section energy (longer shots when calm). */
  cut_density: Record<EnergyLevel, number>;
  /** Seconds per shot by energy when the audio has no beat (phrase-based cutting). */
  phrase_seconds: Record<EnergyLevel, number>;
  transitions: {
    /** Transitions between shots inside a section, picked at random (seeded). */
    types: TransitionType[];
    /** Duration in beats (seconds = beats × 60 / tempo; 0.5 s per beat without a beat). */
    beats: number;
    /** Share of cuts inside a section that are hard cuts, by energy. */
    hard_cut_share: Record<EnergyLevel, number>;
    /** Stronger transitions used at section changes. */
    section_types: TransitionType[];
    section_beats: number;
  };
  motion: {
    /** Ken Burns zoom range: 1 = the whole cover-fitted frame, 1.3 = 30 % closer. */
    zoom_min: number;
    zoom_max: number;
    /** How far the window travels, as a fraction of the room available (0..1). */
    pan: number;
    easing: Easing;
  };
  look: {
    name: string;
    /** ffmpeg filter chain (trusted, fixed here; never built from user input). Empty = none. */
    filter: string;
  };
  layers: Layer[];
  captions: CaptionStyle;
  /** Seconds of title card at the start / end card at the end when a title is given (0 = none). */
  title_card_seconds: number;
  end_card_seconds: number;
}

const BASE_CAPTIONS: CaptionStyle = {
  font: 'Noto Sans',
  bold: true,
  size: 0.062,
  color: '#ffffff',
  upcoming_color: '#c8c8c8',
  outline_color: '#000000',
  outline: 0.004,
  position: 'bottom',
  uppercase: false,
  karaoke: true,
};

export const STYLES: readonly StylePreset[] = [
  {
    id: 'pulse',
    name: 'Pulse',
    description: 'Punchy, beat-driven: fast hard cuts on the drums, zoom punches on every beat, vivid colour.',
    cut_density: { calm: 4, medium: 2, loud: 1 },
    phrase_seconds: { calm: 3.5, medium: 3, loud: 2.5 },
    transitions: {
      types: ['zoomin', 'slideleft', 'slideright', 'fadewhite', 'pixelize'],
      beats: 0.5,
      hard_cut_share: { calm: 0.3, medium: 0.6, loud: 0.85 },
      section_types: ['fadewhite', 'circleopen', 'zoomin'],
      section_beats: 1,
    },
    motion: { zoom_min: 1.05, zoom_max: 1.3, pan: 0.6, easing: 'linear' },
    look: { name: 'vivid', filter: 'eq=contrast=1.12:saturation=1.3:brightness=0.01' },
    layers: [
      { type: 'beat_pulse', on: 'beats', strength: 0.6, mode: 'both' },
      { type: 'vignette', strength: 0.3 },
    ],
    captions: { ...BASE_CAPTIONS, uppercase: true, color: '#ffe14d' },
    title_card_seconds: 2.5,
    end_card_seconds: 2.5,
  },
  {
    id: 'cinematic',
    name: 'Cinematic',
    description: 'Slow, film-like: long shots, gentle push-ins, dissolves, teal-and-orange grade, letterbox and grain.',
    cut_density: { calm: 8, medium: 4, loud: 2 },
    phrase_seconds: { calm: 5, medium: 4, loud: 3.5 },
    transitions: {
      types: ['fade', 'dissolve', 'smoothleft', 'smoothright', 'fadeblack'],
      beats: 2,
      hard_cut_share: { calm: 0, medium: 0.15, loud: 0.35 },
      section_types: ['fadeblack', 'fade'],
      section_beats: 3,
    },
    motion: { zoom_min: 1.0, zoom_max: 1.18, pan: 0.5, easing: 'ease_in_out' },
    look: {
      name: 'teal-orange',
      filter: 'colorbalance=rs=-0.06:bs=0.08:rh=0.08:gh=0.02:bh=-0.08,eq=contrast=1.08:saturation=1.08:gamma=0.97',
    },
    layers: [
      { type: 'letterbox', ratio: 2.39 },
      { type: 'vignette', strength: 0.5 },
      { type: 'grain', strength: 0.25 },
    ],
    captions: { ...BASE_CAPTIONS, bold: false, size: 0.055 },
    title_card_seconds: 3.5,
    end_card_seconds: 3.5,
  },
  {
    id: 'lyric',
    name: 'Lyric video',
    description: 'Words first: large karaoke captions in the centre over softly moving, dimmed photos.',
    cut_density: { calm: 8, medium: 8, loud: 4 },
    phrase_seconds: { calm: 5, medium: 4.5, loud: 4 },
    transitions: {
      types: ['fade', 'dissolve'],
      beats: 2,
      hard_cut_share: { calm: 0, medium: 0, loud: 0.1 },
      section_types: ['fadeblack'],
      section_beats: 2,
    },
    motion: { zoom_min: 1.0, zoom_max: 1.12, pan: 0.3, easing: 'ease_in_out' },
    look: { name: 'dimmed', filter: 'eq=brightness=-0.08:saturation=0.85:contrast=0.95' },
    layers: [{ type: 'vignette', strength: 0.6 }],
    captions: { ...BASE_CAPTIONS, size: 0.085, position: 'center', upcoming_color: '#9a9a9a' },
    title_card_seconds: 3,
    end_card_seconds: 3,
  },
  {
    id: 'retro_vhs',
    name: 'Retro VHS',
    description: 'Home-video nostalgia: washed-out colour, tape noise, colour bleed, scanlines and glitchy slices.',
    cut_density: { calm: 4, medium: 4, loud: 2 },
    phrase_seconds: { calm: 3.5, medium: 3, loud: 2.5 },
    transitions: {
      types: ['hlslice', 'hrslice', 'pixelize', 'wipeleft', 'fade'],
      beats: 1,
      hard_cut_share: { calm: 0.3, medium: 0.4, loud: 0.6 },
      section_types: ['fadeblack', 'pixelize'],
      section_beats: 2,
    },
    motion: { zoom_min: 1.02, zoom_max: 1.15, pan: 0.4, easing: 'linear' },
    look: { name: 'vintage tape', filter: 'curves=preset=vintage,eq=saturation=0.8:contrast=1.05' },
    layers: [
      { type: 'vhs', strength: 0.6 },
      { type: 'vignette', strength: 0.4 },
    ],
    captions: { ...BASE_CAPTIONS, font: 'DejaVu Sans Mono', uppercase: true, color: '#f2f2f2' },
    title_card_seconds: 3,
    end_card_seconds: 3,
  },
  {
    id: 'minimal',
    name: 'Minimal',
    description: 'Clean and calm: natural colour, slow fades and subtle motion, nothing on top.',
    cut_density: { calm: 8, medium: 8, loud: 4 },
    phrase_seconds: { calm: 5, medium: 4.5, loud: 4 },
    transitions: {
      types: ['fade'],
      beats: 1,
      hard_cut_share: { calm: 0.2, medium: 0.3, loud: 0.4 },
      section_types: ['fade'],
      section_beats: 2,
    },
    motion: { zoom_min: 1.0, zoom_max: 1.08, pan: 0.25, easing: 'ease_in_out' },
    look: { name: 'natural', filter: '' },
    layers: [],
    captions: { ...BASE_CAPTIONS, bold: false, size: 0.05 },
    title_card_seconds: 3,
    end_card_seconds: 3,
  },
  {
    id: 'neon_visualizer',
    name: 'Neon visualizer',
    description: 'Club visuals: saturated dark neon grade, spectrum bars and waveform reacting to the music, beat flashes.',
    cut_density: { calm: 8, medium: 4, loud: 2 },
    phrase_seconds: { calm: 4, medium: 3.5, loud: 2.5 },
    transitions: {
      types: ['circleopen', 'radial', 'zoomin', 'diagtl', 'diagbr'],
      beats: 1,
      hard_cut_share: { calm: 0.1, medium: 0.3, loud: 0.5 },
      section_types: ['circleopen', 'fadewhite'],
      section_beats: 2,
    },
    motion: { zoom_min: 1.05, zoom_max: 1.25, pan: 0.5, easing: 'linear' },
    look: { name: 'neon', filter: 'eq=contrast=1.25:saturation=1.6:brightness=-0.05:gamma=0.95' },
    layers: [
      { type: 'spectrum', opacity: 0.75, height: 0.22, color: '#29f0ff' },
      { type: 'waveform', opacity: 0.6, height: 0.12, color: '#ff3df2' },
      { type: 'beat_pulse', on: 'beats', strength: 0.5, mode: 'flash' },
      { type: 'vignette', strength: 0.5 },
    ],
    captions: { ...BASE_CAPTIONS, color: '#29f0ff', outline_color: '#3a0040', position: 'top' },
    title_card_seconds: 3,
    end_card_seconds: 3,
  },
];

const BY_ID = new Map<string, StylePreset>(STYLES.map((s) => [s.id, s]));

export const DEFAULT_STYLE: StyleId = 'pulse';

/** An unknown style id was asked for; the message lists the known ones. */
export class UnknownStyleError extends Error {
  override name = 'UnknownStyleError';
  constructor(readonly style: string) {
    super(`unknown style ${JSON.stringify(style)}; available styles: ${STYLES.map((s) => s.id).join(', ')}`);
  }
}

export function getStyle(id: string): StylePreset {
  const style = BY_ID.get(id);
  if (!style) throw new UnknownStyleError(id);
  return style;
}

export function styleIds(): StyleId[] {
  return STYLES.map((s) => s.id);
}

/** The presets for pickers: id, human name and description. */
export function listStyles(): Array<{ id: StyleId; name: string; description: string }> {
  return STYLES.map(({ id, name, description }) => ({ id, name, description }));
}
