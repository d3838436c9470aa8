import { useCallback, useEffect, useRef, useState } from 'react';
import { removedAt, type EditorDoc } from './model';

/**
 * Plays the source <video> as the edit would: from the trim start, jumping over deleted
 * segments, stopping at the trim end, at the edit's speed (× L presses).
 */
export function usePlayback(doc: EditorDoc) {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [boost, setBoost] = useState(1);
  const docRef = useRef(doc);
  docRef.current = doc;

  useEffect(() => {
    const v = videoRef.current;
    if (v) v.playbackRate = Math.min(16, doc.speed * boost);
  }, [doc.speed, boost]);

  useEffect(() => {
    const v = videoRef.current;
    if (!v) return;
    const onPlay = () => setPlaying(true);
    const onPause = () => setPlaying(false);
    const onSeeked = () => setTime(v.currentTime);
    v.addEventListener('play', onPlay);
    v.addEventListener('pause', onPause);
    v.addEventListener('seeked', onSeeked);
    return () => {
      v.removeEventListener('play', onPlay);
      v.removeEventListener('pause', onPause);
      v.removeEventListener('seeked', onSeeked);
    };
  }, []);

  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    const tick = () => {
      const v = videoRef.current;
      if (!v) return;
      const d = docRef.current;
      const t = v.currentTime;
      const gap = removedAt(d, t);
      if (gap) {
        if (t >= d.trimEnd || gap.end >= d.trimEnd) {
          v.pause();
          v.currentTime = d.trimEnd;
        } else {
          v.currentTime = gap.end;
        }
      }
      setTime(v.currentTime);
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing]);

  const seek = useCallback((t: number) => {
    const v = videoRef.current;
    const clamped = Math.max(0, Math.min(docRef.current.duration, t));
    if (v) v.currentTime = clamped;
    setTime(clamped);
  }, []);

  const play = useCallback(() => {
    const v = videoRef.current;
    if (!v) return;
    const d = docRef.current;
    if (v.currentTime < d.trimStart || v.currentTime >= d.trimEnd - 0.05) v.currentTime = d.trimStart;
    void v.play().catch(() => setPlaying(false));
  }, []);

  const pause = useCallback(() => {
    videoRef.current?.pause();
    setBoost(1);
  }, []);

  const toggle = useCallback(() => (videoRef.current?.paused === false ? pause() : play()), [pause, play]);

  /** L: play, and each further press doubles the rate (up to 4×). */
  const forward = useCallback(() => {
    if (videoRef.current?.paused === false) setBoost((b) => Math.min(4, b * 2));
    else play();
  }, [play]);

  return { videoRef, time, playing, seek, play, pause, toggle, forward };
}
