import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';

describe.each(DB_KINDS)('HTTP conventions on %s', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ db });
  });
  afterAll(async () => t?.close());

  it('puts a Request-Id on every response and in problems', async () => {
    const ok = await t.http.inject({ method: 'GET', url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['request-id']).toMatch(/^req_[0-9A-Za-z]{20}$/);

    const missing = await t.http.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const body = missing.json();
    expect(body).toMatchObject({ status: 404, code: 'route_not_found', title: 'Not Found' });
    expect(body.request_id).toBe(missing.headers['request-id']);
    expect(typeof body.type).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers readiness from the database and exposes Prometheus metrics', async () => {
    expect((await t.http.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    await t.http.inject({ method: 'GET', url: '/healthz' });
    const m = await t.http.inject({ method: 'GET', url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('clipmix_http_request_duration_seconds_bucket');
    expect(m.body).toContain('clipmix_queue_depth');
    expect(m.body).toContain('clipmix_jobs');
  });

  it('serves an OpenAPI 3.1 document and an offline reference page', async () => {
    const doc = await t.http.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const spec = doc.json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info.title).toBe('ClipMix API');
    const page = await t.http.inject({ method: 'GET', url: '/api/v1/docs' });
    expect([200, 301, 302]).toContain(page.statusCode);
    const html = page.statusCode !== 200 ? (await t.http.inject({ method: 'GET', url: page.headers.location as string })).body : page.body;
    expect(html).toContain('/api/v1/openapi.json');
    // Offline: the page names no other host — no absolute or protocol-relative URL at all, only
    // its own relative ones (the script, the document).
    expect(html.match(/(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s"'<>()]+/gi) ?? []).toEqual([]);
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const js = await t.http.inject({ method: 'GET', url: new URL(src, 'http://self/api/v1/docs/').pathname });
      expect(js.statusCode, src).toBe(200);
      expect(js.headers['content-type']).toContain('javascript');
    }
    // The configuration it embeds: no URL of another host either, and no default web fonts —
    // the bundled theme would otherwise fetch them from fonts.scalar.com.
    const embedded = /createApiReference\([^,]+,\s*(\{[\s\S]*?\})\s*\)/.exec(html)?.[1];
    expect(embedded).toBeDefined();
    const config = JSON.parse(embedded!) as Record<string, unknown>;
    expect(config).toMatchObject({ url: '/api/v1/openapi.json', withDefaultFonts: false, agent: { disabled: true }, mcp: { disabled: true } });
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
    for (const value of strings(config)) expect(value).not.toMatch(/^([a-z][a-z0-9+.-]*:)?\/\//i);
  });
});

describe('OpenAPI error contract', () => {
  it('documents problem+json error responses on every operation', async () => {
    const t = await createTestApp();
    try {
      const spec = (await t.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      expect(spec.components.schemas.Problem.required).toEqual(expect.arrayContaining(['code', 'request_id', 'detail']));
      const ops = Object.values<Record<string, any>>(spec.paths).flatMap((item) => Object.values(item));
      expect(ops.length).toBeGreaterThan(10);
      // Shared error responses are components (`#/components/responses/…`) the operations reference.
      const response = (r: any) => (r?.$ref ? spec.components.responses[r.$ref.split('/').pop()] : r);
      for (const op of ops) {
        expect(response(op.responses.default).content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
        expect(response(op.responses['400'])).toBeDefined();
      }
    } finally {
      await t.close();
    }
  });
});
