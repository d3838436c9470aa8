import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomBase62 } from '../../src/platform/ids.js';
import type { TestApp } from './app.js';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
  cookie: string;
  csrf: string;
  /** inject() with this user's session cookie and CSRF header. */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Signs a new user up through the real HTTP API and returns a logged-in client. */
export async function signUp(t: TestApp, opts: { email?: string; name?: string; password?: string } = {}): Promise<TestUser> {
  const email = opts.email ?? `user-${randomBase62(8).toLowerCase()}@example.com`;
  const password = opts.password ?? 'correct horse battery staple';
  const name = opts.name ?? 'Test User';
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email, name, password },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { user: { id: string }; csrf_token: string };
  const cookie = sessionCookieFrom(res);
  return clientFor(t, { id: body.user.id, email, name, password, cookie, csrf: body.csrf_token });
}

export function clientFor(
  t: TestApp,
  u: { id: string; email: string; name: string; password: string; cookie: string; csrf: string },
): TestUser {
  return {
    ...u,
    request(opts: InjectOptions) {
      const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
      headers.cookie = [headers.cookie, u.cookie].filter(Boolean).join('; ');
      if (!('x-csrf-token' in headers)) headers['x-csrf-token'] = u.csrf;
      return t.http.inject({ ...opts, headers });
    },
  };
}

/** `name=value` pairs of every Set-Cookie on a response, joined for a Cookie header. */
export function sessionCookieFrom(res: LightMyRequestResponse): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

export interface MailboxMessage {
  object: 'mail_message';
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  template: string;
  created_at: string;
}

/** Every dev-mailbox message to `to` (newest first), read through GET /api/v1/dev/mailbox. */
export async function mailTo(t: TestApp, to: string): Promise<MailboxMessage[]> {
  const res = await t.http.inject({ method: 'GET', url: `/api/v1/dev/mailbox?limit=100&to=${encodeURIComponent(to)}` });
  if (res.statusCode !== 200) throw new Error(`dev mailbox: ${res.statusCode} ${res.body}`);
  return (res.json() as { data: MailboxMessage[] }).data;
}

/**
 * Waits for a message to `to` (optionally of one template) to reach the dev mailbox. Some mail
 * (password reset, email change) is queued after the response, so tests poll briefly.
 */
export async function waitForMail(t: TestApp, to: string, template?: string, timeoutMs = 5000): Promise<MailboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailTo(t, to)).find((m) => !template || m.template === template);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${template ?? ''} mail to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The `token` query parameter of the link in a mail's text. */
export function tokenFromMail(mail: { text: string }): string {
  const m = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!m) throw new Error(`no token link in mail: ${mail.text}`);
  return m[1]!;
}
