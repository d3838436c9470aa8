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

export type FileKind = 'audio' | 'image' | 'video';

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
  input: Record<string, unknown> | null;
  output: { files: JobOutputFile[]; size_bytes: number } | null;
  error: { code: string; message: string } | null;
  credits_charged: number;
  provider: string | null;
  attempts: number;
}

export interface LedgerEntry {
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
