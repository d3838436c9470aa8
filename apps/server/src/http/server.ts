import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { AppContext } from '../app.js';
import { newRequestId } from '../platform/ids.js';
import { serializerCompiler, validatorCompiler } from './fast-serializer.js';
import { createIpRateLimit } from './ip-rate-limit.js';
import { addProblemResponses } from './openapi-problems.js';
import { errorToProblem, problem, sendProblem } from './problem.js';
import { decorateRouteUrl, routeUrlOf } from './route-url.js';

/** The Fastify instance route modules receive: zod schemas type requests and replies. */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface HttpOptions {
  /** Directory of the built web app; served with an SPA fallback when it exists. */
  webDist?: string;
}

/** Builds the Fastify app: conventions (ids, problems, OpenAPI, metrics) then every module's routes. */
export async function buildHttp(ctx: AppContext, opts: HttpOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      ctx.config.logLevel === 'silent'
        ? false
        : {
            level: ctx.config.logLevel,
            // The client IP is used only for rate limiting and never stored — not even in logs.
            serializers: {
              req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url, request_id: req.id }),
            },
          },
    // `req_` + 20 base62 chars: time, process tag, counter (ids.ts) — no CSPRNG call per request.
    genReqId: newRequestId,
    requestIdHeader: false,
    logController: new LogController({
      requestIdLogLabel: 'request_id',
      disableRequestLogging: ctx.config.logLevel !== 'debug' && ctx.config.logLevel !== 'trace',
    }),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('auth', null);
  decorateRouteUrl(app);

  // Hooks with nothing to wait for are callback-style: no promise and no extra turn per request.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('Request-Id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = routeUrlOf(req) ?? 'unmatched';
    ctx.metrics.httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.setErrorHandler((err, req, reply) => {
    const { problem: p, headers } = errorToProblem(err, req);
    if (p.status >= 500) req.log.error({ err }, 'request failed');
    return sendProblem(reply, p, headers);
  });

  await app.register(cookie, { secret: ctx.config.secret });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ClipMix API',
        version: '1.0.0',
        description:
          'Music videos, songs and edits as jobs. Authenticate with `Authorization: Bearer sk_live_…` (or a browser session + `X-CSRF-Token`). Errors are RFC 9457 problem+json.',
      },
      servers: ctx.config.publicUrl ? [{ url: ctx.config.publicUrl }] : [],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'sk_live_… or sk_test_…' },
          session: { type: 'apiKey', in: 'cookie', name: ctx.sessionCookieName },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (obj) => addProblemResponses((obj as { openapiObject: unknown }).openapiObject),
  });

  // Authentication — each authenticator may recognise the request (cookie, bearer key) — then
  // the per-IP limit of anonymous API requests: one hook. Refused credentials (an authenticator
  // threw: unknown, revoked or expired key) count against the per-IP limit too, before the 401,
  // so made-up keys are no way around it (ip-rate-limit.ts).
  const ipRateLimit = createIpRateLimit(app, ctx);
  app.addHook('onRequest', async (req, reply) => {
    try {
      for (const authenticate of ctx.authenticators) {
        const auth = await authenticate(req);
        if (auth) {
          req.auth = auth;
          break;
        }
      }
    } catch (err) {
      if (ipRateLimit) await ipRateLimit(req, reply, true); // over the limit → the 429 instead
      throw err;
    }
    if (ipRateLimit && !req.auth) await ipRateLimit(req, reply);
  });
  // The modules' preHandlers (CSRF, session renewal) as one hook, run in order; like Fastify's
  // own hook runner, it stops once a hook has sent the reply.
  const preHandlers = ctx.requestHooks;
  if (preHandlers.length) {
    app.addHook('preHandler', async function modulePreHandlers(req, reply) {
      for (const hook of preHandlers) {
        if (reply.sent) return;
        await hook.call(this, req, reply);
      }
    });
  }

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    await ctx.sampleMetrics();
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });

  const routeNotFound = (req: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, problem(req, 404, 'route_not_found', `No route ${req.method} ${req.url.split('?')[0] ?? '/'}.`));

  await app.register(
    async (api) => {
      for (const m of ctx.modules) m.apiHooks?.(api as unknown as HttpApp, ctx);
      for (const register of ctx.routes) await register(api as unknown as HttpApp, ctx);
      // Unknown /api/v1 routes are answered inside the plugin, so that its hooks — the per-key
      // rate limit and the request log of key requests — see them like any other API request.
      api.setNotFoundHandler(routeNotFound);
    },
    { prefix: '/api/v1' },
  );

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await registerApiReference(app);

  const webDist = opts.webDist;
  const hasWeb = webDist && existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false, maxAge: '1h' });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    const wantsPage = req.method === 'GET' && !url.startsWith('/api/') && !path.extname(url);
    if (hasWeb && (wantsPage || url === '/')) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return routeNotFound(req, reply);
  });

  return app;
}

/**
 * The API reference page (Scalar), served with its script by this server. Self-hosted means it
 * loads nothing from another host and offers nothing that would: `withDefaultFonts: false`, or the bundled theme adds
 * @font-face rules that fetch Inter and JetBrains Mono from fonts.scalar.com (the page falls back
 * to the system fonts of its font stack).
 */
async function registerApiReference(app: FastifyInstance) {
  const { default: scalar } = await import('@scalar/fastify-api-reference');
  await app.register(scalar as any, {
    routePrefix: '/api/v1/docs',
    configuration: {
      url: '/api/v1/openapi.json',
      theme: 'purple',
      hideClientButton: true,
      withDefaultFonts: false,
      // Scalar's hosted AI agent and MCP buttons would send the document to scalar.com.
      agent: { disabled: true },
      mcp: { disabled: true },
    },
  });
}
