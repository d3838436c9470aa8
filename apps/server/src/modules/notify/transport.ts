/** How mail leaves the machine. Chosen once at start-up from config (see MailOutbox). */
export interface OutgoingMail {
  /** Outbox row id; used as Message-ID / idempotency key. */
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

export interface MailTransport {
  readonly kind: 'dev' | 'smtp' | 'resend';
  deliver(mail: OutgoingMail): Promise<void>;
}

/** Delivery failed. `permanent` failures (bad address, rejected key) are not retried. */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

/**
 * The development mailbox: nothing leaves the machine. The outbox row itself is the mail; the
 * operator reads it at GET /api/v1/dev/mailbox (and in the web app).
 */
export class DevMailboxTransport implements MailTransport {
  readonly kind = 'dev' as const;
  async deliver(): Promise<void> {}
}

/** `Name <a@b>` → `a@b`; a bare address is returned as is. */
export function addressOf(mailbox: string): string {
  const m = /<([^<>]+)>\s*$/.exec(mailbox);
  return (m ? m[1]! : mailbox).trim();
}
