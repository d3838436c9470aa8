import type { AppContext } from '../../app.js';
import type { Config } from '../../config/env.js';
import { iso } from '../../platform/clock.js';
import type { Row } from '../../platform/db/schema.js';
import { paginate, type Cursor } from '../../platform/db/paginate.js';
import { newId } from '../../platform/ids.js';
import { ResendTransport } from './resend.js';
import { SmtpTransport } from './smtp.js';
import { renderMail, type Locale, type MailTemplate, type TemplateVars } from './templates.js';
import { DevMailboxTransport, MailDeliveryError, type MailTransport } from './transport.js';

export interface SendMailInput {
  /** The user the mail belongs to (deleted with their account). */
  userId?: string | null;
  to: string;
  template: string;
  subject: string;
  text: string;
  html?: string | null;
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

/** Delays before the 2nd, 3rd, … delivery attempt; after the last one the mail is 'failed'. */
const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000];

/** Resend when RESEND_API_KEY is set, else SMTP when SMTP_URL is set, else the dev mailbox. */
export function createMailTransport(mail: Config['mail']): MailTransport {
  if (mail.resendApiKey) return new ResendTransport({ apiKey: mail.resendApiKey });
  if (mail.smtpUrl) return new SmtpTransport({ url: mail.smtpUrl });
  return new DevMailboxTransport();
}

/**
 * Transactional mail goes through an outbox: every message is a `mail_outbox` row first, then
 * delivered by the configured transport. With the dev mailbox the row is the delivery (status
 * 'sent' at once). With SMTP/Resend, delivery runs in the background so no request waits for a
 * mail server; failures are retried with backoff, permanent ones marked 'failed'.
 */
export class MailOutbox {
  readonly transport: MailTransport;
  private readonly inflight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    opts: { transport?: MailTransport } = {},
  ) {
    this.transport = opts.transport ?? createMailTransport(ctx.config.mail);
  }

  /** True when mail stays on this machine and GET /dev/mailbox serves it. */
  get isDevMailbox(): boolean {
    return this.transport.kind === 'dev';
  }

  /** Queues one message and returns its id. Never throws for delivery problems. */
  async send(input: SendMailInput): Promise<string> {
    const id = newId('mail');
    const now = iso(this.ctx.clock.now());
    const dev = this.isDevMailbox;
    await this.ctx.db
      .insertInto('mail_outbox')
      .values({
        id,
        user_id: input.userId ?? null,
        to_address: input.to,
        subject: input.subject,
        text_body: input.text,
        html_body: input.html ?? null,
        template: input.template,
        status: dev ? 'sent' : 'pending',
        attempts: dev ? 1 : 0,
        error: null,
        sent_at: dev ? now : null,
        created_at: now,
      })
      .execute();
    if (!dev) this.track(this.attempt(id));
    return id;
  }

  /** Renders a template in the recipient's language and sends it. */
  async sendTemplate(input: {
    userId?: string | null;
    to: string;
    template: MailTemplate;
    locale: Locale;
    vars: TemplateVars;
  }): Promise<string> {
    const rendered = renderMail(input.template, input.locale, input.vars);
    return this.send({ userId: input.userId, to: input.to, template: input.template, ...rendered });
  }

  /** Retries every pending message now (after a restart, or from a periodic job). */
  async drain(): Promise<number> {
    if (this.isDevMailbox) return 0;
    const rows = await this.ctx.db.selectFrom('mail_outbox').select('id').where('status', '=', 'pending').orderBy('created_at').limit(500).execute();
    await Promise.all(rows.map((r) => this.attempt(r.id)));
    return rows.length;
  }

  /** Resolves when no delivery is running (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** Cancels scheduled retries; pending rows stay pending for drain(). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.idle();
  }

  /** Newest first, for the dev mailbox. */
  async list(cursor: Cursor, to?: string): Promise<{ data: MailMessage[]; hasMore: boolean }> {
    let q = this.ctx.db.selectFrom('mail_outbox').selectAll();
    if (to) q = q.where('to_address', '=', to.trim().toLowerCase());
    const { rows, hasMore } = await paginate(q, 'mail_outbox', cursor, (id) =>
      this.ctx.db.selectFrom('mail_outbox').select(['id', 'created_at']).where('id', '=', id).executeTakeFirst(),
    );
    return { data: rows.map(toMessage), hasMore };
  }

  private track(p: Promise<void>): void {
    const tracked = p.finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }

  private async attempt(id: string): Promise<void> {
    try {
      const row = await this.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || row.status !== 'pending') return;
      // Claim this attempt (another process draining the outbox sees attempts changed).
      const claimed = await this.ctx.db
        .updateTable('mail_outbox')
        .set({ attempts: row.attempts + 1 })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('attempts', '=', row.attempts)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return;
      const attempts = row.attempts + 1;
      try {
        await this.transport.deliver({
          id: row.id,
          from: this.ctx.config.mail.from,
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
        });
        await this.ctx.db
          .updateTable('mail_outbox')
          .set({ status: 'sent', sent_at: iso(this.ctx.clock.now()), error: null })
          .where('id', '=', id)
          .execute();
      } catch (err) {
        const permanent = err instanceof MailDeliveryError && err.permanent;
        const delay = RETRY_DELAYS_MS[attempts - 1];
        const giveUp = permanent || delay === undefined;
        const message = (err as Error).message.slice(0, 500);
        await this.ctx.db
          .updateTable('mail_outbox')
          .set({ status: giveUp ? 'failed' : 'pending', error: message })
          .where('id', '=', id)
          .execute();
        this.ctx.logger.warn({ mail_id: id, attempts, err: message }, giveUp ? 'mail delivery failed' : 'mail delivery will be retried');
        if (!giveUp) this.schedule(id, delay);
      }
    } catch (err) {
      this.ctx.logger.error({ mail_id: id, err: (err as Error).message }, 'mail outbox error');
    }
  }

  private schedule(id: string, delayMs: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.track(this.attempt(id));
    }, delayMs);
    t.unref();
    this.timers.add(t);
  }
}

function toMessage(r: Row<'mail_outbox'>): MailMessage {
  return {
    object: 'mail_message',
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    template: r.template,
    created_at: r.created_at,
  };
}

