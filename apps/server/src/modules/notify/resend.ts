import { MailDeliveryError, type MailTransport, type OutgoingMail } from './transport.js';

export interface ResendOptions {
  apiKey: string;
  /** Default https://api.resend.com; tests point it at a local fake. */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Resend's HTTP API: `POST /emails` with a Bearer API key and a JSON body
 * `{from, to, subject, text, html}`; 200 `{id}` on success. The outbox row id is sent as
 * `Idempotency-Key`, so a retry after a timeout never sends the mail twice.
 * 429 and 5xx are retried; other 4xx (bad key, invalid address, unverified domain) are permanent.
 */
export class ResendTransport implements MailTransport {
  readonly kind = 'resend' as const;
  private readonly baseUrl: string;

  constructor(private readonly opts: ResendOptions) {
    this.baseUrl = (opts.baseUrl ?? 'https://api.resend.com').replace(/\/+$/, '');
  }

  async deliver(mail: OutgoingMail): Promise<void> {
    const doFetch = this.opts.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(`${this.baseUrl}/emails`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.opts.apiKey}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': mail.id,
          'User-Agent': 'clipmix',
        },
        body: JSON.stringify({
          from: mail.from,
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
        }),
        redirect: 'error',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new MailDeliveryError(`resend: ${(err as Error).message}`);
    }
    const body = await res.text().catch(() => '');
    if (res.ok) return;
    let message = body.slice(0, 300);
    try {
      const j = JSON.parse(body) as { message?: string; name?: string };
      message = [j.name, j.message].filter(Boolean).join(': ') || message;
    } catch {
      /* not JSON */
    }
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 409;
    throw new MailDeliveryError(`resend: HTTP ${res.status} ${message}`, permanent);
  }
}
