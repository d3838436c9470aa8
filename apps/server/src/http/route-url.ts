import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** routeUrlOf's memo: undefined until asked, null for a request no route matched. */
    routeUrlMemo: string | null | undefined;
  }
}

/** Adds the memo to every request (before the first request, so all requests share one shape). */
export function decorateRouteUrl(app: FastifyInstance): void {
  app.decorateRequest('routeUrlMemo', undefined);
}

/**
 * The matched route's URL pattern (`/api/v1/jobs/:id`), or undefined for a request no route
 * matched. The same as `req.routeOptions.url`, but Fastify builds a fresh twelve-property object
 * on every read of `routeOptions` (and asks the router about version constraints): the metrics
 * and the request log both want the URL of every API request, so it is read once per request.
 */
export function routeUrlOf(req: FastifyRequest): string | undefined {
  let url = req.routeUrlMemo;
  if (url === undefined) {
    url = req.routeOptions.url ?? null;
    req.routeUrlMemo = url;
  }
  return url ?? undefined;
}
