import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { operationExamples } from '../src/http/openapi-examples.js';
import { createTestApp } from './helpers/app.js';

/**
 * The OpenAPI document as a contract (API.md, Conventions): valid OpenAPI 3.1, every POST takes an
 * Idempotency-Key and documents its conflicts, the shared response headers are declared, and
 * every example in it is valid for the schema it illustrates (JSON Schema 2020-12, formats
 * included) — so the reference page never shows a request the server would refuse.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
type Doc = Record<string, any>;
interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  op: Record<string, any>;
}

function operationsOf(doc: Doc): Operation[] {
  return Object.entries<Record<string, any>>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })),
  );
}

/** Follows a local `#/…` reference (objects only: headers, parameters, examples, responses). */
function deref(doc: Doc, obj: any): any {
  let cur = obj;
  for (let i = 0; cur && typeof cur === 'object' && typeof cur.$ref === 'string' && i < 10; i++) {
    cur = cur.$ref
      .slice(2)
      .split('/')
      .map((s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o: any, k: string) => o?.[k], doc);
  }
  return cur;
}

interface ExampleSite {
  where: string;
  schema: unknown;
  value: unknown;
}

/** Every example in the document with the schema it belongs to. */
function examplesOf(doc: Doc): ExampleSite[] {
  const sites: ExampleSite[] = [];
  const media = (where: string, m: any) => {
    if (!m?.schema) return;
    if ('example' in m) sites.push({ where, schema: m.schema, value: m.example });
    for (const [name, ex] of Object.entries<any>(m.examples ?? {})) {
      const resolved = deref(doc, ex);
      expect(resolved, `${where} examples.${name} resolves`).toBeTruthy();
      if (resolved && 'value' in resolved) sites.push({ where: `${where} examples.${name}`, schema: m.schema, value: resolved.value });
    }
  };
  const withSchema = (where: string, o: any) => {
    const r = deref(doc, o);
    if (r?.schema && 'example' in r) sites.push({ where, schema: r.schema, value: r.example });
    for (const [mt, m] of Object.entries<any>(r?.content ?? {})) media(`${where} ${mt}`, m);
  };
  // Schema-level `example` / `examples` (e.g. the Problem schema's fields), at any depth.
  const schemaWalk = (where: string, s: any) => {
    if (!s || typeof s !== 'object') return;
    if (Array.isArray(s)) return s.forEach((x, i) => schemaWalk(`${where}[${i}]`, x));
    const { example, examples, ...rest } = s;
    if ('example' in s) sites.push({ where: `${where} (schema example)`, schema: rest, value: example });
    if (Array.isArray(examples)) examples.forEach((v, i) => sites.push({ where: `${where} (schema examples[${i}])`, schema: rest, value: v }));
    for (const [k, v] of Object.entries<any>(rest)) {
      if (k === 'properties' || k === '$defs' || k === 'patternProperties') {
        for (const [name, sub] of Object.entries<any>(v ?? {})) schemaWalk(`${where}.${k}.${name}`, sub);
      } else if (v && typeof v === 'object') schemaWalk(`${where}.${k}`, v);
    }
  };

  for (const { method, path, op } of operationsOf(doc)) {
    const at = `${method.toUpperCase()} ${path}`;
    for (const p of op.parameters ?? []) {
      const param = deref(doc, p);
      withSchema(`${at} parameter ${param.name}`, param);
      schemaWalk(`${at} parameter ${param.name} schema`, param.schema);
    }
    for (const [mt, m] of Object.entries<any>(op.requestBody?.content ?? {})) {
      media(`${at} request ${mt}`, m);
      schemaWalk(`${at} request ${mt} schema`, m.schema);
    }
    for (const [status, r] of Object.entries<any>(op.responses ?? {})) {
      const res = deref(doc, r);
      for (const [name, h] of Object.entries<any>(res.headers ?? {})) withSchema(`${at} ${status} header ${name}`, h);
      for (const [mt, m] of Object.entries<any>(res.content ?? {})) {
        media(`${at} ${status} ${mt}`, m);
        schemaWalk(`${at} ${status} ${mt} schema`, m.schema);
      }
    }
  }
  for (const [name, s] of Object.entries<any>(doc.components?.schemas ?? {})) schemaWalk(`#/components/schemas/${name}`, s);
  for (const [name, h] of Object.entries<any>(doc.components?.headers ?? {})) withSchema(`#/components/headers/${name}`, h);
  for (const [name, p] of Object.entries<any>(doc.components?.parameters ?? {})) withSchema(`#/components/parameters/${name}`, p);
  return sites;
}

/** A JSON Schema 2020-12 validator for the document's schemas (`#/components/schemas/X` → `$defs`). */
function schemaValidator(doc: Doc) {
  const toDefs = (s: unknown): unknown =>
    JSON.parse(JSON.stringify(s), (k, v) => (k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : v));
  const $defs = toDefs(doc.components?.schemas ?? {}) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('binary', true); // OpenAPI's "format: binary" (file bodies): any string
  return (schema: unknown, value: unknown): string | null => {
    const check = ajv.compile({ ...(toDefs(schema) as object), $defs });
    return check(value) ? null : ajv.errorsText(check.errors, { dataVar: 'example' });
  };
}

describe('OpenAPI document', () => {
  let doc: Doc;
  let ops: Operation[];

  beforeAll(async () => {
    const t = await createTestApp();
    try {
      const res = await t.http.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(res.statusCode).toBe(200);
      doc = res.json();
      ops = operationsOf(doc);
    } finally {
      await t.close();
    }
  });

  it('is a valid OpenAPI 3.1 document (standard validator)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(await validate(structuredClone(doc) as never)).toMatchObject({ valid: true });
  });

  it('declares Idempotency-Key (≤ 255 chars) and the 409/422 idempotency problems on every POST', () => {
    const posts = ops.filter((o) => o.method === 'post');
    expect(posts.length).toBeGreaterThan(20);
    for (const { path, op } of posts) {
      const params = (op.parameters ?? []).map((p: unknown) => deref(doc, p));
      const key = params.filter((p: any) => p.in === 'header' && p.name === 'Idempotency-Key');
      expect(key, `POST ${path}`).toHaveLength(1);
      expect(key[0]).toMatchObject({ required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } });
      for (const [status, code] of [
        ['409', 'idempotency_key_in_use'],
        ['422', 'idempotency_key_reused'],
      ] as const) {
        const res = deref(doc, op.responses[status]);
        expect(res, `POST ${path} ${status}`).toBeTruthy();
        expect(res.description, `POST ${path} ${status}`).toContain(code);
        const media = res.content['application/problem+json'];
        expect(media.schema.$ref).toBe('#/components/schemas/Problem');
        const shown = Object.values<any>(media.examples ?? {}).map((e) => deref(doc, e).value.code);
        expect(shown, `POST ${path} ${status}`).toContain(code);
      }
      expect(deref(doc, op.responses['400']).description).toContain('invalid_idempotency_key');
    }
    // Other methods do not take it (the server ignores it there).
    for (const { method, path, op } of ops.filter((o) => o.method !== 'post')) {
      const params = (op.parameters ?? []).map((p: unknown) => deref(doc, p));
      expect(params.some((p: any) => p.name === 'Idempotency-Key'), `${method} ${path}`).toBe(false);
    }
  });

  it('declares the response headers: Request-Id everywhere, RateLimit on /api/v1, Retry-After on 429, Idempotent-Replayed on POST successes', () => {
    let responses = 0;
    for (const { method, path, op } of ops) {
      for (const [status, r] of Object.entries<any>(op.responses)) {
        responses++;
        const at = `${method.toUpperCase()} ${path} ${status}`;
        const headers = Object.fromEntries(Object.entries<any>(deref(doc, r).headers ?? {}).map(([n, h]) => [n, deref(doc, h)]));
        expect(headers['Request-Id'], at).toMatchObject({ required: true, schema: { type: 'string' } });
        expect(path.startsWith('/api/v1/')).toBe(true);
        expect(headers['RateLimit-Policy'], at).toMatchObject({ schema: { type: 'string' } });
        expect(headers.RateLimit, at).toMatchObject({ schema: { type: 'string' } });
        if (status === '429') expect(headers['Retry-After'], at).toMatchObject({ required: true, schema: { type: 'integer' } });
        else expect(headers['Retry-After'], at).toBeUndefined();
        const postSuccess = method === 'post' && status.startsWith('2');
        if (postSuccess) expect(headers['Idempotent-Replayed'], at).toMatchObject({ schema: { enum: ['true'] } });
        else expect(headers['Idempotent-Replayed'], at).toBeUndefined();
      }
    }
    expect(responses).toBeGreaterThan(ops.length * 7);
  });

  it('has examples on the main request bodies and responses', () => {
    const exampleOf = (method: string, path: string, where: 'request' | string, mt = 'application/json') => {
      const op = doc.paths[path]?.[method];
      const content = where === 'request' ? op?.requestBody?.content : deref(doc, op?.responses?.[where])?.content;
      return content?.[mt]?.example;
    };
    const required: Array<[string, string, string]> = [
      ['post', '/api/v1/music_videos', 'request'],
      ['post', '/api/v1/music_videos', '202'],
      ['get', '/api/v1/jobs/{id}', '200'],
      ['post', '/api/v1/files', '201'],
      ['post', '/api/v1/songs', 'request'],
      ['post', '/api/v1/songs', '202'],
      ['post', '/api/v1/edits', 'request'],
      ['post', '/api/v1/api_keys', 'request'],
      ['post', '/api/v1/api_keys', '201'],
      ['get', '/api/v1/request_logs', '200'],
      ['get', '/api/v1/webhook_deliveries', '200'],
      ['get', '/api/v1/webhook_deliveries/{id}', '200'],
      ['post', '/api/v1/webhook_deliveries/{id}/replay', '200'],
    ];
    for (const [m, p, where] of required) expect(exampleOf(m, p, where), `${m.toUpperCase()} ${p} ${where}`).toBeDefined();
    expect(exampleOf('post', '/api/v1/music_videos', '202')).toMatchObject({ object: 'job', type: 'music_video', status: 'queued' });
    expect(exampleOf('get', '/api/v1/jobs/{id}', '200').output.files.map((f: any) => f.role)).toEqual(['video', 'poster', 'timeline']);

    // Every entry of the examples table reached its operation (none is silently stale).
    for (const [operation, ex] of Object.entries(operationExamples)) {
      const [method, path] = operation.split(' ') as [string, string];
      for (const mt of Object.keys(ex.request ?? {})) expect(exampleOf(method.toLowerCase(), path, 'request', mt), `${operation} request ${mt}`).toBeDefined();
      for (const [status, byType] of Object.entries(ex.responses ?? {})) {
        for (const mt of Object.keys(byType)) expect(exampleOf(method.toLowerCase(), path, status, mt), `${operation} ${status} ${mt}`).toBeDefined();
      }
    }
    // A shared media object got its own example only: the multipart upload form has none.
    expect(doc.paths['/api/v1/files'].post.requestBody.content['multipart/form-data'].example).toBeUndefined();
  });

  it('every example is valid for its schema (JSON Schema 2020-12, formats checked)', () => {
    const sites = examplesOf(doc);
    expect(sites.length).toBeGreaterThan(60);
    const check = schemaValidator(doc);
    const invalid = sites.map((s) => ({ where: s.where, error: check(s.schema, s.value) })).filter((r) => r.error);
    expect(invalid).toEqual([]);
  });

  it('the example check itself refuses an example that does not match', () => {
    const check = schemaValidator(doc);
    const schema = doc.paths['/api/v1/music_videos'].post.requestBody.content['application/json'].schema;
    const good = doc.paths['/api/v1/music_videos'].post.requestBody.content['application/json'].example;
    expect(check(schema, good)).toBeNull();
    expect(check(schema, { ...good, style: 'baroque' })).toMatch(/style/);
    expect(check(schema, { ...good, extra: 1 })).toMatch(/additional/);
    const problem = { $ref: '#/components/schemas/Problem' };
    expect(check(problem, { status: 409 })).toMatch(/required/);
    expect(check({ type: 'string', format: 'date-time' }, 'yesterday')).toMatch(/format/);
  });
});
