import { Badge, Box } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { cssLook } from './cssLooks';
import { croppedSize, type EditorDoc, type TextOverlay } from './model';

interface PreviewStageProps {
  src: string;
  poster?: string | null;
  frame: { width: number; height: number };
  doc: EditorDoc;
  videoRef: RefObject<HTMLVideoElement | null>;
  time: number;
  /** The server's exact frame for the current state (paused), or null. */
  exactUrl: string | null;
  /** Show the whole frame with the crop box instead of the cropped result. */
  showCropBox: boolean;
  selectedText: string | null;
  onSelectText(id: string | null): void;
  onMoveText(id: string, x: number, y: number, key?: string): void;
}

/**
 * The player: the source <video> with CSS approximations of the look, the crop and text overlays
 * that can be dragged into place; when paused, the exact server-rendered frame on top.
 */
export function PreviewStage(p: PreviewStageProps) {
  const { t } = useTranslation();
  const outer = useElementSize();
  const [drag, setDrag] = useState<{ id: string; x: number; y: number; dx: number; dy: number } | null>(null);
  const shown = p.showCropBox ? p.frame : croppedSize(p.frame, p.doc.crop);
  const aspect = shown.width / shown.height;
  const boxW = Math.min(outer.width, outer.height * aspect) || 0;
  const boxH = boxW / aspect || 0;
  const crop = croppedSize(p.frame, p.doc.crop);
  const exact = p.exactUrl && !p.showCropBox;

  const visibleTexts = p.showCropBox ? [] : p.doc.texts.filter((x) => p.time >= x.start && p.time < x.end);

  const startDrag = (e: PointerEvent<HTMLDivElement>, tx: TextOverlay) => {
    e.preventDefault();
    p.onSelectText(tx.id);
    const rect = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ id: tx.id, x: tx.x, y: tx.y, dx: (e.clientX - rect.left) / rect.width - tx.x, dy: (e.clientY - rect.top) / rect.height - tx.y });
  };
  const moveDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    const rect = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    const clamp = (v: number) => Math.min(0.98, Math.max(0, v));
    setDrag({ ...drag, x: clamp((e.clientX - rect.left) / rect.width - drag.dx), y: clamp((e.clientY - rect.top) / rect.height - drag.dy) });
  };
  const endDrag = () => {
    if (!drag) return;
    p.onMoveText(drag.id, drag.x, drag.y);
    setDrag(null);
  };
  const nudge = (e: KeyboardEvent<HTMLDivElement>, tx: TextOverlay) => {
    const step = e.shiftKey ? 0.05 : 0.01;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (!d) return;
    e.preventDefault();
    e.stopPropagation();
    p.onMoveText(tx.id, Math.min(0.98, Math.max(0, tx.x + d[0]!)), Math.min(0.98, Math.max(0, tx.y + d[1]!)), `nudge-${tx.id}`);
  };

  return (
    <Box ref={outer.ref} h="48vh" mih={240} style={{ display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Box
        data-testid="editor-stage"
        style={{ position: 'relative', width: boxW, height: boxH, background: 'black', overflow: 'hidden', containerType: 'size', borderRadius: 8 }}
        onPointerDown={(e) => {
          if (e.target === e.currentTarget || (e.target as HTMLElement).tagName !== 'DIV') p.onSelectText(null);
        }}
      >
        <video
          ref={p.videoRef}
          src={p.src}
          poster={p.poster ?? undefined}
          preload="auto"
          playsInline
          aria-label={t('editor.player')}
          style={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block', filter: cssLook(p.doc.filter) }}
        />
        {exact ? (
          <img
            src={p.exactUrl!}
            alt={t('editor.exactFrame')}
            data-testid="exact-frame"
            style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }}
          />
        ) : null}
        {p.showCropBox && p.doc.crop ? (
          <Box
            data-testid="crop-box"
            aria-hidden
            style={{
              position: 'absolute',
              left: `${((1 - crop.width / p.frame.width) / 2) * 100}%`,
              top: `${((1 - crop.height / p.frame.height) / 2) * 100}%`,
              width: `${(crop.width / p.frame.width) * 100}%`,
              height: `${(crop.height / p.frame.height) * 100}%`,
              outline: '2px solid var(--mantine-color-violet-4)',
              boxShadow: '0 0 0 9999px rgba(0,0,0,0.55)',
              pointerEvents: 'none',
            }}
          />
        ) : null}
        {visibleTexts.map((tx) => {
          const pos = drag?.id === tx.id ? drag : tx;
          const selected = p.selectedText === tx.id;
          return (
            <div
              key={tx.id}
              role="button"
              tabIndex={0}
              aria-label={t('editor.textOnStage', { text: tx.text })}
              data-testid="stage-text"
              onPointerDown={(e) => startDrag(e, tx)}
              onPointerMove={moveDrag}
              onPointerUp={endDrag}
              onPointerCancel={() => setDrag(null)}
              onKeyDown={(e) => nudge(e, tx)}
              onFocus={() => p.onSelectText(tx.id)}
              style={{
                position: 'absolute',
                left: `${pos.x * 100}%`,
                top: `${pos.y * 100}%`,
                fontSize: `${tx.size}cqh`,
                lineHeight: 1.15,
                fontWeight: 700,
                whiteSpace: 'pre',
                color: exact && !drag ? 'transparent' : tx.color,
                textShadow: exact && !drag ? undefined : '0 0 2px #000, 0 0 2px #000',
                cursor: 'move',
                touchAction: 'none',
                userSelect: 'none',
                outline: selected ? '1px dashed var(--mantine-color-violet-3)' : undefined,
                outlineOffset: 2,
              }}
            >
              {tx.text || ' '}
            </div>
          );
        })}
        {exact ? (
          <Badge size="xs" variant="filled" color="dark" style={{ position: 'absolute', right: 8, top: 8, opacity: 0.85 }}>
            {t('editor.exactBadge')}
          </Badge>
        ) : null}
      </Box>
    </Box>
  );
}
