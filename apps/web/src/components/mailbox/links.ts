import type { MailMessage } from '../../api/types';

/** Pages of this app that emails link to; followed inside the app, whatever host the email names. */
export const APP_LINK_PATHS = ['/verify-email', '/reset-password', '/confirm-email-change', '/login', '/signup', '/'];

const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+/g;

export interface MailLink {
  href: string;
  label: string;
  /** Set when the link points at a page of this app: path + query to navigate to. */
  internal: string | null;
}

function toLink(href: string, label: string): MailLink | null {
  let url: URL;
  try {
    url = new URL(href, window.location.origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const internal = APP_LINK_PATHS.includes(url.pathname) && url.pathname !== '/' ? url.pathname + url.search : null;
  return { href: url.toString(), label: label.trim() || url.toString(), internal };
}

/** Every http(s) link in a message: anchors of the HTML part, then bare URLs of the text part. */
export function extractLinks(message: MailMessage): MailLink[] {
  const found: MailLink[] = [];
  const seen = new Set<string>();
  const push = (link: MailLink | null) => {
    if (link && !seen.has(link.href)) {
      seen.add(link.href);
      found.push(link);
    }
  };
  if (message.html) {
    const doc = new DOMParser().parseFromString(message.html, 'text/html');
    doc.querySelectorAll('a[href]').forEach((a) => push(toLink(a.getAttribute('href') ?? '', a.textContent ?? '')));
  }
  for (const match of message.text.matchAll(URL_RE)) push(toLink(match[0], ''));
  return found;
}

/** Splits text into plain parts and URLs, for rendering clickable links. */
export function splitText(text: string): Array<{ text: string; url: boolean }> {
  const parts: Array<{ text: string; url: boolean }> = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ text: text.slice(last, index), url: false });
    parts.push({ text: match[0], url: true });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), url: false });
  return parts;
}

export function normalizeHref(href: string): string {
  try {
    return new URL(href, window.location.origin).toString();
  } catch {
    return href;
  }
}
