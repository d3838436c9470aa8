import bcrypt from 'bcrypt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BCRYPT_COST, DUMMY_PASSWORD_HASH } from '../src/platform/crypto/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { clientFor, mailTo, sessionCookieFrom, signUp, tokenFromMail } from './helpers/session.js';

const PASSWORD = 'correct horse battery staple';
const uniqueEmail = (tag: string) => `${tag}-${Math.random().toString(36).slice(2, 10)}@example.com`;

describe.each(DB_KINDS)('accounts: sign-up, login, sessions on %s', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.http.inject({ method: 'POST', url: `/api/v1${url}`, payload: payload as object, headers });

  it('signs up: 201 {user, csrf_token}, a session cookie, starter credits, a verification mail', async () => {
    const email = uniqueEmail('Signup').toUpperCase();
    const res = await post('/auth/signup', { email: `  ${email} `, name: '  Ada Lovelace ', password: PASSWORD });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toEqual({
      object: 'user',
      id: expect.stringMatching(/^usr_[0-9A-Za-z]{22}$/),
      email: email.toLowerCase(),
      name: 'Ada Lovelace',
      email_verified: false,
      locale: 'en',
      credits_balance: t.config.starterCredits,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(body.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.cookies.find((c) => c.name === 'clipmix_session');
    expect(cookie).toBeTruthy();
    expect(cookie!.value.split('.')).toHaveLength(3); // a JWT
    const ledger = await t.ctx.db.selectFrom('credit_ledger').selectAll().where('user_id', '=', body.user.id).execute();
    expect(ledger.map((r) => [r.reason, r.delta, r.balance_after])).toEqual([['starter', t.config.starterCredits, t.config.starterCredits]]);
    const mails = await mailTo(t, email.toLowerCase());
    expect(mails.map((m) => m.template)).toEqual(['verify_email']);
    expect(mails[0]!.text).toContain('/verify-email?token=');
  });

  it('sets HttpOnly, SameSite=Lax, Path=/ on the session cookie (not Secure over http)', async () => {
    const res = await post('/auth/signup', { email: uniqueEmail('cookie'), name: 'C', password: PASSWORD });
    const raw = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]);
    const line = raw.find((l) => l.startsWith('clipmix_session='))!;
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).toMatch(/; Path=\//i);
    expect(Number(/; Max-Age=(\d+)/i.exec(line)?.[1])).toBeGreaterThan(2592000 - 5); // 30 days
    expect(line).not.toMatch(/; Secure/i);
    expect(line).not.toMatch(/Domain=/i);
  });

  it('stores only a bcrypt hash (cost ≥ 10), never the password', async () => {
    const u = await signUp(t, { password: PASSWORD });
    const row = await t.ctx.db.selectFrom('users').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$2[aby]\$\d\d\$/);
    expect(row.password_hash).not.toBe(PASSWORD);
    expect(row.password_hash).not.toContain(PASSWORD);
    expect(bcrypt.getRounds(row.password_hash)).toBeGreaterThanOrEqual(10);
    expect(await bcrypt.compare(PASSWORD, row.password_hash)).toBe(true);
    expect(bcrypt.getRounds(DUMMY_PASSWORD_HASH)).toBe(BCRYPT_COST);
  });

  it('logs in with any email casing, GET /auth/session answers {user, csrf_token}', async () => {
    const u = await signUp(t);
    const res = await post('/auth/login', { email: u.email.toUpperCase(), password: u.password });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.id).toBe(u.id);
    const cookie = sessionCookieFrom(res);
    expect(cookie).not.toBe(u.cookie);
    const session = await t.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ user: body.user, csrf_token: body.csrf_token });
    // Each session has its own CSRF token.
    expect(body.csrf_token).not.toBe(u.csrf);
  });

  it('answers 401 problem on GET /auth/session without or with a forged cookie', async () => {
    const none = await t.http.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    const forged = await t.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: 'clipmix_session=eyJhbGciOiJIUzI1NiJ9.eyJzaWQiOiJ4In0.abc' } });
    expect(forged.statusCode).toBe(401);
  });

  it('gives byte-identical problems (but the request id) for unknown email and wrong password', async () => {
    const u = await signUp(t);
    const wrong = await post('/auth/login', { email: u.email, password: 'not the password' });
    const unknown = await post('/auth/login', { email: uniqueEmail('nobody'), password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toBe(unknown.headers['content-type']);
    const a = wrong.json();
    const b = unknown.json();
    expect(a.code).toBe('invalid_credentials');
    expect(a.request_id).not.toBe(b.request_id);
    const strip = (s: string, id: string) => s.replace(id, 'REQ');
    expect(strip(wrong.body, a.request_id)).toBe(strip(unknown.body, b.request_id));
    expect(wrong.cookies).toEqual([]);
  });

  it('logout deletes the session row and clears the cookie; the old cookie is then refused', async () => {
    const u = await signUp(t);
    const before = await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute();
    expect(before).toHaveLength(1);
    const out = await u.request({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    const cleared = out.cookies.find((c) => c.name === 'clipmix_session');
    expect(cleared?.value).toBe('');
    expect(await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).toHaveLength(0);
    const again = await u.request({ method: 'GET', url: '/api/v1/auth/session' });
    expect(again.statusCode).toBe(401);
    const account = await u.request({ method: 'GET', url: '/api/v1/account' });
    expect(account.statusCode).toBe(401);
  });

  it('requires X-CSRF-Token on unsafe methods with a session: missing/wrong → 403, right → 2xx', async () => {
    const u = await signUp(t);
    const missing = await u.request({ method: 'PATCH', url: '/api/v1/account', payload: { name: 'New' }, headers: { 'x-csrf-token': '' } });
    expect(missing.statusCode).toBe(403);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ status: 403, code: 'csrf_invalid' });
    const wrong = await u.request({ method: 'PATCH', url: '/api/v1/account', payload: { name: 'New' }, headers: { 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('csrf_invalid');
    // Another session's token does not work either.
    const other = await signUp(t);
    const foreign = await u.request({ method: 'PATCH', url: '/api/v1/account', payload: { name: 'New' }, headers: { 'x-csrf-token': other.csrf } });
    expect(foreign.statusCode).toBe(403);
    const logoutNoToken = await u.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { 'x-csrf-token': '' } });
    expect(logoutNoToken.statusCode).toBe(403);
    const right = await u.request({ method: 'PATCH', url: '/api/v1/account', payload: { name: 'New' } });
    expect(right.statusCode).toBe(200);
    expect(right.json().name).toBe('New');
    // Safe methods need no token.
    const get = await u.request({ method: 'GET', url: '/api/v1/account', headers: { 'x-csrf-token': '' } });
    expect(get.statusCode).toBe(200);
  });

  it('ignores the cookie when the request carries Authorization (bearer requests are not CSRF-checked)', async () => {
    const u = await signUp(t);
    const res = await t.http.inject({
      method: 'PATCH',
      url: '/api/v1/account',
      payload: { name: 'X' },
      headers: { cookie: u.cookie, authorization: 'Bearer sk_live_unknown' },
    });
    // Not a session request: no CSRF failure; without an API-key authenticator it is unauthenticated.
    expect(res.statusCode).not.toBe(403);
    expect(res.statusCode).toBe(401);
  });

  it('GET /account and PATCH /account {name, locale}; a second user sees only their own account', async () => {
    const a = await signUp(t, { name: 'Alice' });
    const b = await signUp(t, { name: 'Bob' });
    expect((await a.request({ method: 'GET', url: '/api/v1/account' })).json()).toMatchObject({ id: a.id, name: 'Alice' });
    expect((await b.request({ method: 'GET', url: '/api/v1/account' })).json()).toMatchObject({ id: b.id, name: 'Bob' });
    const patched = await a.request({ method: 'PATCH', url: '/api/v1/account', payload: { locale: 'es' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ object: 'user', id: a.id, locale: 'es', name: 'Alice' });
    expect(patched.cookies.find((c) => c.name === 'clipmix_lang')?.value).toBe('es');
    expect((await b.request({ method: 'GET', url: '/api/v1/account' })).json().locale).toBe('en');
    // b's CSRF token with a's cookie is refused, and a's session answers a.
    const mixed = await t.http.inject({ method: 'PATCH', url: '/api/v1/account', payload: { name: 'Hacked' }, headers: { cookie: a.cookie, 'x-csrf-token': b.csrf } });
    expect(mixed.statusCode).toBe(403);
    const session = await t.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: b.cookie } });
    expect(session.json().user.id).toBe(b.id);
    const bad = await a.request({ method: 'PATCH', url: '/api/v1/account', payload: { locale: 'fr' } });
    expect(bad.statusCode).toBe(400);
    const empty = await a.request({ method: 'PATCH', url: '/api/v1/account', payload: { name: '   ' } });
    expect(empty.statusCode).toBe(400);
  });

  it('takes the initial locale from the clipmix_lang cookie at sign-up', async () => {
    const email = uniqueEmail('es');
    const res = await post('/auth/signup', { email, name: 'Eva', password: PASSWORD }, { cookie: 'clipmix_lang=es' });
    expect(res.statusCode).toBe(201);
    expect(res.json().user.locale).toBe('es');
    const [mail] = await mailTo(t, email);
    expect(mail!.subject).toBe('Confirma tu dirección de correo');
    expect(mail!.text).toContain('Hola, Eva');
  });

  it('does not reveal an existing account at sign-up: 400 signup_failed, and the owner is told by email', async () => {
    const u = await signUp(t);
    const res = await post('/auth/signup', { email: u.email.toUpperCase(), name: 'Mallory', password: 'another password 123' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'signup_failed',
      detail: "We couldn't create an account with these details. If you already have an account, log in or reset your password.",
    });
    expect(res.cookies).toEqual([]);
    const mails = await mailTo(t, u.email);
    expect(mails[0]!.template).toBe('signup_existing_account');
    expect(mails[0]!.text).toContain('/forgot-password');
    expect(mails[0]!.text).not.toContain('Mallory');
    // The original password still works.
    expect((await post('/auth/login', { email: u.email, password: u.password })).statusCode).toBe(200);
  });

  it('validates input: 400 invalid_request with field errors, unknown fields, malformed JSON', async () => {
    const cases: Array<[unknown, string]> = [
      [{ email: 'not-an-email', name: 'A', password: PASSWORD }, 'email'],
      [{ email: uniqueEmail('v'), name: '', password: PASSWORD }, 'name'],
      [{ email: uniqueEmail('v'), name: 'A', password: 'short' }, 'password'],
      [{ email: uniqueEmail('v'), name: 'A', password: 'x'.repeat(201) }, 'password'],
      [{ email: `${'a'.repeat(250)}@example.com`, name: 'A', password: PASSWORD }, 'email'],
      [{ email: uniqueEmail('v'), name: 'x'.repeat(101), password: PASSWORD }, 'name'],
    ];
    for (const [payload, param] of cases) {
      const res = await post('/auth/signup', payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      const p = res.json();
      expect(p.code).toBe('invalid_request');
      expect(p.errors.map((e: { param: string }) => e.param)).toContain(param);
    }
    const unknown = await post('/auth/signup', { email: uniqueEmail('v'), name: 'A', password: PASSWORD, admin: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('invalid_request');
    expect(unknown.body).toContain('admin');
    const unknownLogin = await post('/auth/login', { email: 'a@example.com', password: 'x', remember: true });
    expect(unknownLogin.json().code).toBe('invalid_request');
    const malformed = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: '{"email": "a@example.com",',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    expect(malformed.json().code).toBe('invalid_json');
  });

  it('accepts passwords longer than 72 bytes and distinguishes them past byte 72', async () => {
    const long = 'p'.repeat(80) + 'A';
    const u = await signUp(t, { password: long });
    expect((await post('/auth/login', { email: u.email, password: long })).statusCode).toBe(200);
    expect((await post('/auth/login', { email: u.email, password: 'p'.repeat(80) + 'B' })).statusCode).toBe(401);
  });

  it('creates verified users for the CLI and refuses a taken email with email_taken', async () => {
    const email = uniqueEmail('cli');
    const user = await t.ctx.services.accounts.createUserVerified({ email, name: 'Op', password: PASSWORD });
    expect(user.id).toMatch(/^usr_/);
    expect(user.email_verified_at).not.toBeNull();
    expect(user.credits_balance).toBe(t.config.starterCredits);
    await expect(t.ctx.services.accounts.createUserVerified({ email: email.toUpperCase(), name: 'Op', password: PASSWORD })).rejects.toMatchObject({
      status: 400,
      code: 'email_taken',
    });
    const login = await post('/auth/login', { email, password: PASSWORD });
    expect(login.json().user.email_verified).toBe(true);
  });

  it('describes the auth routes in the OpenAPI document', async () => {
    const spec = (await t.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const p of ['/api/v1/auth/signup', '/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/auth/session', '/api/v1/account', '/api/v1/auth/password_reset']) {
      expect(spec.paths[p], p).toBeTruthy();
    }
    expect(spec.paths['/api/v1/auth/signup'].post.responses['201']).toBeTruthy();
    expect(JSON.stringify(spec.paths['/api/v1/auth/signup'].post.requestBody)).toContain('additionalProperties');
  });

  it('verify_email through the dev mailbox marks the address verified, once', async () => {
    const u = await signUp(t);
    const [mail] = await mailTo(t, u.email);
    const token = tokenFromMail(mail!);
    const res = await post('/auth/verify_email', { token });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: u.id, email_verified: true });
    const again = await post('/auth/verify_email', { token });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('token_invalid');
    const stored = await t.ctx.db.selectFrom('auth_tokens').selectAll().where('user_id', '=', u.id).execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const resend = await u.request({ method: 'POST', url: '/api/v1/auth/verify_email/resend' });
    expect(resend.statusCode).toBe(409);
    expect(resend.json().code).toBe('email_already_verified');
  });

  it('resends a verification link (session + CSRF) and only the newest works', async () => {
    const u = await signUp(t);
    const first = tokenFromMail((await mailTo(t, u.email))[0]!);
    const res = await u.request({ method: 'POST', url: '/api/v1/auth/verify_email/resend' });
    expect(res.statusCode).toBe(202);
    const mails = await mailTo(t, u.email);
    expect(mails).toHaveLength(2);
    const second = tokenFromMail(mails[0]!);
    expect(second).not.toBe(first);
    expect((await post('/auth/verify_email', { token: first })).statusCode).toBe(400);
    expect((await post('/auth/verify_email', { token: second })).statusCode).toBe(200);
    const anon = await post('/auth/verify_email/resend', undefined);
    expect(anon.statusCode).toBe(401);
  });

  it('keeps helpers usable: clientFor() reuses a cookie and CSRF token', async () => {
    const u = await signUp(t);
    const c = clientFor(t, u);
    expect((await c.request({ method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
  });
});

describe.each(DB_KINDS)('accounts: https deployment on %s', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ db, env: { PUBLIC_URL: 'https://clipmix.example.com' } });
  });
  afterAll(async () => t?.close());

  it('uses a Secure __Host- cookie and links on PUBLIC_URL', async () => {
    const email = uniqueEmail('https');
    const res = await t.http.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email, name: 'S', password: PASSWORD } });
    expect(res.statusCode).toBe(201);
    const raw = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]);
    const line = raw.find((l) => l.startsWith('__Host-clipmix_session='));
    expect(line, raw.join('\n')).toBeTruthy();
    expect(line).toMatch(/; Secure/i);
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).toMatch(/; Path=\//i);
    expect(line).not.toMatch(/Domain=/i);
    const cookie = sessionCookieFrom(res);
    const session = await t.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(session.statusCode).toBe(200);
    // The plain name is not accepted on an https deployment.
    const plain = await t.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: cookie.replace('__Host-', '') } });
    expect(plain.statusCode).toBe(401);
    const [mail] = await mailTo(t, email);
    expect(mail!.text).toContain('https://clipmix.example.com/verify-email?token=');
  });
});
