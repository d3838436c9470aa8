/**
 * Browser-test harness: runs the real ClipMix server on a free port with a fresh data directory,
 * drives headless Chromium, records console errors and failed requests, and saves screenshots
 * at desktop and phone sizes into test-output/screenshots/.
 *
 * Set CLIPMIX_E2E_URL to test an already running server instead of starting one.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_DIR = path.join(REPO_ROOT, 'apps/web');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output/screenshots');
export const DESKTOP = { width: 1440, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

// ---------------------------------------------------------------------------------------------
// Server

export interface RunningServer {
  url: string;
  dataDir: string | null;
  logs(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Builds apps/web/dist when it is missing or older than the sources (the server serves it). */
export async function ensureWebBuild(): Promise<void> {
  const index = path.join(WEB_DIR, 'dist/index.html');
  const sources = Math.max(
    newestMtime(path.join(WEB_DIR, 'src')),
    // The lyrics preview bundles the engine's caption parsers.
    newestMtime(path.join(WEB_DIR, '../../packages/engine/src/captions')),
    statSync(path.join(WEB_DIR, 'index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  await run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: WEB_DIR, maxBuffer: 16 * 1024 * 1024 });
}

async function waitForReady(url: string, child: ChildProcess | null, logs: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`server exited with code ${child.exitCode} before it was ready:\n${logs()}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
      lastError = `readyz answered ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready after ${timeoutMs} ms (${lastError}):\n${logs()}`);
}

/** Starts `clipmix serve` on a free port with a fresh data dir and waits for GET /readyz = 200. */
export async function startServer(opts: { timeoutMs?: number; env?: Record<string, string> | undefined } = {}): Promise<RunningServer> {
  const external = process.env.CLIPMIX_E2E_URL;
  if (external) {
    const url = external.replace(/\/$/, '');
    await waitForReady(url, null, () => '', opts.timeoutMs ?? 30_000);
    return { url, dataDir: null, logs: () => '', stop: async () => undefined };
  }
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-e2e-'));
  let output = '';
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps/server/bin/clipmix.js'), 'serve'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port), CLIPMIX_DATA_DIR: dataDir, CLIPMIX_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForReady(url, child, () => output, opts.timeoutMs ?? 90_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, dataDir, logs: () => output, stop };
}

// ---------------------------------------------------------------------------------------------
// Browser

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A failure the journey expects (and says why), matched by method, URL path and status. */
export interface ExpectedFailure {
  method: string;
  path: RegExp;
  /** An HTTP status, or 'aborted' for requests the page itself cancelled. */
  status: number | 'aborted';
  why: string;
}

export interface PageWatch {
  /** Everything unexpected so far: console errors, page errors, failed requests. */
  problems(): string[];
  /** Every API request made (method + path), for assertions about what the app called. */
  requests(): string[];
  /** API requests still in flight (live event streams excluded): empty once the page has settled. */
  pending(): string[];
}

/** Records console errors, uncaught page errors, HTTP ≥ 400 and failed requests on a page. */
export function watchPage(page: Page, expected: ExpectedFailure[]): PageWatch {
  const problems: string[] = [];
  const requests: string[] = [];
  const expectedUrls = new Set<string>();
  const isExpected = (method: string, url: string, status: number | 'aborted') => {
    const { pathname } = new URL(url);
    return expected.some((e) => e.method === method && e.status === status && e.path.test(pathname));
  };

  const inFlight = new Map<Request, string>();
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (!u.pathname.startsWith('/api/')) return;
    const line = `${req.method()} ${u.pathname}${u.search}`;
    requests.push(line);
    if (!u.pathname.endsWith('/events')) inFlight.set(req, line);
  });
  page.on('requestfinished', (req) => inFlight.delete(req));
  page.on('response', (res) => {
    if (res.status() < 400) return;
    const method = res.request().method();
    if (isExpected(method, res.url(), res.status())) expectedUrls.add(res.url());
    else problems.push(`HTTP ${res.status()} ${method} ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    inFlight.delete(req);
    const error = req.failure()?.errorText ?? 'failed';
    if (error.includes('ERR_ABORTED') && isExpected(req.method(), req.url(), 'aborted')) return;
    // A job's live event stream never finishes by itself while the job runs: the app closes it
    // (job done, view left), which Chromium reports as an aborted request. Not a failure.
    if (error.includes('ERR_ABORTED') && req.method() === 'GET' && /^\/api\/v1\/jobs\/[^/]+\/events$/.test(new URL(req.url()).pathname)) return;
    problems.push(`request failed (${error}) ${req.method()} ${req.url()}`);
  });
  const networkConsole: Array<{ text: string; url: string }> = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    // Chromium also logs every HTTP error response; those are judged with the responses.
    if (msg.text().startsWith('Failed to load resource')) networkConsole.push({ text: msg.text(), url: where });
    else problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return {
    problems: () => [
      ...problems,
      ...networkConsole
        .filter((m) => !expectedUrls.has(m.url) && !problems.some((p) => p.includes(m.url)))
        .map((m) => `console error: ${m.text} (${m.url})`),
    ],
    requests: () => [...requests],
    pending: () => [...inFlight.values()],
  };
}

export async function newDesktopContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: DESKTOP,
    deviceScaleFactor: 1,
    locale: 'en-US',
    colorScheme: 'dark',
    reducedMotion: 'reduce',
  });
}

/** Saves `<name>-desktop.png` and `<name>-phone.png`, then returns to the desktop size. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(350);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: true, animations: 'disabled' });
  }
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(200);
}

// ---------------------------------------------------------------------------------------------
// Media fixtures

/** Generates a 3-second sine MP3 and a 640×480 test-card JPEG with ffmpeg. */
export async function makeMedia(dir: string): Promise<{ audio: string; photo: string }> {
  const audio = path.join(dir, 'a.mp3');
  const photo = path.join(dir, 'p.jpg');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', audio]);
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=640x480', '-frames:v', '1', photo]);
  return { audio, photo };
}
