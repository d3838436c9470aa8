import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, type Scope } from '../src/http/auth-context.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, settle, startReceiver, withKey, type Receiver } from './helpers/keys.js';
import { makeImage, makeTone, makeVideo, scratch, upload, uploadFile } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

/**
 * The authorization matrix of the whole API, built from the OpenAPI document: every operation
 * must be classified in ROUTES below (a new route fails the completeness test until it is), and
 * for each one:
 *
 *  - scope routes: a key lacking the scope → 403 `insufficient_scope` (problem+json); a key with
 *    only that scope gets past the check; on a resource of another account (`{id}` in the path,
 *    or file ids in the body) a key of a second account with the right scope → 404, and the
 *    resource is left as it was; lists of the second account never show the first one's rows;
 *  - session routes (key management, account settings and deletion, exports): any key, whatever
 *    its scopes → 403 `session_required`; another account's session → 404 on `{id}` routes;
 *  - the rest is listed with what it does for a key today (public, catalogue, development).
 */

type Access =
  | Scope
  /** Needs a browser session: keys get 403 `session_required`. */
  | 'session'
  /** Any authenticated caller (a key with any scope): catalogues of accepted values. */
  | 'any-key'
  /** No authentication (documented `security: []`). */
  | 'public'
  /** GET /auth/session: reads the caller's session; a key is "not signed in" → 401. */
  | 'session-read'
  /** POST /auth/logout: ends the caller's session if any; for a key it does nothing → 204. */
  | 'session-end'
  /** The development mailbox: unauthenticated, loopback-only, only without a mail transport. */
  | 'dev-only';

/** The first account's resources a `{id}` in the path (or a body) can stand for. */
type Owned = 'file' | 'job' | 'upload' | 'delivery' | 'apiKey';

interface Fixtures {
  /** An image upload (the `{id}` of file routes). */
  file: string;
  audio: string;
  video: string;
  job: string;
  upload: string;
  delivery: string;
  apiKey: string;
}

interface Route {
  access: Access;
  /** What `{id}` stands for: another account's resource in the cross-account check, else a missing one. */
  id?: Owned;
  /** A body that passes the route's schema; given the first account's fixtures for the cross-account request. */
  body?: (f: Fixtures | null) => unknown;
  headers?: Record<string, string>;
  /** A list: the second account's page must not show this resource of the first. */
  list?: Owned;
  /** The body references the first account's files: the cross-account request must answer 404. */
  crossBody?: boolean;
  /** Served but not in the OpenAPI document (why). */
  undocumented?: string;
  /** Where the document's `security` does not say who may call the route (skipped by the security check; reported). */
  docGap?: string;
}

const TUS = { 'tus-resumable': '1.0.0' };
const MISSING: Record<Owned, string> = {
  file: 'file_missing0000000000000000',
  job: 'job_missing0000000000000000',
  upload: 'a'.repeat(32),
  delivery: 'whdel_missing000000000000000',
  apiKey: 'key_missing0000000000000000',
};
const fileOr = (f: Fixtures | null, k: 'file' | 'audio' | 'video') => (f ? f[k] : MISSING.file);

/** Every operation of the API → who may call it. Classify new routes here. */
const ROUTES: Record<string, Route> = {
  // ── jobs ──
  'GET /api/v1/jobs': { access: 'jobs:read', list: 'job' },
  'GET /api/v1/jobs/{id}': { access: 'jobs:read', id: 'job' },
  'DELETE /api/v1/jobs/{id}': { access: 'jobs:write', id: 'job' },
  'POST /api/v1/jobs/{id}/cancel': { access: 'jobs:write', id: 'job' },
  'POST /api/v1/jobs/{id}/retry': { access: 'jobs:write', id: 'job' },
  'GET /api/v1/jobs/{id}/events': { access: 'jobs:read', id: 'job' },
  // ── files and tus uploads ──
  'POST /api/v1/files': { access: 'files:write', body: (f) => ({ upload_id: f ? f.upload : MISSING.upload }), crossBody: true },
  'GET /api/v1/files': { access: 'files:read', list: 'file' },
  'GET /api/v1/files/{id}': { access: 'files:read', id: 'file' },
  'DELETE /api/v1/files/{id}': { access: 'files:write', id: 'file' },
  'GET /api/v1/files/{id}/content': { access: 'files:read', id: 'file' },
  'OPTIONS /api/v1/uploads': { access: 'public', headers: TUS },
  'POST /api/v1/uploads': { access: 'files:write', headers: { ...TUS, 'upload-length': '10' } },
  'PATCH /api/v1/uploads/{id}': {
    access: 'files:write',
    id: 'upload',
    headers: { ...TUS, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    body: () => Buffer.from('0123456789'),
  },
  'HEAD /api/v1/uploads/{id}': {
    access: 'files:write',
    id: 'upload',
    headers: TUS,
    undocumented: '@fastify/swagger leaves HEAD routes out of the document',
  },
  'DELETE /api/v1/uploads/{id}': { access: 'files:write', id: 'upload', headers: TUS },
  'OPTIONS /api/v1/uploads/{id}': {
    access: 'public',
    id: 'upload',
    headers: TUS,
  },
  // ── creating media ──
  'POST /api/v1/music_videos': {
    access: 'jobs:write',
    body: (f) => ({ audio_file: fileOr(f, 'audio'), image_files: [fileOr(f, 'file')], resolution: '480p' }),
    crossBody: true,
  },
  'POST /api/v1/music_videos/preview': { access: 'files:read', body: (f) => ({ image_file: fileOr(f, 'file') }), crossBody: true },
  'GET /api/v1/music_videos/styles': { access: 'any-key' },
  // Songs and lyrics check the key before the body (attachValidation): `{}` is refused after the scope check.
  'POST /api/v1/songs': { access: 'jobs:write', body: () => ({}) },
  'GET /api/v1/songs/options': { access: 'any-key' },
  'POST /api/v1/lyrics': { access: 'jobs:write', body: () => ({}) },
  'POST /api/v1/edits': {
    access: 'jobs:write',
    body: (f) => ({ source_file: fileOr(f, 'video'), operations: [{ type: 'trim', start: 0, end: 0.5 }] }),
    crossBody: true,
  },
  'POST /api/v1/edits/preview': {
    access: 'files:read',
    body: (f) => ({ source_file: fileOr(f, 'video'), operations: [], time: 0 }),
    crossBody: true,
  },
  'GET /api/v1/edits/filters': { access: 'any-key' },
  // ── account and credits ──
  'GET /api/v1/account': { access: 'account:read' },
  'GET /api/v1/credits': { access: 'account:read' },
  'PATCH /api/v1/account': { access: 'session', body: () => ({ name: 'Mallory' }) },
  'DELETE /api/v1/account': { access: 'session', body: () => ({ password: 'correct horse battery staple' }) },
  'POST /api/v1/account/email_change': { access: 'session', body: () => ({ new_email: 'mallory@example.com', password: 'x' }) },
  'POST /api/v1/account/export': { access: 'session' },
  'GET /api/v1/account/privacy': { access: 'session' },
  'PUT /api/v1/account/privacy': { access: 'session', body: () => ({ analytics: true }) },
  'GET /api/v1/account/privacy/log': { access: 'session' },
  // ── developer platform ──
  'GET /api/v1/api_keys': { access: 'session' },
  'POST /api/v1/api_keys': { access: 'session', body: () => ({ name: 'minted by a key' }) },
  'GET /api/v1/api_keys/{id}': { access: 'session', id: 'apiKey' },
  'DELETE /api/v1/api_keys/{id}': { access: 'session', id: 'apiKey' },
  'POST /api/v1/api_keys/{id}/test_webhook': { access: 'session', id: 'apiKey' },
  'GET /api/v1/request_logs': { access: 'logs:read' },
  'GET /api/v1/webhook_deliveries': { access: 'logs:read', list: 'delivery' },
  'GET /api/v1/webhook_deliveries/{id}': { access: 'logs:read', id: 'delivery' },
  'POST /api/v1/webhook_deliveries/{id}/replay': { access: 'logs:read', id: 'delivery' },
  // ── sign-in and sessions ──
  'POST /api/v1/auth/signup': { access: 'public' },
  'POST /api/v1/auth/login': { access: 'public' },
  'POST /api/v1/auth/logout': { access: 'session-end' },
  'GET /api/v1/auth/session': { access: 'session-read' },
  'POST /api/v1/auth/verify_email': { access: 'public' },
  'POST /api/v1/auth/verify_email/resend': { access: 'session' },
  'POST /api/v1/auth/password_reset': { access: 'public' },
  'POST /api/v1/auth/password_reset/confirm': { access: 'public' },
  'POST /api/v1/auth/email_change/confirm': { access: 'public' },
  // ── privacy (anonymous browsers) and development ──
  'GET /api/v1/privacy/config': { access: 'public' },
  'GET /api/v1/privacy/consent': { access: 'public' },
  'PUT /api/v1/privacy/consent': { access: 'public' },
  'POST /api/v1/analytics/events': { access: 'public' },
  'GET /api/v1/dev/mailbox': { access: 'dev-only' },
};

const isScope = (a: Access): a is Scope => (ALL_SCOPES as readonly string[]).includes(a);
const entries = Object.entries(ROUTES).map(([op, route]) => {
  const [method, path] = op.split(' ') as [InjectOptions['method'] & string, string];
  return { op, method, path, route };
});

function request(method: string, path: string, route: Route, f: Fixtures | null): InjectOptions {
  const id = route.id ? (f ? f[route.id] : MISSING[route.id]) : undefined;
  if (path.includes('{id}') && !id) throw new Error(`${method} ${path}: say what {id} is (Route.id)`);
  const url = path.replace('{id}', id ?? '');
  const body = route.body?.(f);
  return {
    method: method as InjectOptions['method'],
    url,
    ...(route.headers ? { headers: route.headers } : {}),
    ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
  };
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
  expect(res.headers['content-type'], what).toContain('application/problem+json');
  if (what.startsWith('HEAD ')) return; // no body
  expect(res.json(), what).toMatchObject({ status, code, request_id: res.headers['request-id'] });
}

let media: Awaited<ReturnType<typeof scratch>>;
const bytes: Record<'audio' | 'video', string> = { audio: '', video: '' };

beforeAll(async () => {
  media = await scratch();
  bytes.audio = await makeTone(media.file('tone.wav'), { format: 'wav', seconds: 1 });
  bytes.video = await makeVideo(media.file('clip.mp4'), { format: 'mp4', seconds: 1, width: 160, height: 120 });
}, 60_000);
afterAll(async () => media?.remove());

describe.each(DB_KINDS)('scope matrix on %s', (db) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let rx: Receiver;
  let doc: any;
  let f: Fixtures;
  /** Alice's keys: every scope, every scope but one, only one. */
  let all: string;
  const without = new Map<Scope, string>();
  const only = new Map<Scope, string>();
  /** Bob's keys with one scope each. */
  const bobOnly = new Map<Scope, string>();
  const bobKeyIds = new Set<string>();

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1', CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
    alice = await signUp(t, { name: 'Alice' });
    bob = await signUp(t, { name: 'Bob' });
    rx = await startReceiver();
    doc = (await t.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();

    const full = await createKey(alice, { name: 'all', callback_url: rx.url });
    all = full.secret;
    for (const scope of ALL_SCOPES) {
      without.set(scope, (await createKey(alice, { name: `no ${scope}`, scopes: ALL_SCOPES.filter((s) => s !== scope) })).secret);
      only.set(scope, (await createKey(alice, { name: `only ${scope}`, scopes: [scope] })).secret);
      const b = await createKey(bob, { name: `bob ${scope}`, scopes: [scope] });
      bobOnly.set(scope, b.secret);
      bobKeyIds.add(b.id);
    }

    // Alice's resources: uploads (each with its media.process job), a tus upload, a webhook delivery.
    const up = async (o: Parameters<typeof upload>[1]) => {
      const res = await upload(alice, o);
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; processing_job: string };
    };
    const image = await up({ data: await makeImage('jpeg', { width: 64, height: 48 }), filename: 'a.jpg', contentType: 'image/jpeg', purpose: 'image' });
    const audio = (await uploadFile(alice, bytes.audio, { purpose: 'audio' })).json();
    const video = (await uploadFile(alice, bytes.video, { purpose: 'video' })).json();
    expect([audio.id, video.id]).toEqual([expect.stringMatching(/^file_/), expect.stringMatching(/^file_/)]);
    const tus = await withKey(t, all, { method: 'POST', url: '/api/v1/uploads', headers: { ...TUS, 'upload-length': '10' } });
    expect(tus.statusCode, tus.body).toBe(201);
    const test = await alice.request({ method: 'POST', url: `/api/v1/api_keys/${full.id}/test_webhook` });
    expect(test.statusCode, test.body).toBe(200);
    f = {
      file: image.id,
      audio: audio.id,
      video: video.id,
      job: image.processing_job,
      upload: String(tus.headers.location).split('/').pop()!,
      delivery: test.json().id,
      apiKey: full.id,
    };
  }, 60_000);
  afterAll(async () => {
    await rx?.close();
    await t?.close();
  });

  it('classifies every operation of the OpenAPI document (add new routes to ROUTES)', () => {
    const documented = Object.entries<Record<string, { security?: unknown }>>(doc.paths).flatMap(([p, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.length).toBeGreaterThan(50);
    const unclassified = documented.filter((op) => !ROUTES[op]);
    expect(unclassified, 'operations missing from ROUTES in developer-scope-matrix.test.ts').toEqual([]);
    const gone = entries.filter((e) => !e.route.undocumented && !documented.includes(e.op)).map((e) => e.op);
    expect(gone, 'ROUTES entries that are not in the document').toEqual([]);
    // The document says the same: session-only and public routes declare it; scope routes take keys.
    for (const { op, method, path, route } of entries) {
      if (route.undocumented) continue;
      const security = doc.paths[path][method.toLowerCase()].security;
      if (route.docGap) {
        expect(security, `${op} is documented correctly now: drop its docGap`).toBeUndefined();
        continue;
      }
      if (route.access === 'session' || route.access === 'session-read' || route.access === 'session-end') expect(security, op).toEqual([{ session: [] }]);
      else if (route.access === 'public' || route.access === 'dev-only') expect(security, op).toEqual([]);
      else expect(security, op).toBeUndefined(); // a scope or any key: the default (API key or session)
    }
  });

  it('a key lacking the scope → 403 insufficient_scope; a key with only that scope gets past the check', async () => {
    const scoped = entries.filter((e) => isScope(e.route.access));
    expect(scoped.length).toBe(27);
    for (const { op, method, path, route } of scoped) {
      const scope = route.access as Scope;
      const denied = await withKey(t, without.get(scope)!, request(method, path, route, null));
      expectProblem(denied, 403, 'insufficient_scope', `${op} without ${scope}`);
      const allowed = await withKey(t, only.get(scope)!, request(method, path, route, null));
      // Past the scope check: the route's own answer for a missing resource or an empty body.
      expect([200, 201, 404, 422], `${op} with only ${scope}: ${allowed.statusCode} ${allowed.body}`).toContain(allowed.statusCode);
      if (method !== 'HEAD' && String(allowed.headers['content-type']).includes('json')) expect(allowed.json().code, op).not.toBe('route_not_found');
    }
  });

  it("another account's key with the right scope → 404 on this account's resources, which stay as they were", async () => {
    const before = {
      job: (await withKey(t, all, { method: 'GET', url: `/api/v1/jobs/${f.job}` })).json(),
      deliveries: (await withKey(t, all, { method: 'GET', url: '/api/v1/webhook_deliveries?limit=100' })).json().data.length,
    };
    const cross = entries.filter((e) => isScope(e.route.access) && (e.route.id || e.route.crossBody));
    expect(cross.map((e) => e.op).sort()).toEqual(
      [
        'DELETE /api/v1/files/{id}',
        'DELETE /api/v1/jobs/{id}',
        'DELETE /api/v1/uploads/{id}',
        'GET /api/v1/files/{id}',
        'GET /api/v1/files/{id}/content',
        'GET /api/v1/jobs/{id}',
        'GET /api/v1/jobs/{id}/events',
        'GET /api/v1/webhook_deliveries/{id}',
        'HEAD /api/v1/uploads/{id}',
        'PATCH /api/v1/uploads/{id}',
        'POST /api/v1/edits',
        'POST /api/v1/edits/preview',
        'POST /api/v1/files',
        'POST /api/v1/jobs/{id}/cancel',
        'POST /api/v1/jobs/{id}/retry',
        'POST /api/v1/music_videos',
        'POST /api/v1/music_videos/preview',
        'POST /api/v1/webhook_deliveries/{id}/replay',
      ].sort(),
    );
    for (const { op, method, path, route } of cross) {
      const res = await withKey(t, bobOnly.get(route.access as Scope)!, request(method, path, route, f));
      expect(res.statusCode, `${op} by another account: ${res.body}`).toBe(404);
      if (method !== 'HEAD' && String(res.headers['content-type']).includes('json')) expect(res.json().code, op).not.toBe('route_not_found');
    }

    // Nothing of Alice's changed.
    for (const id of [f.file, f.audio, f.video]) expect((await withKey(t, all, { method: 'GET', url: `/api/v1/files/${id}` })).statusCode).toBe(200);
    const job = await withKey(t, all, { method: 'GET', url: `/api/v1/jobs/${f.job}` });
    expect(job.statusCode).toBe(200);
    expect(job.json()).toMatchObject({ status: before.job.status, attempts: before.job.attempts });
    const head = await withKey(t, all, { method: 'HEAD', url: `/api/v1/uploads/${f.upload}`, headers: TUS });
    expect(head.statusCode).toBe(200);
    expect(head.headers['upload-offset']).toBe('0');
    await settle(t);
    expect((await withKey(t, all, { method: 'GET', url: '/api/v1/webhook_deliveries?limit=100' })).json().data).toHaveLength(before.deliveries);
  });

  it("a body mixing the caller's files with another account's → 404 (every referenced file is checked, not only the first)", async () => {
    const mine = async (file: string, purpose: string) => {
      const res = await uploadFile(bob, file, { purpose });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const b = { audio: await mine(bytes.audio, 'audio'), video: await mine(bytes.video, 'video') };
    const image = await upload(bob, { data: await makeImage('png', { width: 32, height: 32 }), filename: 'b.png', contentType: 'image/png', purpose: 'image' });
    const bImage = image.json().id as string;
    const cases: Array<[string, Scope, unknown]> = [
      ['/api/v1/music_videos', 'jobs:write', { audio_file: b.audio, image_files: [bImage, f.file], resolution: '480p' }],
      ['/api/v1/music_videos', 'jobs:write', { audio_file: b.audio, image_files: [bImage], video_files: [f.video], resolution: '480p' }],
      ['/api/v1/music_videos', 'jobs:write', { audio_file: f.audio, image_files: [bImage], resolution: '480p' }],
      ['/api/v1/edits', 'jobs:write', { source_file: b.video, operations: [{ type: 'concat', inputs: [0, f.video] }] }],
      ['/api/v1/edits', 'jobs:write', { source_file: b.video, operations: [{ type: 'audio', mode: 'replace', file: f.audio }] }],
      ['/api/v1/edits/preview', 'files:read', { source_file: b.video, operations: [{ type: 'audio', mode: 'mix', file: f.audio }], time: 0 }],
    ];
    for (const [url, scope, payload] of cases) {
      const res = await withKey(t, bobOnly.get(scope)!, { method: 'POST', url, payload: payload as object });
      expect(res.statusCode, `POST ${url} ${JSON.stringify(payload)}: ${res.body}`).toBe(404);
      expect(res.json().code).toBe('resource_missing');
    }
    // Control: the same requests with only Bob's files are accepted.
    const ok = await withKey(t, bobOnly.get('jobs:write')!, { method: 'POST', url: '/api/v1/music_videos', payload: { audio_file: b.audio, image_files: [bImage], resolution: '480p' } });
    expect(ok.statusCode, ok.body).toBe(202);
    const edit = await withKey(t, bobOnly.get('jobs:write')!, { method: 'POST', url: '/api/v1/edits', payload: { source_file: b.video, operations: [{ type: 'audio', mode: 'replace', file: b.audio }] } });
    expect(edit.statusCode, edit.body).toBe(202);
  });

  it("another account's lists never show this account's rows", async () => {
    await settle(t);
    for (const { op, path, route } of entries.filter((e) => e.route.list)) {
      const res = await withKey(t, bobOnly.get(route.access as Scope)!, { method: 'GET', url: `${path}?limit=100` });
      expect(res.statusCode, op).toBe(200);
      expect(res.body, op).not.toContain(f[route.list!]);
    }
    const files = (await withKey(t, bobOnly.get('files:read')!, { method: 'GET', url: '/api/v1/files?limit=100' })).json();
    expect(files.data.map((x: { id: string }) => x.id)).not.toEqual(expect.arrayContaining([f.file]));
    const logs = (await withKey(t, bobOnly.get('logs:read')!, { method: 'GET', url: '/api/v1/request_logs?limit=100' })).json();
    expect(logs.data.length).toBeGreaterThan(0);
    for (const row of logs.data) expect(bobKeyIds.has(row.api_key), `request log of ${row.api_key}`).toBe(true);
  });

  it('session-only routes: any key, whatever its scopes → 403 session_required; another account’s session → 404', async () => {
    const sessionOnly = entries.filter((e) => e.route.access === 'session');
    expect(sessionOnly.length).toBe(13);
    for (const { op, method, path, route } of sessionOnly) {
      expectProblem(await withKey(t, all, request(method, path, route, null)), 403, 'session_required', `${op} with a key`);
      if (route.id) expectProblem(await withKey(t, all, request(method, path, route, f)), 403, 'session_required', `${op} on own resource`);
    }
    for (const { op, method, path, route } of sessionOnly.filter((e) => e.route.id)) {
      const res = await bob.request(request(method, path, route, f));
      expect(res.statusCode, `${op} with another account's session: ${res.body}`).toBe(404);
    }
    // Nothing happened: the account is there with its name, its key is not revoked, no export job.
    const me = await withKey(t, all, { method: 'GET', url: '/api/v1/account' });
    expect(me.json()).toMatchObject({ id: alice.id, name: 'Alice' });
    const key = await alice.request({ method: 'GET', url: `/api/v1/api_keys/${f.apiKey}` });
    expect(key.json().revoked_at).toBeNull();
    const exports = await withKey(t, all, { method: 'GET', url: '/api/v1/jobs?type=account.export' });
    expect(exports.json().data).toEqual([]);
  });

  it('catalogue routes take any key; key-less routes are as documented', async () => {
    for (const { op, method, path, route } of entries.filter((e) => e.route.access === 'any-key')) {
      const res = await withKey(t, only.get('logs:read')!, request(method, path, route, null));
      expect(res.statusCode, op).toBe(200);
      expect((await t.http.inject(request(method, path, route, null))).statusCode, `${op} anonymous`).toBe(401);
    }
    // Public reads and the tus capability probes need no credentials.
    for (const op of ['GET /api/v1/privacy/config', 'OPTIONS /api/v1/uploads', 'OPTIONS /api/v1/uploads/{id}']) {
      const { method, path, route } = entries.find((e) => e.op === op)!;
      const res = await t.http.inject(request(method, path, route, null));
      expect(res.statusCode, op).toBeLessThan(300);
    }
    const consent = await t.http.inject({ method: 'GET', url: '/api/v1/privacy/consent?device_id=dev_0123456789abcdef' });
    expect(consent.statusCode).toBe(200);

    // Today's behaviour of the session routes for a key: GET /auth/session answers 401 (a key is
    // not a signed-in browser), POST /auth/logout is a no-op 204 that leaves sessions alone.
    const session = await withKey(t, all, { method: 'GET', url: '/api/v1/auth/session' });
    expect(session.statusCode).toBe(401);
    const logout = await withKey(t, all, { method: 'POST', url: '/api/v1/auth/logout' });
    expect(logout.statusCode).toBe(204);
    expect((await alice.request({ method: 'GET', url: '/api/v1/auth/session' })).statusCode).toBe(200);
    // The development mailbox needs no credentials at all; it exists only without a mail
    // transport and answers only loopback clients (as inject() is).
    expect((await t.http.inject({ method: 'GET', url: '/api/v1/dev/mailbox' })).statusCode).toBe(200);
  });
});
