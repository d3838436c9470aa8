/**
 * Transactional email templates in every UI language. The recipient's locale picks the
 * language; the caller passes plain values, which are HTML-escaped here.
 */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

/** `es-MX`, `ES`, `es_ES` → `es`; anything unsupported → undefined. */
export function toLocale(value: string | undefined | null): Locale | undefined {
  const tag = (value ?? '').trim().toLowerCase().split(/[-_;,]/)[0];
  return (LOCALES as readonly string[]).includes(tag ?? '') ? (tag as Locale) : undefined;
}

/** First supported language of an Accept-Language header, by q-value. */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const r of ranked) {
    const l = toLocale(r.tag);
    if (l && r.q > 0) return l;
  }
  return undefined;
}

export type MailTemplate =
  | 'verify_email'
  | 'password_reset'
  | 'email_change_confirm'
  | 'email_change_notice'
  | 'email_change_taken'
  | 'signup_existing_account';

export interface TemplateVars {
  name?: string;
  link?: string;
  new_email?: string;
  login_link?: string;
  reset_link?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Copy {
  subject: string;
  /** Paragraphs; `{name}`, `{new_email}` are substituted. */
  paragraphs: string[];
  /** Call to action: label and which link var it points at. */
  action?: { label: string; link: keyof TemplateVars };
  footer?: string;
}

type Catalogue = Record<MailTemplate, Copy>;

const en: Catalogue = {
  verify_email: {
    subject: 'Confirm your email address',
    paragraphs: ['Hi {name},', 'Welcome to ClipMix! Please confirm your email address. The link works for 24 hours.'],
    action: { label: 'Confirm email address', link: 'link' },
    footer: "If you didn't create a ClipMix account, you can ignore this email.",
  },
  password_reset: {
    subject: 'Reset your password',
    paragraphs: ['Hi {name},', 'Someone asked to reset the password of your ClipMix account. The link works for 1 hour and only once.'],
    action: { label: 'Choose a new password', link: 'link' },
    footer: "If it wasn't you, ignore this email: your password stays the same.",
  },
  email_change_confirm: {
    subject: 'Confirm your new email address',
    paragraphs: ['Hi {name},', 'Please confirm that {new_email} should become the email address of your ClipMix account. The link works for 24 hours.'],
    action: { label: 'Confirm new address', link: 'link' },
    footer: "If you didn't ask for this, ignore this email and nothing changes.",
  },
  email_change_notice: {
    subject: 'Your email address is being changed',
    paragraphs: [
      'Hi {name},',
      'Someone signed in to your ClipMix account asked to change its email address to {new_email}. The change happens only when the new address is confirmed.',
    ],
    action: { label: 'Reset your password', link: 'reset_link' },
    footer: "If this wasn't you, reset your password now to keep your account safe.",
  },
  email_change_taken: {
    subject: 'Someone tried to use your email address',
    paragraphs: [
      'Hi {name},',
      'Someone tried to change the email address of another ClipMix account to this address. Nothing changed in your account.',
    ],
    action: { label: 'Sign in', link: 'login_link' },
    footer: 'No action is needed. If you are worried, you can reset your password after signing in.',
  },
  signup_existing_account: {
    subject: 'Someone tried to sign up with your email address',
    paragraphs: [
      'Hi {name},',
      'Someone tried to create a new ClipMix account with this email address, but you already have one.',
      'If it was you, sign in, or reset your password if you forgot it.',
    ],
    action: { label: 'Reset your password', link: 'reset_link' },
    footer: "If it wasn't you, you can ignore this email. Your account has not changed.",
  },
};

const es: Catalogue = {
  verify_email: {
    subject: 'Confirma tu dirección de correo',
    paragraphs: ['Hola, {name}:', '¡Te damos la bienvenida a ClipMix! Confirma tu dirección de correo. El enlace es válido durante 24 horas.'],
    action: { label: 'Confirmar dirección de correo', link: 'link' },
    footer: 'Si no has creado una cuenta de ClipMix, puedes ignorar este mensaje.',
  },
  password_reset: {
    subject: 'Restablece tu contraseña',
    paragraphs: [
      'Hola, {name}:',
      'Alguien ha pedido restablecer la contraseña de tu cuenta de ClipMix. El enlace es válido durante 1 hora y solo una vez.',
    ],
    action: { label: 'Elegir una contraseña nueva', link: 'link' },
    footer: 'Si no has sido tú, ignora este mensaje: tu contraseña no cambia.',
  },
  email_change_confirm: {
    subject: 'Confirma tu nueva dirección de correo',
    paragraphs: [
      'Hola, {name}:',
      'Confirma que {new_email} será la dirección de correo de tu cuenta de ClipMix. El enlace es válido durante 24 horas.',
    ],
    action: { label: 'Confirmar nueva dirección', link: 'link' },
    footer: 'Si no lo has pedido tú, ignora este mensaje y no cambiará nada.',
  },
  email_change_notice: {
    subject: 'Se está cambiando tu dirección de correo',
    paragraphs: [
      'Hola, {name}:',
      'Alguien con sesión iniciada en tu cuenta de ClipMix ha pedido cambiar su dirección de correo a {new_email}. El cambio solo se hará cuando se confirme la nueva dirección.',
    ],
    action: { label: 'Restablecer tu contraseña', link: 'reset_link' },
    footer: 'Si no has sido tú, restablece tu contraseña ahora para proteger tu cuenta.',
  },
  email_change_taken: {
    subject: 'Alguien ha intentado usar tu dirección de correo',
    paragraphs: [
      'Hola, {name}:',
      'Alguien ha intentado cambiar la dirección de correo de otra cuenta de ClipMix a esta dirección. Tu cuenta no ha cambiado.',
    ],
    action: { label: 'Iniciar sesión', link: 'login_link' },
    footer: 'No tienes que hacer nada. Si te preocupa, puedes restablecer tu contraseña tras iniciar sesión.',
  },
  signup_existing_account: {
    subject: 'Alguien ha intentado registrarse con tu dirección de correo',
    paragraphs: [
      'Hola, {name}:',
      'Alguien ha intentado crear una cuenta nueva de ClipMix con esta dirección de correo, pero ya tienes una.',
      'Si has sido tú, inicia sesión o restablece tu contraseña si la has olvidado.',
    ],
    action: { label: 'Restablecer tu contraseña', link: 'reset_link' },
    footer: 'Si no has sido tú, puedes ignorar este mensaje. Tu cuenta no ha cambiado.',
  },
};

const CATALOGUES: Record<Locale, Catalogue> = { en, es };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function fill(s: string, vars: TemplateVars, esc: (s: string) => string): string {
  return s.replace(/\{(name|new_email)\}/g, (_m, k: 'name' | 'new_email') => esc(vars[k] ?? ''));
}

export function renderMail(template: MailTemplate, locale: Locale, vars: TemplateVars): RenderedMail {
  const copy = (CATALOGUES[locale] ?? en)[template];
  const id = (s: string) => s;
  const link = copy.action ? vars[copy.action.link] : undefined;

  const textParts = copy.paragraphs.map((p) => fill(p, vars, id));
  if (copy.action && link) textParts.push(`${copy.action.label}:\n${link}`);
  if (copy.footer) textParts.push(copy.footer);
  textParts.push('— ClipMix');

  const htmlParts = copy.paragraphs.map((p) => `<p>${fill(p, vars, escapeHtml)}</p>`);
  if (copy.action && link) {
    const href = escapeHtml(link);
    htmlParts.push(
      `<p><a href="${href}" style="display:inline-block;padding:10px 18px;background:#6d28d9;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(copy.action.label)}</a></p>`,
      `<p style="font-size:12px;color:#555">${href}</p>`,
    );
  }
  if (copy.footer) htmlParts.push(`<p style="font-size:13px;color:#555">${escapeHtml(copy.footer)}</p>`);
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">${htmlParts.join('')}<p>— ClipMix</p></body></html>`;

  return { subject: copy.subject, text: textParts.join('\n\n') + '\n', html };
}
