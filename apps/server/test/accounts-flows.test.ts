import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, ManualClock } from '../src/platform/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { mailTo, sessionCookieFrom, signUp, tokenFromMail, waitForMail } from './helpers/session.js';

const uniqueEmail = (tag: string) => `${tag}-${Math.random().toString(36).slice(2, 10)}@example.com`;
const NEW_PASSWORD = 'a brand new passphrase';

describe.each(DB_KINDS)('accounts: password reset, email change, session lifetime on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestApp({ db, clock, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: unknown) => t.http.inject({ method: 'POST', url: `/api/v1${url}`, payload: payload as object });
  const login = (email: string, password: string) => post('/auth/login', { email, password });

  it('answers password reset requests identically for known and unknown addresses; mails only the known one', async () => {
    const u = await signUp(t);
    const nobody = uniqueEmail('nobody');
    const known = await post('/auth/password_reset', { email: u.email.toUpperCase() });
    const unknown = await post('/auth/password_reset', { email: nobody });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    expect(known.json()).toEqual({ object: 'accepted', message: expect.any(String) });
    const mail = await waitForMail(t, u.email, 'password_reset');
    expect(mail.text).toContain('http://localhost:');
    expect(mail.text).toContain('/reset-password?token=');
    await t.ctx.services.accounts.idle();
    expect(await mailTo(t, nobody)).toEqual([]);
    expect(await t.ctx.db.selectFrom('auth_tokens').select('id').where('new_email', '=', nobody).execute()).toEqual([]);
  });

  it('resets the password: old sessions revoked, other reset links voided, token single-use', async () => {
    const u = await signUp(t);
    const second = sessionCookieFrom(await login(u.email, u.password));
    await post('/auth/password_reset', { email: u.email });
    const first = tokenFromMail(await waitForMail(t, u.email, 'password_reset'));
    await post('/auth/password_reset', { email: u.email });
    await t.ctx.services.accounts.idle();
    const resets = (await mailTo(t, u.email)).filter((m) => m.template === 'password_reset');
    expect(resets).toHaveLength(2);
    const other = tokenFromMail(resets.find((m) => tokenFromMail(m) !== first)!);

    const short = await post('/auth/password_reset/confirm', { token: first, password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().code).toBe('invalid_request');

    const ok = await post('/auth/password_reset/confirm', { token: first, password: NEW_PASSWORD });
    expect(ok.statusCode).toBe(204);
    for (const cookie of [u.cookie, second]) {
      expect((await t.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).statusCode).toBe(401);
    }
    expect(await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).toEqual([]);

    const reused = await post('/auth/password_reset/confirm', { token: first, password: 'yet another passphrase' });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('token_invalid');
    const voided = await post('/auth/password_reset/confirm', { token: other, password: 'yet another passphrase' });
    expect(voided.statusCode).toBe(400);
    expect(voided.json().code).toBe('token_invalid');

    expect((await login(u.email, u.password)).statusCode).toBe(401);
    const fresh = await login(u.email, NEW_PASSWORD);
    expect(fresh.statusCode).toBe(200);
    // Following the emailed link proved the address.
    expect(fresh.json().user.email_verified).toBe(true);
  });

  it('refuses an expired reset token (1 h) with token_invalid', async () => {
    const u = await signUp(t);
    await post('/auth/password_reset', { email: u.email });
    const token = tokenFromMail(await waitForMail(t, u.email, 'password_reset'));
    clock.advance(HOUR_MS + 1000);
    const res = await post('/auth/password_reset/confirm', { token, password: NEW_PASSWORD });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('token_invalid');
    expect((await post('/auth/password_reset/confirm', { token: 'garbage', password: NEW_PASSWORD })).json().code).toBe('token_invalid');
  });

  it('expires verification links after 24 h', async () => {
    const u = await signUp(t);
    const token = tokenFromMail((await mailTo(t, u.email))[0]!);
    clock.advance(24 * HOUR_MS + 1000);
    const res = await post('/auth/verify_email', { token });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('token_invalid');
  });

  it('changes the email: link to the new address, notice to the old, confirm sets and verifies it', async () => {
    const u = await signUp(t);
    const newEmail = uniqueEmail('moved');
    const wrongPassword = await u.request({ method: 'POST', url: '/api/v1/account/email_change', payload: { new_email: newEmail, password: 'nope nope nope' } });
    expect(wrongPassword.statusCode).toBe(400);
    expect(wrongPassword.json().code).toBe('invalid_password');
    const same = await u.request({ method: 'POST', url: '/api/v1/account/email_change', payload: { new_email: u.email, password: u.password } });
    expect(same.json().code).toBe('email_unchanged');
    const noCsrf = await u.request({
      method: 'POST',
      url: '/api/v1/account/email_change',
      payload: { new_email: newEmail, password: u.password },
      headers: { 'x-csrf-token': '' },
    });
    expect(noCsrf.statusCode).toBe(403);

    const res = await u.request({ method: 'POST', url: '/api/v1/account/email_change', payload: { new_email: newEmail.toUpperCase(), password: u.password } });
    expect(res.statusCode).toBe(202);
    const confirm = await waitForMail(t, newEmail, 'email_change_confirm');
    expect(confirm.text).toContain('/confirm-email-change?token=');
    const notice = await waitForMail(t, u.email, 'email_change_notice');
    expect(notice.text).toContain(newEmail);
    expect(notice.text).not.toContain('token=');

    // Still the old address until confirmed.
    expect((await u.request({ method: 'GET', url: '/api/v1/account' })).json().email).toBe(u.email);
    const done = await post('/auth/email_change/confirm', { token: tokenFromMail(confirm) });
    expect(done.statusCode).toBe(200);
    expect(done.json().user).toMatchObject({ id: u.id, email: newEmail, email_verified: true });
    expect((await post('/auth/email_change/confirm', { token: tokenFromMail(confirm) })).json().code).toBe('token_invalid');
    expect((await login(newEmail, u.password)).statusCode).toBe(200);
    expect((await login(u.email, u.password)).statusCode).toBe(401);
    // The session survives an email change.
    expect((await u.request({ method: 'GET', url: '/api/v1/account' })).json().email).toBe(newEmail);
  });

  it('answers the same 202 when the new email is taken, and tells that address instead', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const free = uniqueEmail('free');
    const taken = await a.request({ method: 'POST', url: '/api/v1/account/email_change', payload: { new_email: b.email, password: a.password } });
    const ok = await a.request({ method: 'POST', url: '/api/v1/account/email_change', payload: { new_email: free, password: a.password } });
    expect(taken.statusCode).toBe(202);
    expect(taken.body).toBe(ok.body);
    const tried = await waitForMail(t, b.email, 'email_change_taken');
    expect(tried.text).not.toContain('token=');
    expect(tried.text).not.toContain(a.email);
    await t.ctx.services.accounts.idle();
    const tokens = await t.ctx.db.selectFrom('auth_tokens').selectAll().where('user_id', '=', a.id).where('kind', '=', 'change_email').execute();
    expect(tokens.map((r) => r.new_email)).toEqual([free]);
    expect((await b.request({ method: 'GET', url: '/api/v1/account' })).json().email).toBe(b.email);
  });

  it('refuses to confirm an email change when the address was taken meanwhile', async () => {
    const a = await signUp(t);
    const target = uniqueEmail('race');
    await a.request({ method: 'POST', url: '/api/v1/account/email_change', payload: { new_email: target, password: a.password } });
    const token = tokenFromMail(await waitForMail(t, target, 'email_change_confirm'));
    await signUp(t, { email: target });
    const res = await post('/auth/email_change/confirm', { token });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('email_taken');
  });

  it('slides the 30-day session expiry, writing last_seen_at at most hourly, and expires idle sessions', async () => {
    const u = await signUp(t);
    const row = () => t.ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', u.id).executeTakeFirstOrThrow();
    const start = await row();
    clock.advance(10 * 60_000);
    const early = await u.request({ method: 'GET', url: '/api/v1/account' });
    expect(early.statusCode).toBe(200);
    expect(early.cookies).toEqual([]);
    expect((await row()).last_seen_at).toBe(start.last_seen_at);

    clock.advance(HOUR_MS);
    const later = await u.request({ method: 'GET', url: '/api/v1/account' });
    expect(later.statusCode).toBe(200);
    const touched = await row();
    expect(touched.last_seen_at > start.last_seen_at).toBe(true);
    expect(touched.expires_at > start.expires_at).toBe(true);
    const renewed = later.cookies.find((c) => c.name === 'clipmix_session');
    expect(renewed?.value).toBeTruthy();

    const cookie = `clipmix_session=${renewed!.value}`;
    expect((await t.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).statusCode).toBe(200);
    clock.advance(31 * DAY_MS);
    const expired = await t.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(expired.statusCode).toBe(401);

    // The row is the authority: an expired row refuses a cookie whose JWT is still valid.
    const v = await signUp(t);
    await t.ctx.db.updateTable('sessions').set({ expires_at: new Date(clock.now().getTime() - 1000).toISOString() }).where('user_id', '=', v.id).execute();
    expect((await v.request({ method: 'GET', url: '/api/v1/account' })).statusCode).toBe(401);
    expect(await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', v.id).execute()).toEqual([]);
  });
});
