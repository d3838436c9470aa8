import { describe, expect, it } from 'vitest';
import { contentDisposition, extForMime, parseRange, sanitizeFilename } from '../src/modules/media/content.js';

describe('parseRange', () => {
  const size = 1000;
  it.each([
    [undefined, { kind: 'full' }],
    ['bytes=0-0', { kind: 'partial', start: 0, end: 0 }],
    ['bytes=0-499', { kind: 'partial', start: 0, end: 499 }],
    ['bytes=500-', { kind: 'partial', start: 500, end: 999 }],
    ['bytes=-100', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=990-5000', { kind: 'partial', start: 990, end: 999 }],
    [' Bytes = 1 - 2 ', { kind: 'partial', start: 1, end: 2 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=1000-1001', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=5-1', { kind: 'full' }],
    ['bytes=0-1,3-4', { kind: 'full' }],
    ['bytes=-', { kind: 'full' }],
    ['bytes=a-b', { kind: 'full' }],
    ['pages=1-2', { kind: 'full' }],
    ['bytes=99999999999999999999-', { kind: 'full' }],
  ])('%s', (header, expected) => {
    expect(parseRange(header as string | undefined, size)).toEqual(expected);
  });
  it('treats every range of an empty body as unsatisfiable', () => {
    expect(parseRange('bytes=0-', 0).kind).toBe('unsatisfiable');
    expect(parseRange('bytes=-1', 0).kind).toBe('unsatisfiable');
  });
});

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd.png', 'passwd.png'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['C:\\Users\\me\\photo.jpg', 'photo.jpg'],
    ['a\u0000b\u0007c\r\n.mp3', 'abc.mp3'],
    ['evil\u202egpj.exe', 'evilgpj.exe'],
    ['.hidden', 'hidden'],
    ['..', null],
    ['/', null],
    ['', null],
    [null, null],
    ['  spaced name.wav  ', 'spaced name.wav'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });
  it('keeps at most 255 characters and the extension', () => {
    const s = sanitizeFilename(`${'x'.repeat(400)}.flac`)!;
    expect(s).toHaveLength(255);
    expect(s.endsWith('.flac')).toBe(true);
    const emoji = sanitizeFilename(`${'😀'.repeat(200)}.mp3`)!;
    expect(emoji.length).toBeLessThanOrEqual(255);
    expect(emoji.endsWith('.mp3')).toBe(true);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('contentDisposition', () => {
  it('quotes an ASCII fallback and adds the UTF-8 form', () => {
    expect(contentDisposition('inline', 'song.mp3')).toBe(`inline; filename="song.mp3"; filename*=UTF-8''song.mp3`);
    expect(contentDisposition('attachment', 'a "b"\\c;d.png')).toBe(`attachment; filename="a _b__c_d.png"; filename*=UTF-8''a%20%22b%22%5Cc%3Bd.png`);
    expect(contentDisposition('inline', 'Grüße\r\n.wav')).toBe(`inline; filename="Gr__e.wav"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.wav`);
    expect(contentDisposition('inline', "it's (1).mp3")).toContain(`filename*=UTF-8''it%27s%20%281%29.mp3`);
  });
});

describe('extForMime', () => {
  it('maps stored types to extensions', () => {
    expect(extForMime('image/webp')).toBe('webp');
    expect(extForMime('application/json; charset=utf-8')).toBe('json');
    expect(extForMime('application/x-unknown')).toBe('bin');
  });
});
