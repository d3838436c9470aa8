import { useComputedColorScheme, useMantineTheme } from '@mantine/core';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MusicVideoTimeline } from '../../api/musicVideos';
import { formatDuration } from '../../lib/format';
import { bucketPeaks } from '../files/peaks';
import classes from './SectionMap.module.css';
import { sectionColor } from './sectionColors';

const W = 1000;
const H = 132;
const WAVE_MID = 78;
const WAVE_HALF = 40;
const BARS = 240;

interface SectionMapProps {
  timeline: MusicVideoTimeline;
  /** The song's peaks ({peaks:[min,max,…], duration_seconds}); the map still works without them. */
  waveform: { peaks: number[]; duration_seconds: number } | null;
  currentTime: number;
  onSeek: (seconds: number) => void;
}

/**
 * The song's sections drawn over its waveform, with the video's cut points (dashed) and beats
 * (ticks, taller on downbeats). Clicking anywhere seeks the player; the section buttons below
 * the map do the same for keyboards and screen readers.
 */
export function SectionMap({ timeline, waveform, currentTime, onSeek }: SectionMapProps) {
  const { t } = useTranslation();
  const theme = useMantineTheme();
  const dark = useComputedColorScheme('dark') === 'dark';
  const ink = {
    wave: dark ? theme.colors.violet[2] : theme.colors.violet[8],
    label: dark ? theme.colors.gray[1] : theme.colors.dark[7],
    cut: dark ? theme.colors.yellow[3] : theme.colors.orange[8],
    beat: dark ? theme.colors.gray[5] : theme.colors.gray[6],
    playhead: dark ? theme.white : theme.black,
  };
  const duration = Math.max(0.001, timeline.duration_seconds);
  const x = (s: number) => (Math.min(Math.max(s, 0), duration) / duration) * W;
  const cuts = timeline.shots.map((s) => s.start).filter((s) => s > 0.01);
  const downbeats = new Set(timeline.downbeats.map((d) => d.toFixed(2)));

  const bars = waveform && waveform.peaks.length >= 2 ? bucketPeaks(waveform.peaks, BARS) : null;
  const waveSeconds = waveform?.duration_seconds ?? duration;
  const barWidth = (x(waveSeconds) / BARS) * 0.7;

  const seekFromClick = (e: MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width > 0) onSeek(((e.clientX - box.left) / box.width) * duration);
  };

  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      className={classes.map}
      onClick={seekFromClick}
      role="img"
      aria-label={t('musicVideo.result.mapLabel', { sections: timeline.sections.length, cuts: cuts.length })}
      data-testid="mv-section-map"
      data-has-waveform={bars ? 'true' : 'false'}
    >
      {timeline.sections.map((s, i) => {
        const color = theme.colors[sectionColor(s.label)]![5];
        return (
          <g key={i} data-testid="mv-section" data-label={s.label} data-start={s.start}>
            <rect x={x(s.start)} y={0} width={Math.max(1, x(s.end) - x(s.start))} height={H} fill={color} fillOpacity={0.16 + 0.3 * Math.min(1, Math.max(0, s.energy))} />
            <rect x={x(s.start)} y={0} width={Math.max(1, x(s.end) - x(s.start))} height={4} fill={color} />
            {x(s.end) - x(s.start) > 60 ? (
              <text x={x(s.start) + 8} y={22} className={classes.label} fill={ink.label}>
                {t(`musicVideo.sections.${s.label}`, { defaultValue: s.label })}
              </text>
            ) : null}
          </g>
        );
      })}
      {bars
        ? bars.map((amp, i) => {
            const h = Math.max(1, amp * WAVE_HALF);
            return <rect key={i} className={classes.wave} fill={ink.wave} x={x((i / BARS) * waveSeconds)} y={WAVE_MID - h} width={barWidth} height={2 * h} />;
          })
        : null}
      {timeline.beats.map((b, i) => {
        const down = downbeats.has(b.toFixed(2));
        return <line key={i} className={classes.beat} stroke={ink.beat} x1={x(b)} x2={x(b)} y1={H - (down ? 12 : 6)} y2={H} />;
      })}
      {cuts.map((c, i) => (
        <g key={i} data-testid="mv-cut">
          <line className={classes.cut} stroke={ink.cut} x1={x(c)} x2={x(c)} y1={30} y2={H - 14} vectorEffect="non-scaling-stroke" />
          <path d={`M${x(c) - 6},28 L${x(c) + 6},28 L${x(c)},36 Z`} fill={ink.cut} />
        </g>
      ))}
      <line className={classes.playhead} stroke={ink.playhead} x1={x(currentTime)} x2={x(currentTime)} y1={0} y2={H} vectorEffect="non-scaling-stroke" />
      <title>{t('musicVideo.result.mapTitle', { duration: formatDuration(duration) })}</title>
    </svg>
  );
}
