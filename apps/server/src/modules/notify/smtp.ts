import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import { randomBase62 } from '../../platform/ids.js';
import { addressOf, MailDeliveryError, type MailTransport, type OutgoingMail } from './transport.js';

/**
 * A minimal SMTP submission client (RFC 5321/6409), enough for transactional mail:
 * `smtps://user:pass@host:465` (implicit TLS) or `smtp://user:pass@host:587` (STARTTLS when the
 * server offers it). AUTH PLAIN or LOGIN. One connection per message. Credentials are never sent
 * over a cleartext connection to a non-loopback host. Bodies are base64, so no line is ever
 * longer than 76 characters or starts with a dot.
 */
export interface SmtpOptions {
  url: string;
  timeoutMs?: number;
  /** Extra TLS options (tests pass a CA or rejectUnauthorized: false). */
  tls?: tls.ConnectionOptions;
}

interface Reply {
  code: number;
  lines: string[];
}

export class SmtpTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  private readonly url: URL;

  constructor(private readonly opts: SmtpOptions) {
    this.url = new URL(opts.url);
    if (this.url.protocol !== 'smtp:' && this.url.protocol !== 'smtps:') {
      throw new Error('SMTP_URL must start with smtp:// or smtps://');
    }
  }

  async deliver(mail: OutgoingMail): Promise<void> {
    const session = new SmtpSession(this.url, this.opts);
    try {
      await session.send(mail);
    } finally {
      session.close();
    }
  }
}

class SmtpSession {
  private socket!: net.Socket;
  private buffer = '';
  private lines: string[] = [];
  private waiter: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private secure: boolean;
  private readonly host: string;
  private readonly port: number;

  constructor(
    private readonly url: URL,
    private readonly opts: SmtpOptions,
  ) {
    this.secure = url.protocol === 'smtps:';
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port) || (this.secure ? 465 : 587);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.connect();
    this.expect(await this.read(), [220], 'greeting');
    let ehlo = await this.command(`EHLO ${heloName()}`, [250]);
    if (!this.secure && ehlo.lines.some((l) => /^STARTTLS\b/i.test(l))) {
      await this.command('STARTTLS', [220]);
      await this.upgrade();
      ehlo = await this.command(`EHLO ${heloName()}`, [250]);
    }
    const user = decodeURIComponent(this.url.username);
    const pass = decodeURIComponent(this.url.password);
    if (user) {
      if (!this.secure && !isLoopback(this.host)) {
        throw new MailDeliveryError('smtp: refusing to send credentials without TLS', true);
      }
      const auth = ehlo.lines.find((l) => /^AUTH\b/i.test(l)) ?? '';
      if (/\bPLAIN\b/i.test(auth) || !/\bLOGIN\b/i.test(auth)) {
        await this.command(`AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`, 'utf8').toString('base64')}`, [235]);
      } else {
        await this.command('AUTH LOGIN', [334]);
        await this.command(Buffer.from(user, 'utf8').toString('base64'), [334]);
        await this.command(Buffer.from(pass, 'utf8').toString('base64'), [235]);
      }
    }
    const from = addressOf(mail.from);
    const to = addressOf(mail.to);
    if (/[\r\n<>]/.test(from + to)) throw new MailDeliveryError('smtp: invalid address', true);
    await this.command(`MAIL FROM:<${from}>`, [250]);
    await this.command(`RCPT TO:<${to}>`, [250, 251]);
    await this.command('DATA', [354]);
    await this.command(`${buildMessage(mail)}\r\n.`, [250]);
    await this.command('QUIT', [221]).catch(() => {});
  }

  close(): void {
    this.socket?.destroy();
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timeout = this.opts.timeoutMs ?? 30_000;
      const onError = (err: Error) => reject(new MailDeliveryError(`smtp: ${err.message}`));
      const socket = this.secure
        ? tls.connect({ host: this.host, port: this.port, servername: net.isIP(this.host) ? undefined : this.host, ...this.opts.tls }, () => {
            socket.off('error', onError);
            resolve();
          })
        : net.connect({ host: this.host, port: this.port }, () => {
            socket.off('error', onError);
            resolve();
          });
      socket.once('error', onError);
      this.attach(socket, timeout);
    });
  }

  private upgrade(): Promise<void> {
    return new Promise((resolve, reject) => {
      const plain = this.socket;
      plain.removeAllListeners('data');
      plain.setTimeout(0);
      const onError = (err: Error) => reject(new MailDeliveryError(`smtp: STARTTLS failed: ${err.message}`));
      const secure = tls.connect({ socket: plain, servername: net.isIP(this.host) ? undefined : this.host, ...this.opts.tls }, () => {
        secure.off('error', onError);
        this.secure = true;
        resolve();
      });
      secure.once('error', onError);
      this.buffer = '';
      this.lines = [];
      this.attach(secure, this.opts.timeoutMs ?? 30_000);
    });
  }

  private attach(socket: net.Socket, timeoutMs: number): void {
    this.socket = socket;
    socket.setTimeout(timeoutMs, () => this.fail(new MailDeliveryError('smtp: timed out')));
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, i).replace(/\r$/, ''));
        this.buffer = this.buffer.slice(i + 1);
      }
      this.pump();
    });
    socket.on('error', (err) => this.fail(new MailDeliveryError(`smtp: ${err.message}`)));
    socket.on('close', () => this.fail(new MailDeliveryError('smtp: connection closed')));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(err);
  }

  private pump(): void {
    if (!this.waiter) return;
    const end = this.lines.findIndex((l) => /^\d{3}(?: |$)/.test(l));
    if (end < 0) return;
    const lines = this.lines.splice(0, end + 1);
    const code = Number(lines[lines.length - 1]!.slice(0, 3));
    const w = this.waiter;
    this.waiter = null;
    w.resolve({ code, lines: lines.map((l) => l.slice(4)) });
  }

  private read(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.pump();
      if (this.waiter && this.failure) this.fail(this.failure);
    });
  }

  private async command(line: string, ok: number[]): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.expect(await this.read(), ok, line.split(' ')[0] ?? line);
  }

  private expect(reply: Reply, ok: number[], what: string): Reply {
    if (ok.includes(reply.code)) return reply;
    const permanent = reply.code >= 500;
    throw new MailDeliveryError(`smtp: ${what} → ${reply.code} ${reply.lines.join(' ').slice(0, 200)}`, permanent);
  }
}

function heloName(): string {
  const h = os.hostname().replace(/[^A-Za-z0-9.-]/g, '');
  return h || 'localhost';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function encodeWord(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

function encodeMailbox(mailbox: string): string {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(mailbox);
  if (!m || !m[1]) return `<${addressOf(mailbox)}>`;
  const name = m[1].replace(/^"|"$/g, '');
  // eslint-disable-next-line no-control-regex
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeWord(name);
  return `${display} <${m[2]}>`;
}

function base64Lines(s: string): string {
  return (Buffer.from(s, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** RFC 5322 message: headers (CR/LF stripped from values) and a base64 text (+ html) body. */
export function buildMessage(mail: OutgoingMail): string {
  const clean = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const domain = addressOf(mail.from).split('@')[1] ?? 'clipmix.local';
  const headers = [
    `From: ${encodeMailbox(clean(mail.from))}`,
    `To: <${clean(addressOf(mail.to))}>`,
    `Subject: ${encodeWord(clean(mail.subject))}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${clean(mail.id)}@${clean(domain)}>`,
    'MIME-Version: 1.0',
  ];
  if (!mail.html) {
    return [...headers, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(mail.text)].join('\r\n');
  }
  const boundary = `clipmix_${randomBase62(24)}`;
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(mail.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(mail.html),
    `--${boundary}--`,
  ].join('\r\n');
}
