import { Box, Text } from '@mantine/core';
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PART, segments, type EditorDoc } from './model';
import { ThumbnailStrip } from './ThumbnailStrip';
import { formatClock } from './time';
import { WaveformLane } from './WaveformLane';

interface TimelineProps {
  doc: EditorDoc;
  time: number;
  /** The source's content URL (for the frame strip). */
  src: string;
  waveformUrl: string | null;
  onSeek(t: number): void;
  onTrim(edge: 'start' | 'end', value: number, key?: string): void;
  selectedSegment: number | null;
  onSelectSegment(i: number | null): void;
  selectedText: string | null;
  onSelectText(id: string): void;
}

const pct = (v: number, d: number) => `${(Math.min(d, Math.max(0, v)) / d) * 100}%`;

/** Source-time timeline: frames, waveform, trim handles, split segments, text bars, playhead. */
export function Timeline(p: TimelineProps) {
  const { t } = useTranslation();
  const track = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<{ edge: 'start' | 'end'; value: number } | null>(null);
  const d = p.doc.duration;
  const trimStart = dragging?.edge === 'start' ? dragging.value : p.doc.trimStart;
  const trimEnd = dragging?.edge === 'end' ? dragging.value : p.doc.trimEnd;
  const segs = segments(p.doc);

  const timeAt = (clientX: number) => {
    const rect = track.current!.getBoundingClientRect();
    return Math.min(d, Math.max(0, ((clientX - rect.left) / rect.width) * d));
  };
  const clampEdge = (edge: 'start' | 'end', v: number) =>
    edge === 'start' ? Math.min(Math.max(0, v), p.doc.trimEnd - MIN_PART) : Math.max(Math.min(d, v), p.doc.trimStart + MIN_PART);

  const handle = (edge: 'start' | 'end') => {
    const value = edge === 'start' ? trimStart : trimEnd;
    const onKey = (e: KeyboardEvent) => {
      const step = e.shiftKey ? 1 : 0.1;
      const delta = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : null;
      const jump = e.key === 'Home' ? 0 : e.key === 'End' ? d : null;
      if (delta === null && jump === null) return;
      e.preventDefault();
      e.stopPropagation();
      p.onTrim(edge, Math.round(clampEdge(edge, jump ?? value + delta!) * 1000) / 1000, `trim-${edge}`);
    };
    return (
      <Box
        role="slider"
        tabIndex={0}
        aria-label={t(edge === 'start' ? 'editor.trimStart' : 'editor.trimEnd')}
        aria-valuemin={0}
        aria-valuemax={Math.round(d * 10) / 10}
        aria-valuenow={Math.round(value * 10) / 10}
        aria-valuetext={formatClock(value)}
        data-testid={`trim-${edge}`}
        onKeyDown={onKey}
        onPointerDown={(e: PointerEvent<HTMLDivElement>) => {
          e.stopPropagation();
          e.currentTarget.setPointerCapture(e.pointerId);
          setDragging({ edge, value });
        }}
        onPointerMove={(e: PointerEvent<HTMLDivElement>) => dragging?.edge === edge && setDragging({ edge, value: clampEdge(edge, timeAt(e.clientX)) })}
        onPointerUp={() => {
          if (dragging?.edge === edge) p.onTrim(edge, Math.round(dragging.value * 1000) / 1000);
          setDragging(null);
        }}
        style={{
          position: 'absolute',
          top: 0,
          bottom: 0,
          left: pct(value, d),
          width: 12,
          marginLeft: edge === 'start' ? 0 : -12,
          background: 'var(--mantine-color-yellow-5)',
          borderRadius: edge === 'start' ? '6px 0 0 6px' : '0 6px 6px 0',
          cursor: 'ew-resize',
          zIndex: 3,
          touchAction: 'none',
        }}
      />
    );
  };

  return (
    <Box data-testid="editor-timeline">
      <Box
        ref={track}
        style={{ position: 'relative', borderRadius: 6, overflow: 'hidden', userSelect: 'none', touchAction: 'none' }}
        onPointerDown={(e) => p.onSeek(timeAt(e.clientX))}
      >
        <ThumbnailStrip src={p.src} duration={d} />
        <WaveformLane url={p.waveformUrl} label={t('editor.waveform')} />
        {/* Trimmed-away ends and deleted segments are dimmed. */}
        <Box style={{ position: 'absolute', top: 0, bottom: 0, left: 0, width: pct(trimStart, d), background: 'rgba(0,0,0,0.7)' }} />
        <Box style={{ position: 'absolute', top: 0, bottom: 0, left: pct(trimEnd, d), right: 0, background: 'rgba(0,0,0,0.7)' }} />
        {segs.map((s, i) => (
          <Box
            key={`${s.start}-${s.end}`}
            component="button"
            type="button"
            aria-label={t(s.removed ? 'editor.segmentRemoved' : 'editor.segment', { n: i + 1, from: formatClock(s.start), to: formatClock(s.end) })}
            aria-pressed={p.selectedSegment === i}
            data-testid="timeline-segment"
            data-removed={s.removed || undefined}
            onClick={(e) => {
              e.stopPropagation();
              p.onSelectSegment(p.selectedSegment === i ? null : i);
            }}
            onPointerDown={(e) => {
              e.stopPropagation();
              p.onSeek(timeAt(e.clientX));
            }}
            style={{
              position: 'absolute',
              top: 0,
              bottom: 0,
              left: pct(s.start, d),
              width: pct(s.end - s.start, d),
              border: p.selectedSegment === i ? '2px solid var(--mantine-color-violet-3)' : '1px solid rgba(255,255,255,0.25)',
              background: s.removed ? 'repeating-linear-gradient(45deg, rgba(0,0,0,0.75) 0 6px, rgba(250,82,82,0.35) 6px 12px)' : 'transparent',
              padding: 0,
              cursor: 'pointer',
              zIndex: 1,
            }}
          />
        ))}
        {handle('start')}
        {handle('end')}
        <Box
          aria-hidden
          data-testid="playhead"
          style={{ position: 'absolute', top: 0, bottom: 0, left: pct(p.time, d), width: 2, marginLeft: -1, background: 'var(--mantine-color-red-5)', zIndex: 4, pointerEvents: 'none' }}
        />
      </Box>
      <Box h={22} mt={4} style={{ position: 'relative' }} aria-label={t('editor.textTrack')} role="group">
        {p.doc.texts.map((tx) => (
          <Box
            key={tx.id}
            component="button"
            type="button"
            onClick={() => p.onSelectText(tx.id)}
            aria-label={t('editor.textBar', { text: tx.text, from: formatClock(tx.start), to: formatClock(tx.end) })}
            style={{
              position: 'absolute',
              top: 0,
              height: 20,
              left: pct(tx.start, d),
              width: pct(tx.end - tx.start, d),
              background: p.selectedText === tx.id ? 'var(--mantine-color-violet-5)' : 'var(--mantine-color-violet-9)',
              color: 'white',
              border: 0,
              borderRadius: 4,
              overflow: 'hidden',
              fontSize: 11,
              textAlign: 'left',
              padding: '0 6px',
              whiteSpace: 'nowrap',
              cursor: 'pointer',
            }}
          >
            {tx.text}
          </Box>
        ))}
      </Box>
      <Text size="xs" c="dimmed" mt={2}>
        {t('editor.timelineHint')}
      </Text>
    </Box>
  );
}
