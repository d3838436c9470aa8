/** HTTP helpers for serving file content: single byte ranges and Content-Disposition. */

export type RangeResult =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * Parses a `Range` header for a body of `size` bytes (RFC 9110 §14). Only single ranges are
 * served; multiple ranges, other units and malformed headers are ignored (full response), as the
 * RFC allows. `bytes=a-b`, `bytes=a-`, `bytes=-n`.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return { kind: 'full' };
  const [, a, b] = m;
  if (a === '' && b === '') return { kind: 'full' };
  if (a === '') {
    // Suffix: the last n bytes.
    const n = Number(b);
    if (!Number.isSafeInteger(n)) return { kind: 'full' };
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return { kind: 'full' };
  if (b !== '' && Number(b) < start) return { kind: 'full' }; // invalid spec: ignore the header
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

/**
 * `inline|attachment; filename="ascii"; filename*=UTF-8''pct-encoded` (RFC 6266 / 8187). The
 * quoted fallback has every character outside printable ASCII, and `"` and `\`, replaced.
 */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const clean = filename.replace(/[\u0000-\u001f\u007f]/g, '') || 'file';
  const ascii = clean.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Basename only, no control characters or path separators, at most 255 characters. */
export function sanitizeFilename(name: string | null | undefined): string | null {
  if (!name) return null;
  let s = String(name).normalize('NFC');
  s = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  // Basename under both conventions.
  s = s.split(/[\\/]/).pop() ?? '';
  s = s.replace(/[\u202a-\u202e\u2066-\u2069]/g, ''); // bidi overrides (spoofed extensions)
  s = s.trim().replace(/^\.+/, '').trim();
  if (!s) return null;
  if (s.length > 255) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    let out = '';
    // Whole code points only (no lone surrogate at the cut).
    for (const c of Array.from(s.slice(0, s.length - ext.length))) {
      if (out.length + c.length + ext.length > 255) break;
      out += c;
    }
    s = out + ext;
  }
  return s;
}

/** The extension a stored file of this MIME type gets. */
export function extForMime(mime: string): string {
  const m = mime.split(';')[0]!.trim().toLowerCase();
  return MIME_EXT[m] ?? 'bin';
}

const MIME_EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/gif': 'gif',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/flac': 'flac',
  'audio/aac': 'aac',
  'audio/mp4': 'm4a',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'audio/midi': 'mid',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'application/json': 'json',
  'application/zip': 'zip',
  'text/plain': 'txt',
  'text/vtt': 'vtt',
  'application/x-subrip': 'srt',
  'text/srt': 'srt',
};
