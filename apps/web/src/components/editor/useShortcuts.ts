import { useEffect, useRef } from 'react';

export interface ShortcutHandlers {
  togglePlay(): void;
  back(): void;
  pause(): void;
  forward(): void;
  markIn(): void;
  markOut(): void;
  split(): void;
  remove(): void;
  undo(): void;
  redo(): void;
  step(frames: number): void;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/** Editor keys: space, J/K/L, I/O, S, Delete, ←/→ and ⌘Z / ⇧⌘Z (Ctrl on other systems). */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const h = ref.current;
      const mod = e.metaKey || e.ctrlKey;
      if (mod && e.key.toLowerCase() === 'z') {
        if (typing(e.target)) return; // the field's own undo
        e.preventDefault();
        if (e.shiftKey) h.redo();
        else h.undo();
        return;
      }
      if (mod && e.key.toLowerCase() === 'y') {
        if (typing(e.target)) return;
        e.preventDefault();
        h.redo();
        return;
      }
      if (mod || e.altKey || typing(e.target)) return;
      const target = e.target as HTMLElement | null;
      // Space and Enter keep their meaning on buttons and sliders.
      const onControl = !!target?.closest('button, [role="slider"], [role="button"], a');
      switch (e.key) {
        case ' ':
          if (onControl) return;
          e.preventDefault();
          h.togglePlay();
          return;
        case 'j':
        case 'J':
          h.back();
          return;
        case 'k':
        case 'K':
          h.pause();
          return;
        case 'l':
        case 'L':
          h.forward();
          return;
        case 'i':
        case 'I':
          h.markIn();
          return;
        case 'o':
        case 'O':
          h.markOut();
          return;
        case 's':
        case 'S':
          h.split();
          return;
        case 'Delete':
        case 'Backspace':
          if (onControl && target?.getAttribute('role') === 'slider') return;
          h.remove();
          return;
        case 'ArrowLeft':
        case 'ArrowRight':
          if (onControl) return;
          e.preventDefault();
          h.step(e.key === 'ArrowLeft' ? -1 : 1);
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
