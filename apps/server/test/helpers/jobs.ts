import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../../src/app.js';
import type { Scope } from '../../src/http/auth-context.js';
import { JOB_TYPES } from '../../src/modules/jobs/types.js';
import type { JobsTuning } from '../../src/modules/jobs/service.js';
import { randomBase62 } from '../../src/platform/ids.js';
import { installTestJobs } from '../fixtures/test-jobs.js';
import { createTestApp, type TestApp, type TestAppOptions } from './app.js';

/** Short timings so tests never wait for production intervals. */
export const FAST_TUNING: Partial<JobsTuning> = {
  pollMs: 50,
  cancelPollMs: 100,
  progressWriteMs: 50,
};

const TEST_AUTH_HEADER = 'x-test-user';

/**
 * Lets tests call the API as a user without going through sign-up: a request with
 * `x-test-user: <user id>` (and optionally `x-test-scopes: a,b`, `x-test-livemode: 0`) is
 * authenticated like an API key with those scopes. Test-only; never in product code.
 */
export function installTestAuth(ctx: AppContext): void {
  ctx.authenticators.push(async (req) => {
    const userId = req.headers[TEST_AUTH_HEADER];
    if (typeof userId !== 'string' || !userId) return null;
    const scopes = req.headers['x-test-scopes'];
    return {
      userId,
      via: 'api_key',
      apiKeyId: `key_test_${userId}`,
      scopes: typeof scopes === 'string' ? scopes.split(',').filter(Boolean) : 'all',
      livemode: req.headers['x-test-livemode'] !== '0',
    };
  });
}

/** createTestApp + test job types + test auth + fast timings. Workers are not started. */
export async function createJobsTestApp(
  opts: TestAppOptions & { tuning?: Partial<JobsTuning> } = {},
): Promise<TestApp> {
  const t = await createTestApp({ ...opts, workers: 0 });
  prepareJobsContext(t.ctx, opts.tuning);
  return t;
}

export function prepareJobsContext(ctx: AppContext, tuning: Partial<JobsTuning> = {}): void {
  installTestJobs(ctx, { stubDeclared: JOB_TYPES });
  installTestAuth(ctx);
  ctx.services.jobs.configure({ ...FAST_TUNING, ...tuning });
}

export interface JobsTestUser {
  id: string;
  request(opts: InjectOptions & { scopes?: Scope[]; livemode?: boolean }): Promise<LightMyRequestResponse>;
}

/** A user row created directly (no sign-up), optionally with credits. */
export async function makeUser(t: TestApp, opts: { credits?: number } = {}): Promise<JobsTestUser> {
  const id = `usr_${randomBase62(22)}`;
  const now = new Date().toISOString();
  await t.ctx.db
    .insertInto('users')
    .values({
      id,
      email: `jobs-${randomBase62(10).toLowerCase()}@example.com`,
      name: 'Jobs Tester',
      password_hash: 'x',
      email_verified_at: now,
      locale: 'en',
      credits_balance: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (opts.credits) await t.ctx.services.credits.grant(id, opts.credits, 'test_grant');
  return {
    id,
    request({ scopes, livemode, ...o }) {
      const headers = { ...(o.headers as Record<string, string> | undefined), [TEST_AUTH_HEADER]: id } as Record<string, string>;
      if (scopes) headers['x-test-scopes'] = scopes.join(',');
      if (livemode === false) headers['x-test-livemode'] = '0';
      return t.http.inject({ ...o, headers });
    },
  };
}

/** Polls until `check` returns a truthy value (real time). */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
