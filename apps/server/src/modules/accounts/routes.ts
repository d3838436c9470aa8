import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { requireAuth, requireSession } from '../../http/auth-context.js';
import type { HttpApp } from '../../http/server.js';
import { unauthorized } from '../../platform/errors.js';
import { createRateLimitStore, RateLimiter, rateLimitedError, rateLimitHeaders } from '../../platform/ratelimit/index.js';
import { LOCALES, localeFromAcceptLanguage, toLocale, type Locale } from '../notify/templates.js';
import { clearSessionCookie, clientKey, csrfTokenFor, issueSessionCookie, rateLimitNamespace } from './session.js';
import { emailSchema, EMAIL_MAX, nameSchema, PASSWORD_MAX, passwordSchema } from './validation.js';

/** The language preference cookie the web app sets (readable by the UI, so not HttpOnly). */
export const LANG_COOKIE = 'clipmix_lang';

export const userSchema = z
  .object({
    object: z.literal('user'),
    id: z.string().describe('usr_…'),
    email: z.string(),
    name: z.string(),
    email_verified: z.boolean(),
    locale: z.enum(LOCALES),
    credits_balance: z.number().int(),
    created_at: z.string().describe('ISO-8601 UTC'),
  })
  .describe('A ClipMix account');

const sessionResponse = z.object({
  user: userSchema,
  csrf_token: z.string().describe('Send as X-CSRF-Token on POST/PUT/PATCH/DELETE with this session'),
});
const userResponse = z.object({ user: userSchema });
const acceptedResponse = z.object({ object: z.literal('accepted'), message: z.string() });
const noContent = z.null().describe('No content');

const anyPassword = z.string().min(1).max(PASSWORD_MAX);
const tokenSchema = z.string().min(1).max(200).describe('The token from the emailed link');

const signupBody = z.object({ email: emailSchema, name: nameSchema, password: passwordSchema }).strict();
const loginBody = z.object({ email: z.string().trim().toLowerCase().min(1).max(EMAIL_MAX), password: anyPassword }).strict();
const tokenBody = z.object({ token: tokenSchema }).strict();
const resetBody = z.object({ email: emailSchema }).strict();
const resetConfirmBody = z.object({ token: tokenSchema, password: passwordSchema }).strict();
const emailChangeBody = z.object({ new_email: emailSchema, password: anyPassword.describe('Your current password') }).strict();
const accountPatch = z.object({ name: nameSchema.optional(), locale: z.enum(LOCALES).optional() }).strict();

const PASSWORD_RESET_MESSAGE = 'If an account exists for this email address, we sent it a link to reset the password.';
const EMAIL_CHANGE_MESSAGE = 'Check the new address for a confirmation link. Your email changes once you confirm it.';
const RESEND_MESSAGE = 'We sent a new verification link.';

export async function accountsRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const accounts = ctx.services.accounts;

  // Per-IP limits on the unauthenticated (and mail-sending) auth routes, counted per route.
  // In memory, or in Redis when REDIS_URL is set so every API process shares the counters.
  // The key is an HMAC of the IP under a per-deployment key: the IP itself is never stored.
  const limiter = new RateLimiter(
    createRateLimitStore({ redisUrl: ctx.config.redisUrl, logger: ctx.logger, prefix: `clipmix:rl:${rateLimitNamespace(ctx)}:` }),
    ctx.clock,
  );
  app.addHook('onClose', async () => {
    await accounts.idle();
    await ctx.services.mail.idle();
    await limiter.close();
  });
  const perIp = (bucket: string) =>
    async function rateLimit(req: FastifyRequest, reply: FastifyReply) {
      const max = ctx.config.authRateLimitPerMinute;
      if (max <= 0) return;
      const r = await limiter.hit(`auth:${bucket}:${clientKey(ctx, req.ip)}`, max, 60);
      if (!r.allowed) throw rateLimitedError(r);
      reply.headers(rateLimitHeaders(r));
    };

  const sessionBody = async (userId: string, sessionId: string) => ({
    user: accounts.toPublic(await accounts.getUser(userId)),
    csrf_token: csrfTokenFor(ctx, sessionId),
  });

  app.post(
    '/auth/signup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        description:
          'Creates the account, signs it in (session cookie) and mails a verification link. An address that already has an account gets 400 `signup_failed` (its owner is told by email).',
        security: [],
        body: signupBody,
        response: { 201: sessionResponse },
      },
      config: { csrf: false },
      onRequest: perIp('signup'),
    },
    async (req, reply) => {
      const locale: Locale = toLocale(req.cookies?.[LANG_COOKIE]) ?? localeFromAcceptLanguage(req.headers['accept-language']) ?? 'en';
      const { user, session } = await accounts.signup({ ...req.body, locale });
      // A browser that was signed in to another account now holds the new one only.
      if (req.auth?.via === 'session' && req.auth.sessionId) await accounts.logout(req.auth.sessionId);
      await issueSessionCookie(reply, ctx, session);
      return reply.code(201).send(await sessionBody(user.id, session.id));
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in',
        description: 'Sets the session cookie. Unknown email and wrong password both answer 401 `invalid_credentials`.',
        security: [],
        body: loginBody,
        response: { 200: sessionResponse },
      },
      config: { csrf: false },
      onRequest: perIp('login'),
    },
    async (req, reply) => {
      const previous = req.auth?.via === 'session' ? req.auth.sessionId : undefined;
      const { user, session } = await accounts.login(req.body, previous);
      await issueSessionCookie(reply, ctx, session);
      return sessionBody(user.id, session.id);
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out',
        description: 'Ends this session and clears the cookie. With an API key there is no session: nothing happens (204).',
        security: [{ session: [] }],
        response: { 204: noContent },
      },
    },
    async (req, reply) => {
      if (req.auth?.via === 'session' && req.auth.sessionId) await accounts.logout(req.auth.sessionId);
      clearSessionCookie(reply, ctx);
      return reply204(reply);
    },
  );

  app.get(
    '/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Current session',
        description: 'The signed-in user and the CSRF token, or 401 (also for an API key: keys have no session).',
        security: [{ session: [] }],
        response: { 200: sessionResponse },
      },
    },
    async (req, reply) => {
      const auth = req.auth;
      if (!auth || auth.via !== 'session' || !auth.sessionId) throw unauthorized('You are not signed in.');
      return sessionBody(auth.userId, auth.sessionId);
    },
  );

  app.post(
    '/auth/verify_email',
    {
      schema: { tags: ['auth'], summary: 'Verify the email address', security: [], body: tokenBody, response: { 200: userResponse } },
      config: { csrf: false },
      onRequest: perIp('verify_email'),
    },
    async (req) => ({ user: accounts.toPublic(await accounts.verifyEmail(req.body.token)) }),
  );

  app.post(
    '/auth/verify_email/resend',
    {
      schema: { tags: ['auth'], summary: 'Send a new verification link', security: [{ session: [] }], response: { 202: acceptedResponse } },
      onRequest: perIp('verify_email_resend'),
    },
    async (req, reply) => {
      const auth = requireSession(req);
      await accounts.resendVerification(auth.userId);
      return reply.code(202).send({ object: 'accepted' as const, message: RESEND_MESSAGE });
    },
  );

  app.post(
    '/auth/password_reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Request a password reset link',
        description: 'Always 202 with the same body; the link is mailed only if the account exists.',
        security: [],
        body: resetBody,
        response: { 202: acceptedResponse },
      },
      config: { csrf: false },
      onRequest: perIp('password_reset'),
    },
    async (req, reply) => {
      await accounts.requestPasswordReset(req.body.email);
      return reply.code(202).send({ object: 'accepted' as const, message: PASSWORD_RESET_MESSAGE });
    },
  );

  app.post(
    '/auth/password_reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password',
        description: 'Spends the reset token, signs out every session of the account and voids other reset links.',
        security: [],
        body: resetConfirmBody,
        response: { 204: noContent },
      },
      config: { csrf: false },
      onRequest: perIp('password_reset_confirm'),
    },
    async (req, reply) => {
      await accounts.confirmPasswordReset(req.body.token, req.body.password);
      clearSessionCookie(reply, ctx);
      return reply204(reply);
    },
  );

  app.post(
    '/account/email_change',
    {
      schema: {
        tags: ['account'],
        summary: 'Change the email address',
        description: 'Mails a confirmation link to the new address and a notice to the current one. Needs the current password.',
        security: [{ session: [] }],
        body: emailChangeBody,
        response: { 202: acceptedResponse },
      },
      onRequest: perIp('email_change'),
    },
    async (req, reply) => {
      const auth = requireSession(req);
      await accounts.requestEmailChange(auth.userId, req.body);
      return reply.code(202).send({ object: 'accepted' as const, message: EMAIL_CHANGE_MESSAGE });
    },
  );

  app.post(
    '/auth/email_change/confirm',
    {
      schema: { tags: ['auth'], summary: 'Confirm a new email address', security: [], body: tokenBody, response: { 200: userResponse } },
      config: { csrf: false },
      onRequest: perIp('email_change_confirm'),
    },
    async (req) => ({ user: accounts.toPublic(await accounts.confirmEmailChange(req.body.token)) }),
  );

  app.get(
    '/account',
    { schema: { tags: ['account'], summary: 'Your account', description: 'API keys need the `account:read` scope.', response: { 200: userSchema } } },
    async (req) => accounts.toPublic(await accounts.getUser(requireAuth(req, 'account:read').userId)),
  );

  app.patch(
    '/account',
    {
      schema: {
        tags: ['account'],
        summary: 'Update your profile',
        description: 'Name and language (`en`, `es`). Setting the language also sets the `clipmix_lang` cookie.',
        security: [{ session: [] }],
        body: accountPatch,
        response: { 200: userSchema },
      },
    },
    async (req, reply) => {
      const auth = requireSession(req);
      const user = await accounts.updateProfile(auth.userId, req.body);
      if (req.body.locale) {
        reply.setCookie(LANG_COOKIE, req.body.locale, { path: '/', sameSite: 'lax', secure: ctx.secureCookies, maxAge: 365 * 86_400 });
      }
      return accounts.toPublic(user);
    },
  );
}

function reply204(reply: FastifyReply) {
  return reply.code(204).send();
}
