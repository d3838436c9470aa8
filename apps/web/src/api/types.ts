/** Resources of the ClipMix API (`/api/v1`), exactly as the server returns them (snake_case). */

export type Locale = 'en' | 'es';

export interface User {
  object: 'user';
  id: string;
  email: string;
  name: string;
  email_verified: boolean;
  locale: Locale;
  credits_balance: number;
  created_at: string;
}

export interface Session {
  user: User;
  csrf_token: string;
}

export interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** `other`: neither audio, image nor video (e.g. a timeline JSON or subtitles a job wrote). */
export type FileKind = 'audio' | 'image' | 'video' | 'other';

export interface FileObject {
  object: 'file';
  id: string;
  kind: FileKind;
  purpose: string | null;
  mime: string;
  size_bytes: number;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  filename: string;
  status: 'processing' | 'ready';
  thumbnail_url: string | null;
  waveform_url: string | null;
  content_url: string;
  processing_job: string | null;
  /** The job that produced this file. */
  job: string | null;
  /** Output role for job outputs and derived files (thumbnail, waveform, video, …). */
  role: string | null;
  /** The upload a thumbnail or waveform was derived from. */
  parent_file: string | null;
  created_at: string;
}

export interface Waveform {
  /** Interleaved min,max pairs in -1..1. */
  peaks: number[];
  duration_seconds: number;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface JobOutputFile {
  file: string;
  role: string;
}

export interface Job {
  object: 'job';
  id: string;
  type: string;
  status: JobStatus;
  progress: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  livemode: boolean;
  input: Record<string, unknown>;
  output: { files: JobOutputFile[]; size_bytes: number } | null;
  error: { code: string; message: string } | null;
  credits_charged: number;
  /** What runs (or ran) the job, e.g. `local-ffmpeg`; local providers say what they are. */
  provider: string;
  attempts: number;
}

export interface LedgerEntry {
  object: 'credit_transaction';
  id: string;
  delta: number;
  balance_after: number;
  reason: string;
  job_id: string | null;
  created_at: string;
}

export interface CreditBalance {
  object: 'credit_balance';
  balance: number;
  ledger: List<LedgerEntry>;
}

export interface MailMessage {
  object: 'mail_message';
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  template: string;
  created_at: string;
}

export interface ProblemDetails {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  request_id?: string;
  errors?: Array<{ param: string; message: string }>;
}

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];

export function isJobActive(status: JobStatus): boolean {
  return status === 'queued' || status === 'running';
}

export type ApiScope = 'files:read' | 'files:write' | 'jobs:read' | 'jobs:write' | 'logs:read' | 'account:read';

export const API_SCOPES: readonly ApiScope[] = ['files:read', 'files:write', 'jobs:read', 'jobs:write', 'logs:read', 'account:read'];

export interface ApiKey {
  object: 'api_key';
  id: string;
  name: string;
  /** The first 12 characters of the secret, e.g. `sk_live_AbCd`. */
  prefix: string;
  livemode: boolean;
  scopes: ApiScope[];
  rate_limit_per_minute: number;
  callback_url: string | null;
  callback_disabled_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Only in the creation response: the secrets are shown once. */
export interface CreatedApiKey extends ApiKey {
  secret: string;
  webhook_secret: string | null;
}

export interface CreateApiKeyInput {
  name: string;
  scopes?: ApiScope[];
  rate_limit_per_minute?: number;
  callback_url?: string | null;
  expires_at?: string | null;
  livemode?: boolean;
}

export interface RequestLog {
  object: 'request_log';
  id: string;
  request_id: string;
  api_key: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  credits_charged: number;
  livemode: boolean;
  idempotent_replayed: boolean;
  /** HMAC-SHA256 of the client IP with this deployment's salt (never the raw IP). */
  ip_hash: string;
  created_at: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookAttempt {
  object: 'webhook_attempt';
  attempt: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  duration_ms: number;
  created_at: string;
}

export interface WebhookDelivery {
  object: 'webhook_delivery';
  id: string;
  event_id: string;
  event_type: string;
  api_key: string;
  job: string | null;
  url: string;
  status: DeliveryStatus;
  attempt_count: number;
  max_attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  replay_of: string | null;
  livemode: boolean;
  payload: unknown;
  created_at: string;
  delivered_at: string | null;
  attempts: WebhookAttempt[];
}
