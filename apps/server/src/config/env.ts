import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const intFrom = (def: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `expected a non-negative number, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

/** Every environment variable ClipMix reads. Documented in the README; read nowhere else. */
export const envSchema = z.object({
  PORT: intFrom(3000),
  HOST: z.string().optional().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  CLIPMIX_DATA_DIR: z.string().optional().default('./data'),
  CLIPMIX_SECRET: z.string().min(32, 'CLIPMIX_SECRET must be at least 32 characters').optional(),
  /** Comma-separated earlier CLIPMIX_SECRET values: data sealed with them still opens (rotation). */
  CLIPMIX_SECRET_PREVIOUS: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  REDIS_URL: z.string().optional().or(z.literal('').transform(() => undefined)),
  CLIPMIX_WORKERS: intFrom(2),
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.string().optional(),
  S3_REGION: z.string().optional().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: flag,
  CLIPMIX_ALLOW_LOOPBACK_URLS: flag,
  CLIPMIX_TRUST_PROXY: flag,
  CLIPMIX_PRICES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return {} as Record<string, number>;
      try {
        const parsed = JSON.parse(v) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((n) => Number.isInteger(n) && (n as number) >= 0)) {
          return parsed as Record<string, number>;
        }
      } catch {
        /* reported below */
      }
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object of job type → non-negative integer credits, e.g. {"music_video":12}' });
      return z.NEVER;
    }),
  CLIPMIX_MAX_UPLOAD_MB: intFrom(1024),
  CLIPMIX_MAX_MEDIA_SECONDS: intFrom(3600),
  CLIPMIX_MAX_IMAGE_MEGAPIXELS: intFrom(100),
  CLIPMIX_STARTER_CREDITS: intFrom(1000),
  CLIPMIX_JOB_MAX_ATTEMPTS: intFrom(3),
  CLIPMIX_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  CLIPMIX_AUTH_RATE_LIMIT: intFrom(10),
  CLIPMIX_IP_RATE_LIMIT: intFrom(300),
  CLIPMIX_MAIL_FROM: z.string().optional().default('ClipMix <no-reply@clipmix.local>'),
  SMTP_URL: z.string().optional(),
  RESEND_API_KEY: z.string().optional(),
  CLIPMIX_SONG_PROVIDER: z.enum(['local', 'minimax', 'replicate']).optional().default('local'),
  MINIMAX_API_KEY: z.string().optional(),
  MINIMAX_BASE_URL: z.string().url().optional().default('https://api.minimax.io'),
  REPLICATE_API_TOKEN: z.string().optional(),
  REPLICATE_BASE_URL: z.string().url().optional().default('https://api.replicate.com'),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional().default('https://api.anthropic.com'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional().default('https://api.openai.com'),
  GEMINI_API_KEY: z.string().optional(),
  GEMINI_BASE_URL: z.string().url().optional().default('https://generativelanguage.googleapis.com'),
  CLIPMIX_GA4_MEASUREMENT_ID: z.string().optional(),
  CLIPMIX_GA4_API_SECRET: z.string().optional(),
  CLIPMIX_GA4_BASE_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  secret: string;
  /** Earlier root secrets, accepted for opening envelopes until rotated. */
  previousSecrets: string[];
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  redisUrl: string | undefined;
  workers: number;
  blob:
    | { kind: 'local'; root: string }
    | {
        kind: 's3';
        bucket: string;
        endpoint?: string;
        region: string;
        accessKeyId?: string;
        secretAccessKey?: string;
        forcePathStyle: boolean;
      };
  allowLoopbackUrls: boolean;
  /** Honour X-Forwarded-For (behind a reverse proxy) for the client IP used in rate limits. */
  trustProxy: boolean;
  limits: { uploadBytes: number; mediaSeconds: number; imagePixels: number };
  starterCredits: number;
  /** Credits per job type, on top of the defaults in modules/credits/prices.ts. */
  prices: Record<string, number>;
  jobMaxAttempts: number;
  logLevel: Env['CLIPMIX_LOG_LEVEL'];
  authRateLimitPerMinute: number;
  /** Requests per minute per client IP without a session or key (0 = off); health, metrics and web assets are exempt. */
  ipRateLimitPerMinute: number;
  mail: { from: string; smtpUrl?: string; resendApiKey?: string };
  /** Song generation: the provider used for new `song` jobs, and cloud vendor credentials. */
  songs: {
    provider: 'local' | 'minimax' | 'replicate';
    minimax: { apiKey?: string; baseUrl: string };
    replicate: { apiToken?: string; baseUrl: string };
  };
  /** LLM lyrics writers (the first with a key is used; none → the local template writer). */
  llm: {
    anthropic: { apiKey?: string; baseUrl: string };
    openai: { apiKey?: string; baseUrl: string };
    gemini: { apiKey?: string; baseUrl: string };
  };
  /** GA4 Measurement Protocol (purchase conversions); off unless both are set. */
  ga4: { measurementId: string; apiSecret: string; baseUrl: string } | null;
}

export class ConfigError extends Error {}

/** Parses the environment once. Throws ConfigError with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.CLIPMIX_SONG_PROVIDER === 'minimax' && !e.MINIMAX_API_KEY) {
    throw new ConfigError('invalid configuration:\n  CLIPMIX_SONG_PROVIDER: minimax needs MINIMAX_API_KEY');
  }
  if (e.CLIPMIX_SONG_PROVIDER === 'replicate' && !e.REPLICATE_API_TOKEN) {
    throw new ConfigError('invalid configuration:\n  CLIPMIX_SONG_PROVIDER: replicate needs REPLICATE_API_TOKEN');
  }
  const dataDir = path.resolve(e.CLIPMIX_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    dataDir,
    secret: e.CLIPMIX_SECRET ?? readOrCreateSecret(dataDir),
    previousSecrets: (e.CLIPMIX_SECRET_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'clipmix.sqlite') },
    redisUrl: e.REDIS_URL,
    workers: e.CLIPMIX_WORKERS,
    blob: e.S3_BUCKET
      ? {
          kind: 's3',
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
        }
      : { kind: 'local', root: path.join(dataDir, 'blobs') },
    allowLoopbackUrls: e.CLIPMIX_ALLOW_LOOPBACK_URLS,
    trustProxy: e.CLIPMIX_TRUST_PROXY,
    limits: {
      uploadBytes: e.CLIPMIX_MAX_UPLOAD_MB * 1024 * 1024,
      mediaSeconds: e.CLIPMIX_MAX_MEDIA_SECONDS,
      imagePixels: e.CLIPMIX_MAX_IMAGE_MEGAPIXELS * 1_000_000,
    },
    starterCredits: e.CLIPMIX_STARTER_CREDITS,
    prices: e.CLIPMIX_PRICES,
    jobMaxAttempts: Math.max(1, e.CLIPMIX_JOB_MAX_ATTEMPTS),
    logLevel: e.CLIPMIX_LOG_LEVEL,
    authRateLimitPerMinute: e.CLIPMIX_AUTH_RATE_LIMIT,
    ipRateLimitPerMinute: e.CLIPMIX_IP_RATE_LIMIT,
    mail: { from: e.CLIPMIX_MAIL_FROM, smtpUrl: e.SMTP_URL, resendApiKey: e.RESEND_API_KEY },
    songs: {
      provider: e.CLIPMIX_SONG_PROVIDER,
      minimax: { apiKey: e.MINIMAX_API_KEY || undefined, baseUrl: e.MINIMAX_BASE_URL },
      replicate: { apiToken: e.REPLICATE_API_TOKEN || undefined, baseUrl: e.REPLICATE_BASE_URL },
    },
    llm: {
      anthropic: { apiKey: e.ANTHROPIC_API_KEY || undefined, baseUrl: e.ANTHROPIC_BASE_URL },
      openai: { apiKey: e.OPENAI_API_KEY || undefined, baseUrl: e.OPENAI_BASE_URL },
      gemini: { apiKey: e.GEMINI_API_KEY || undefined, baseUrl: e.GEMINI_BASE_URL },
    },
    ga4:
      e.CLIPMIX_GA4_MEASUREMENT_ID && e.CLIPMIX_GA4_API_SECRET
        ? {
            measurementId: e.CLIPMIX_GA4_MEASUREMENT_ID,
            apiSecret: e.CLIPMIX_GA4_API_SECRET,
            baseUrl: e.CLIPMIX_GA4_BASE_URL ?? 'https://www.google-analytics.com',
          }
        : null,
  };
}

function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
