/** Source of time. Tests pass a controllable clock; production uses the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  constructor(private t: Date = new Date('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  set(t: Date | string): void {
    this.t = new Date(t);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

export const iso = (d: Date): string => d.toISOString();
export const addMs = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** `clock.now().getTime()` without a Date for the system clock (hot paths: rate limits). */
export function nowMs(clock: Clock): number {
  return clock === systemClock ? Date.now() : clock.now().getTime();
}

// The ISO text of the current second, reused for every millisecond in it.
let isoSecond = NaN;
let isoPrefix = '';
// And the whole text of the last millisecond asked for: under load, several requests a millisecond.
let isoLastMs = NaN;
let isoLast = '';

/**
 * `new Date(ms).toISOString()` for hot paths (a request-log row per request): formatting a Date
 * goes through V8's date cache and time-zone lookups each time, so the text up to the seconds is
 * formatted once per second and only the milliseconds are appended. Identical output.
 */
export function isoFromMs(ms: number): string {
  if (ms === isoLastMs) return isoLast;
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    const full = new Date(second * 1000).toISOString();
    // Only the common `YYYY-MM-DDTHH:MM:SS.000Z` form is cached (not extended years).
    if (full.length !== 24) return new Date(ms).toISOString();
    isoSecond = second;
    isoPrefix = full.slice(0, 20);
  }
  const milli = ms - second * 1000;
  isoLastMs = ms;
  isoLast = `${isoPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  return isoLast;
}

/** `clock.now().toISOString()`, cheaply for the system clock. */
export function isoNow(clock: Clock): string {
  return clock === systemClock ? isoFromMs(Date.now()) : clock.now().toISOString();
}
