/**
 * The set-up every browser journey shares, so that a test file states only what is particular to
 * it: a fresh server (own data dir), headless Chromium with a desktop context, a watched page (the
 * failures the journey accepts, each with its reason), a temp dir for its media, and sign-up.
 *
 *   const s = useSession({ expected: [JOB_STREAM_CLOSED], media: (dir) => makeMedia(dir) });
 *   it('…', async () => { await signUp(s.page, USER); … });
 *
 * Waiting: the page's default timeout applies to every locator action and wait, and `expect.poll`
 * gets the same budget (vitest's own default is 1 s, far too short on a loaded CI machine). Both
 * are waits, not delays: they return as soon as the condition holds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import {
  ensureWebBuild,
  launchBrowser,
  newDesktopContext,
  startServer,
  watchPage,
  type ExpectedFailure,
  type PageWatch,
  type RunningServer,
} from './harness';

// ---------------------------------------------------------------------------------------------
// Failures more than one journey accepts

/** Every journey starts signed out. */
export const SIGNED_OUT: ExpectedFailure = {
  method: 'GET',
  path: /^\/api\/v1\/auth\/session$/,
  status: 401,
  why: 'the app asks who is signed in before sign-up',
};

export const JOB_STREAM_CLOSED: ExpectedFailure = {
  method: 'GET',
  path: /^\/api\/v1\/jobs\/[^/]+\/events$/,
  status: 'aborted',
  why: 'the app closes live job streams when a view unmounts',
};

export const MEDIA_RANGE_CANCELLED: ExpectedFailure = {
  method: 'GET',
  path: /^\/api\/v1\/files\/[^/]+\/content$/,
  status: 'aborted',
  why: 'media elements cancel range requests they no longer need',
};

// ---------------------------------------------------------------------------------------------
// Session

/** How long page actions, waits and `expect.poll` wait by default (ms). */
export const DEFAULT_WAIT_MS = 20_000;

export interface SessionOptions<M> {
  /** Failures this journey accepts besides SIGNED_OUT, each with its reason. */
  expected?: ExpectedFailure[];
  /** Makes the journey's media in the session's temp dir (runs while the server starts). */
  media?: (dir: string) => Promise<M>;
  /** Extra environment for the server process. */
  serverEnv?: Record<string, string>;
  /** Browser permissions granted to the server's origin (e.g. clipboard-read). */
  permissions?: string[];
  /** Default wait for page actions and `expect.poll` (ms). */
  timeout?: number;
}

export interface Session<M> {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
  /** What `media` made (an empty object without it). */
  media: M;
  /** A temp dir of this file, removed afterwards. */
  dir: string;
}

/**
 * Registers beforeAll/afterAll for one test file and returns the session they fill in. Call it at
 * the top level of the file; its fields are set once the file's first test runs.
 */
export function useSession<M = Record<string, never>>(opts: SessionOptions<M> = {}): Session<M> {
  const s = {} as Session<M>;
  const timeout = opts.timeout ?? DEFAULT_WAIT_MS;

  beforeAll(async () => {
    vi.setConfig({ expect: { poll: { timeout } } });
    s.dir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-e2e-'));
    // Media, web build + server, and the browser come up side by side; whatever started is
    // kept on `s` so that afterAll stops it even when another part failed.
    const [media, server, browser] = await Promise.allSettled([
      opts.media ? opts.media(s.dir) : Promise.resolve({} as M),
      ensureWebBuild().then(() => startServer({ env: opts.serverEnv })),
      launchBrowser(),
    ]);
    if (server.status === 'fulfilled') s.server = server.value;
    if (browser.status === 'fulfilled') s.browser = browser.value;
    for (const r of [media, server, browser]) if (r.status === 'rejected') throw r.reason;
    s.media = (media as PromiseFulfilledResult<M>).value;

    s.context = await newDesktopContext(s.browser, s.server.url);
    if (opts.permissions?.length) await s.context.grantPermissions(opts.permissions, { origin: s.server.url });
    s.page = await s.context.newPage();
    s.page.setDefaultTimeout(timeout);
    s.watch = watchPage(s.page, [SIGNED_OUT, ...(opts.expected ?? [])]);
  });

  afterAll(async () => {
    await s.context?.close().catch(() => undefined);
    await s.browser?.close().catch(() => undefined);
    await s.server?.stop().catch(() => undefined);
    if (s.dir) await rm(s.dir, { recursive: true, force: true });
    vi.resetConfig();
  });

  return s;
}

// ---------------------------------------------------------------------------------------------
// People and navigation

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

/** A user with an address no other run (or file) uses. */
export function newUser(name: string, password: string): TestUser {
  const local = name.split(' ')[0]!.toLowerCase();
  return { name, email: `${local}+${Date.now()}${Math.floor(Math.random() * 1e6)}@example.com`, password };
}

/** Fills the sign-up form the page shows. */
export async function fillSignUp(page: Page, user: TestUser): Promise<void> {
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(user.name);
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(user.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(user.password);
}

/** Opens /signup, creates the account and waits for the home page. */
export async function signUp(page: Page, user: TestUser): Promise<void> {
  await page.goto('/signup');
  await fillSignUp(page, user);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** A link of the left rail (English or Spanish interface). */
export async function clickNav(page: Page, name: string | RegExp): Promise<void> {
  await page
    .getByRole('navigation', { name: /^(main navigation|navegación principal)$/i })
    .getByRole('link', typeof name === 'string' ? { name, exact: true } : { name })
    .click();
}

/**
 * Waits until the page has no API call in flight, e.g. before `page.goto` leaves it (leaving
 * earlier cancels them, which the watch reports as failed requests). Not for pages that stream
 * media: a playing element keeps range requests open.
 */
export async function settled(watch: PageWatch): Promise<void> {
  await expect.poll(() => watch.pending()).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Jobs

const FINISHED = ['succeeded', 'failed', 'canceled'];

/**
 * On a job page (/jobs/job_…): waits until the job has finished and returns its id. A failed or
 * canceled job fails the test at once, with the job's error, instead of waiting out the timeout.
 */
export async function waitForJobSuccess(page: Page, timeout: number): Promise<string> {
  await page.waitForURL(/\/jobs\/job_[^/?#]+/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const detail = page.getByTestId('job-detail');
  await detail.waitFor();
  await expect.poll(async () => FINISHED.includes((await detail.getAttribute('data-status')) ?? ''), { timeout }).toBe(true);
  const status = await detail.getAttribute('data-status');
  if (status !== 'succeeded') {
    const job = (await (await page.request.get(`/api/v1/jobs/${id}`)).json()) as { error?: unknown };
    throw new Error(`job ${id} ${status}: ${JSON.stringify(job.error ?? null)}`);
  }
  return id;
}
