/**
 * First-party analytics, only after consent (cookie banner or Settings → Privacy). Nothing is
 * recorded or sent before that. The consent choice lives in localStorage (clearing it brings the
 * banner back, as the privacy policy says); the session trail (session id, start time, pages
 * visited) lives in sessionStorage and is gone when the tab closes. Events are batched to
 * POST /api/v1/analytics/events; no third party is involved.
 */
import { buildUrl, getCsrfToken } from '../api/client';
import { putAccountConsent, putDeviceConsent, getAccountConsent } from '../api/privacy';

const CHOICE_KEY = 'clipmix_consent';
const TRAIL_KEY = 'clipmix_session';
/** A choice is asked again after 13 months, like the server keeps it. */
const CHOICE_TTL_MS = 395 * 86_400_000;
const FLUSH_MS = 5_000;
const MAX_BATCH = 20;

export interface ConsentChoice {
  analytics: boolean;
  device_id: string;
  at: string;
}

interface Trail {
  id: string;
  started_at: number;
  pages: Array<{ path: string; at: number }>;
}

interface AnalyticsEvent {
  type: 'page_view' | 'session_end';
  path: string;
  referrer: string | null;
  duration_ms: number | null;
  device_type: 'desktop' | 'tablet' | 'phone';
  screen: string;
  language: string;
  occurred_at: string;
}

const listeners = new Set<(c: ConsentChoice | null) => void>();
let queue: AnalyticsEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
/** Resolved once a signed-in user's server-side consent agrees with the local choice. */
let synced: Promise<void> = Promise.resolve();

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function readChoice(): ConsentChoice | null {
  try {
    const c = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null') as ConsentChoice | null;
    if (!c || typeof c.analytics !== 'boolean' || !c.device_id || Date.now() - Date.parse(c.at) > CHOICE_TTL_MS) return null;
    return c;
  } catch {
    return null;
  }
}

function writeChoice(analytics: boolean): ConsentChoice {
  const choice = { analytics, device_id: readChoice()?.device_id ?? randomId(), at: new Date().toISOString() };
  localStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
  if (!analytics) {
    sessionStorage.removeItem(TRAIL_KEY);
    queue = [];
  }
  for (const l of listeners) l(choice);
  return choice;
}

/** Forgets this browser's choice and trail (account deleted, or the server no longer has the consent). */
export function forgetChoice(): void {
  localStorage.removeItem(CHOICE_KEY);
  sessionStorage.removeItem(TRAIL_KEY);
  queue = [];
  for (const l of listeners) l(null);
}

export function onChoiceChange(listener: (c: ConsentChoice | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Records the banner/Settings choice locally and on the server (the account too when signed in). */
export async function chooseAnalytics(analytics: boolean, opts: { signedIn: boolean; source: 'banner' | 'settings' }): Promise<void> {
  const choice = writeChoice(analytics);
  const saving = (async () => {
    await putDeviceConsent(choice.device_id, analytics);
    if (opts.signedIn && opts.source === 'banner') await putAccountConsent({ analytics, source: 'banner' });
  })();
  synced = saving.catch(() => undefined);
  await saving;
}

/** Only mirrors a choice the server already has (Settings did the PUT itself). */
export function rememberChoice(analytics: boolean): void {
  const choice = writeChoice(analytics);
  synced = putDeviceConsent(choice.device_id, analytics).then(
    () => undefined,
    () => undefined,
  );
}

/**
 * After sign-in: the account's choice (made on another device, say) wins; an account without one
 * gets this browser's choice.
 */
export function syncSignedInConsent(): Promise<void> {
  synced = (async () => {
    const server = await getAccountConsent();
    const local = readChoice();
    if (server.analytics !== null) {
      if (local?.analytics !== server.analytics) await putDeviceConsent(writeChoice(server.analytics).device_id, server.analytics);
    } else if (local) {
      await putAccountConsent({ analytics: local.analytics, source: 'banner' });
    }
  })().catch(() => undefined);
  return synced;
}

function deviceType(): AnalyticsEvent['device_type'] {
  const w = Math.min(window.screen.width, window.screen.height);
  if (w < 600) return 'phone';
  if (w < 1024 && navigator.maxTouchPoints > 0) return 'tablet';
  return 'desktop';
}

function readTrail(): Trail {
  try {
    const t = JSON.parse(sessionStorage.getItem(TRAIL_KEY) ?? 'null') as Trail | null;
    if (t?.id && Array.isArray(t.pages)) return t;
  } catch {
    /* a fresh trail below */
  }
  return { id: randomId(), started_at: Date.now(), pages: [] };
}

function baseEvent(type: AnalyticsEvent['type'], path: string): AnalyticsEvent {
  return {
    type,
    path,
    referrer: null,
    duration_ms: null,
    device_type: deviceType(),
    screen: `${window.screen.width}x${window.screen.height}`,
    language: navigator.language.slice(0, 35),
    occurred_at: new Date().toISOString(),
  };
}

/** A route change. Does nothing without consent. */
export function trackPageView(path: string): void {
  if (readChoice()?.analytics !== true) return;
  const trail = readTrail();
  const last = trail.pages[trail.pages.length - 1];
  if (last?.path === path) return;
  const now = Date.now();
  const event = baseEvent('page_view', path);
  event.duration_ms = last ? Math.min(now - last.at, 86_400_000) : null;
  // Only where the visit came from, and only for its first page.
  if (!last && document.referrer && !document.referrer.startsWith(window.location.origin)) event.referrer = document.referrer;
  trail.pages.push({ path, at: now });
  sessionStorage.setItem(TRAIL_KEY, JSON.stringify(trail));
  enqueue(event);
}

function enqueue(e: AnalyticsEvent): void {
  queue.push(e);
  if (queue.length >= MAX_BATCH) void flush();
  else if (!timer) timer = setTimeout(() => void flush(), FLUSH_MS);
}

/** Sends queued events (also on tab hide; keepalive lets the request outlive the page). */
export async function flush(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const choice = readChoice();
  if (!queue.length || choice?.analytics !== true) return;
  await synced;
  const events = queue.splice(0, 50);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const csrf = getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(buildUrl('/analytics/events'), {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    keepalive: true,
    body: JSON.stringify({ device_id: choice.device_id, session_id: readTrail().id, events }),
  }).catch(() => null);
  // The server has no consent for us (withdrawn elsewhere, expired): ask again.
  if (res?.status === 403) forgetChoice();
}

/** Starts the page-hide handling once per page load (session duration + final flush). */
let installed = false;
export function installAnalytics(): void {
  if (installed) return;
  installed = true;
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'hidden' || readChoice()?.analytics !== true) return;
    const trail = readTrail();
    const last = trail.pages[trail.pages.length - 1];
    if (last) {
      const e = baseEvent('session_end', last.path);
      e.duration_ms = Math.min(Date.now() - trail.started_at, 86_400_000);
      queue.push(e);
    }
    void flush();
  });
}
