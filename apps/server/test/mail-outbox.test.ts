import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModules } from '../src/modules/index.js';
import { MailOutbox } from '../src/modules/notify/outbox.js';
import { ResendTransport } from '../src/modules/notify/resend.js';
import { SmtpTransport } from '../src/modules/notify/smtp.js';
import { LOCALES, localeFromAcceptLanguage, renderMail, type MailTemplate } from '../src/modules/notify/templates.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { signUp } from './helpers/session.js';

describe.each(DB_KINDS)('mail: dev mailbox on %s', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
  });
  afterAll(async () => t?.close());

  it('stores mail as sent in the outbox and lists it newest first with Stripe pagination', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await t.ctx.services.mail.send({ to: 'box@example.com', template: 'test', subject: `Message ${i}`, text: `Body ${i}`, html: `<p>${i}</p>` }));
      await new Promise((r) => setTimeout(r, 3)); // distinct created_at
    }
    const row = await t.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', to_address: 'box@example.com', attempts: 1 });
    expect(row.sent_at).not.toBeNull();

    const first = await t.http.inject({ method: 'GET', url: '/api/v1/dev/mailbox?limit=2&to=box@example.com' });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1).toMatchObject({ object: 'list', has_more: true });
    expect(page1.data.map((m: { id: string }) => m.id)).toEqual([ids[4], ids[3]]);
    expect(page1.data[0]).toEqual({
      object: 'mail_message',
      id: ids[4],
      to: 'box@example.com',
      subject: 'Message 4',
      text: 'Body 4',
      html: '<p>4</p>',
      template: 'test',
      created_at: expect.any(String),
    });
    const page2 = (await t.http.inject({ method: 'GET', url: `/api/v1/dev/mailbox?limit=2&to=box@example.com&starting_after=${ids[3]}` })).json();
    expect(page2.data.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    expect(page2.has_more).toBe(true);
    const last = (await t.http.inject({ method: 'GET', url: `/api/v1/dev/mailbox?limit=2&to=box@example.com&starting_after=${ids[1]}` })).json();
    expect(last).toMatchObject({ data: [{ id: ids[0] }], has_more: false });
    const back = (await t.http.inject({ method: 'GET', url: `/api/v1/dev/mailbox?limit=2&to=box@example.com&ending_before=${ids[0]}` })).json();
    expect(back.data.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    const bad = await t.http.inject({ method: 'GET', url: '/api/v1/dev/mailbox?limit=500' });
    expect(bad.statusCode).toBe(400);
  });

  it('answers only loopback clients (it holds every reset link)', async () => {
    const remote = await t.http.inject({ method: 'GET', url: '/api/v1/dev/mailbox', remoteAddress: '203.0.113.5' });
    expect(remote.statusCode).toBe(404);
    expect(remote.headers['content-type']).toContain('application/problem+json');
    expect((await t.http.inject({ method: 'GET', url: '/api/v1/dev/mailbox', remoteAddress: '::1' })).statusCode).toBe(200);
  });

  it('links mail to its user, and the mail row goes with the account', async () => {
    const u = await signUp(t);
    const rows = await t.ctx.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', u.email).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.user_id).toBe(u.id);
    await t.ctx.db.deleteFrom('users').where('id', '=', u.id).execute();
    expect(await t.ctx.db.selectFrom('mail_outbox').select('id').where('to_address', '=', u.email).execute()).toEqual([]);
  });
});

describe.each(DB_KINDS)('mail: real transports on %s', (db) => {
  let t: TestApp;
  let fake: http.Server;
  let fakeUrl: string;
  const received: Array<{ headers: http.IncomingHttpHeaders; body: any; url?: string }> = [];
  let nextStatus = 200;

  beforeAll(async () => {
    // A real transport configured: no dev mailbox.
    t = await createTestApp({ db, env: { RESEND_API_KEY: 're_test_123', CLIPMIX_MAIL_FROM: 'ClipMix <no-reply@mail.example.com>' } });
    // A stand-in for https://api.resend.com following its documented contract.
    fake = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(data || '{}'), url: req.url });
        res.statusCode = nextStatus;
        res.setHeader('content-type', 'application/json');
        if (nextStatus === 200) res.end(JSON.stringify({ id: '49a3999c-0ce1-4ea6-ab68-afcd6dc2e794' }));
        else res.end(JSON.stringify({ statusCode: nextStatus, name: 'validation_error', message: 'Invalid `to` field.' }));
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => fake?.close(r));
  });

  it('hides the dev mailbox when a real transport is configured', async () => {
    expect(t.ctx.services.mail.transport.kind).toBe('resend');
    const res = await t.http.inject({ method: 'GET', url: '/api/v1/dev/mailbox' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('route_not_found');
  });

  it('delivers through Resend: POST /emails with the key, JSON body and the row id as Idempotency-Key', async () => {
    const outbox = new MailOutbox(t.ctx, { transport: new ResendTransport({ apiKey: 're_test_123', baseUrl: fakeUrl }) });
    nextStatus = 200;
    const id = await outbox.send({ to: 'dest@example.com', template: 'test', subject: 'Héllo', text: 'Plain', html: '<b>Rich</b>' });
    await outbox.idle();
    const req = received.at(-1)!;
    expect(req.url).toBe('/emails');
    expect(req.headers.authorization).toBe('Bearer re_test_123');
    expect(req.headers['idempotency-key']).toBe(id);
    expect(req.headers['content-type']).toContain('application/json');
    expect(req.body).toEqual({ from: 'ClipMix <no-reply@mail.example.com>', to: ['dest@example.com'], subject: 'Héllo', text: 'Plain', html: '<b>Rich</b>' });
    const row = await t.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, error: null });

    // 4xx (other than 429) is permanent: failed, not retried.
    nextStatus = 422;
    const bad = await outbox.send({ to: 'bad@example.com', template: 'test', subject: 's', text: 't' });
    await outbox.idle();
    expect(await t.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', bad).executeTakeFirstOrThrow()).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringContaining('422'),
    });

    // 5xx is retried later: still pending, drain() delivers it.
    nextStatus = 503;
    const later = await outbox.send({ to: 'later@example.com', template: 'test', subject: 's', text: 't' });
    await outbox.idle();
    expect(await t.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', later).executeTakeFirstOrThrow()).toMatchObject({
      status: 'pending',
      attempts: 1,
    });
    nextStatus = 200;
    await outbox.drain();
    expect(await t.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', later).executeTakeFirstOrThrow()).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
    expect(received.at(-1)!.headers['idempotency-key']).toBe(later);
    await outbox.stop();
  });

  it('delivers through a minimal SMTP client (AUTH PLAIN, MAIL FROM, RCPT TO, DATA)', async () => {
    const transcript: string[] = [];
    let data = '';
    const server = net.createServer((socket) => {
      let inData = false;
      let buf = '';
      socket.write('220 fake.smtp ESMTP\r\n');
      socket.on('data', (chunk) => {
        buf += chunk.toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (inData) {
            if (line === '.') {
              inData = false;
              socket.write('250 2.0.0 queued\r\n');
            } else data += line + '\r\n';
            continue;
          }
          transcript.push(line);
          if (/^EHLO /.test(line)) socket.write('250-fake.smtp\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
          else if (/^AUTH PLAIN /.test(line)) socket.write('235 2.7.0 ok\r\n');
          else if (/^MAIL FROM:/.test(line) || /^RCPT TO:/.test(line)) socket.write('250 ok\r\n');
          else if (line === 'DATA') {
            inData = true;
            socket.write('354 go ahead\r\n');
          } else if (line === 'QUIT') {
            socket.write('221 bye\r\n');
            socket.end();
          } else socket.write('502 unknown\r\n');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const outbox = new MailOutbox(t.ctx, { transport: new SmtpTransport({ url: `smtp://mailer:s%3Acret@127.0.0.1:${port}` }) });
      const id = await outbox.send({ to: 'rcpt@example.com', template: 'test', subject: 'Contraseña', text: 'Hola\n.leading dot', html: '<p>Hola</p>' });
      await outbox.idle();
      const row = await t.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.error).toBeNull();
      expect(row.status).toBe('sent');
      expect(transcript[0]).toMatch(/^EHLO /);
      expect(transcript[1]).toBe(`AUTH PLAIN ${Buffer.from('\0mailer\0s:cret').toString('base64')}`);
      expect(transcript.slice(2, 5)).toEqual(['MAIL FROM:<no-reply@mail.example.com>', 'RCPT TO:<rcpt@example.com>', 'DATA']);
      expect(transcript.at(-1)).toBe('QUIT');
      expect(data).toContain('From: "ClipMix" <no-reply@mail.example.com>\r\n');
      expect(data).toContain('To: <rcpt@example.com>\r\n');
      expect(data).toContain(`Subject: =?UTF-8?B?${Buffer.from('Contraseña').toString('base64')}?=\r\n`);
      expect(data).toContain(`Message-ID: <${id}@mail.example.com>`);
      expect(data).toContain('multipart/alternative');
      const parts = [...data.matchAll(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/g)].map((m) => Buffer.from(m[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8'));
      expect(parts).toEqual(['Hola\n.leading dot', '<p>Hola</p>']);
      await outbox.stop();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('mail: templates and data declaration', () => {
  const templates: MailTemplate[] = [
    'verify_email',
    'password_reset',
    'email_change_confirm',
    'email_change_notice',
    'email_change_taken',
    'signup_existing_account',
  ];

  it('renders every template in English and Spanish with escaped HTML', () => {
    for (const tpl of templates) {
      const en = renderMail(tpl, 'en', { name: '<Ana & Co>', link: 'http://x/l?token=abc', new_email: 'n@example.com', login_link: 'http://x/login', reset_link: 'http://x/forgot-password' });
      const es = renderMail(tpl, 'es', { name: '<Ana & Co>', link: 'http://x/l?token=abc', new_email: 'n@example.com', login_link: 'http://x/login', reset_link: 'http://x/forgot-password' });
      expect(en.subject).not.toBe(es.subject);
      expect(en.text).toContain('<Ana & Co>');
      expect(en.html).toContain('&lt;Ana &amp; Co&gt;');
      expect(en.html).not.toContain('<Ana');
      expect(es.html).toContain('lang="es"');
      expect(es.text).toMatch(/Hola/);
    }
    expect(LOCALES).toEqual(['en', 'es']);
    expect(localeFromAcceptLanguage('fr-FR,es;q=0.8,en;q=0.5')).toBe('es');
    expect(localeFromAcceptLanguage('de')).toBeUndefined();
  });

  it('declares mail_outbox: per user, deleted with the account, kept 90 days', () => {
    const decl = allModules.flatMap((m) => m.data.tables).find((d) => d.table === 'mail_outbox');
    expect(decl).toMatchObject({ userColumn: 'user_id', deleteWithAccount: true, retention: { days: 90, column: 'created_at' } });
    const users = allModules.flatMap((m) => m.data.tables).find((d) => d.table === 'users');
    expect(users).toMatchObject({ userColumn: 'id', export: true, deleteWithAccount: true, redact: ['password_hash'] });
    for (const table of ['sessions', 'auth_tokens']) {
      expect(allModules.flatMap((m) => m.data.tables).find((d) => d.table === table)).toMatchObject({ export: false, deleteWithAccount: true });
    }
  });
});
