/** Edit list validation (pure): every bad input of the issue gives a clear issue naming the operation and field. */
import { describe, expect, it } from 'vitest';
import { editedDuration } from '../src/editor/duration.js';
import { EDIT_FILTERS } from '../src/editor/filters.js';
import { validateEditList } from '../src/editor/validate.js';
import type { EditIssue, EditOperation } from '../src/editor/types.js';

const ctx = { sourceCount: 2, sourceKeys: ['music'], durations: [10, 4], keyDurations: { music: 30 }, frame: { width: 640, height: 360 } };

function issuesOf(input: unknown, c: Parameters<typeof validateEditList>[1] = ctx): EditIssue[] {
  const r = validateEditList(input, c);
  if (r.ok) throw new Error(`expected issues for ${JSON.stringify(input).slice(0, 200)}`);
  return r.issues;
}

describe('validateEditList', () => {
  it('accepts a full edit list and normalises it', () => {
    const ops = [
      { type: 'trim', start: 1, end: 9 },
      { type: 'cut', start: 2, end: 3 },
      { type: 'concat', inputs: [1, 'music'] },
      { type: 'text', text: 'Hello\r\nworld', start: 0, end: 2, position: { x: 0.1, y: 0.8 }, font: 'serif', size: 48, color: '#ff0000', outline: true, shadow: false, animation: 'slide', extra: 'ignored' },
      { type: 'filter', name: 'vhs', intensity: 0.5 },
      { type: 'crop', aspect: '9:16' },
      { type: 'rotate', degrees: 270 },
      { type: 'flip', direction: 'vertical' },
      { type: 'speed', factor: 0.25 },
      { type: 'audio', mode: 'mix', file: 'music', volume: 0.5, duck: true },
      { type: 'fade', in: 1, out: 1 },
      { type: 'resize', resolution: '720p' },
    ];
    const r = validateEditList({ version: 1, operations: ops }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.operations).toHaveLength(12);
    expect(r.operations[3]).toEqual({ type: 'text', text: 'Hello\nworld', start: 0, end: 2, position: { x: 0.1, y: 0.8 }, font: 'serif', size: 48, color: '#ff0000', outline: true, shadow: false, animation: 'slide' });
  });

  it('times outside the video, judged against the edit at that operation', () => {
    expect(issuesOf([{ type: 'trim', start: 0, end: 12 }])).toEqual([
      { index: 0, op: 'trim', field: 'end', message: 'operation 0 (trim): end (12) is past the end of the video, which lasts 10 s at this point' },
    ]);
    // After trimming to 4 s, a text at 5–6 s is outside.
    const [issue] = issuesOf([{ type: 'trim', start: 2, end: 6 }, { type: 'text', text: 'x', start: 5, end: 6, position: 'top' }]);
    expect(issue).toMatchObject({ index: 1, op: 'text', field: 'start' });
    expect(issue!.message).toContain('4 s at this point');
    // After concat the edit is longer: 10 + 4 s.
    expect(validateEditList([{ type: 'concat', inputs: [1] }, { type: 'cut', start: 11, end: 13 }], ctx).ok).toBe(true);
    // After speed 2 the 10 s edit lasts 5 s.
    expect(issuesOf([{ type: 'speed', factor: 2 }, { type: 'trim', start: 0, end: 6 }])[0]).toMatchObject({ index: 1, field: 'end' });
    expect(issuesOf([{ type: 'cut', start: 0, end: 10 }])[0]!.message).toContain('remove the whole video');
  });

  it('end before or at start', () => {
    expect(issuesOf([{ type: 'cut', start: 5, end: 3 }])[0]).toEqual({ index: 0, op: 'cut', field: 'end', message: 'operation 0 (cut): end (3) must be after start (5)' });
    expect(issuesOf([{ type: 'text', text: 'a', start: 2, end: 2, position: 'top' }])[0]).toMatchObject({ index: 0, op: 'text', field: 'end' });
  });

  it('speed 0 and 100', () => {
    expect(issuesOf([{ type: 'speed', factor: 0 }])[0]).toEqual({ index: 0, op: 'speed', field: 'factor', message: 'operation 0 (speed): factor must be at least 0.25, got 0' });
    expect(issuesOf([{ type: 'speed', factor: 100 }])[0]).toEqual({ index: 0, op: 'speed', field: 'factor', message: 'operation 0 (speed): factor must be at most 4, got 100' });
  });

  it('crop outside the frame (tracking earlier crops and rotations)', () => {
    expect(issuesOf([{ type: 'crop', x: 600, y: 0, width: 100, height: 100 }])[0]).toMatchObject({ index: 0, op: 'crop', field: 'width' });
    expect(issuesOf([{ type: 'crop', x: 0, y: 300, width: 100, height: 100 }])[0]!.message).toContain('360 pixels high');
    // After rotate 90 the frame is 360×640: y 300 + 100 fits, x 300 + 100 does not.
    expect(validateEditList([{ type: 'rotate', degrees: 90 }, { type: 'crop', x: 0, y: 300, width: 100, height: 100 }], ctx).ok).toBe(true);
    expect(issuesOf([{ type: 'rotate', degrees: 90 }, { type: 'crop', x: 300, y: 0, width: 100, height: 100 }])[0]).toMatchObject({ index: 1, field: 'width' });
    expect(issuesOf([{ type: 'crop', aspect: '1:1', x: 0, y: 0, width: 10, height: 10 }])[0]).toMatchObject({ field: 'aspect' });
    expect(issuesOf([{ type: 'crop', aspect: '3:2' }])[0]).toMatchObject({ field: 'aspect' });
  });

  it('unknown filter lists the valid ones', () => {
    const [issue] = issuesOf([{ type: 'filter', name: 'sparkle' }]);
    expect(issue).toMatchObject({ index: 0, op: 'filter', field: 'name' });
    for (const f of EDIT_FILTERS) expect(issue!.message).toContain(f.name);
    expect(EDIT_FILTERS.length).toBeGreaterThanOrEqual(12);
    for (const name of ['bw', 'sepia', 'vintage', 'vivid', 'warm', 'cool', 'blur', 'sharpen', 'vignette', 'grain', 'vhs', 'fade_black']) {
      expect(EDIT_FILTERS.map((f) => f.name)).toContain(name);
    }
  });

  it('10,000 operations are rejected at once, without validating each', () => {
    const many = Array.from({ length: 10_000 }, () => ({ type: 'filter', name: 'bw' }));
    expect(issuesOf(many)).toEqual([{ index: null, op: null, field: 'operations', message: 'an edit list may have at most 1000 operations, got 10000' }]);
    expect(validateEditList(many.slice(0, 1000), ctx).ok).toBe(true);
  });

  it('text of 1 MB (and 1,001 characters) is rejected without echoing it', () => {
    const [big] = issuesOf([{ type: 'text', text: 'x'.repeat(1_000_000), start: 0, end: 1, position: 'top' }]);
    expect(big).toMatchObject({ index: 0, op: 'text', field: 'text' });
    expect(big!.message.length).toBeLessThan(200);
    expect(issuesOf([{ type: 'text', text: '漢'.repeat(1001), start: 0, end: 1, position: 'top' }])[0]!.message).toContain('1001 characters');
    // 1,000 characters of astral emoji (2,000 UTF-16 units) are fine.
    expect(validateEditList([{ type: 'text', text: '😀'.repeat(1000), start: 0, end: 1, position: 'top' }], ctx).ok).toBe(true);
    expect(issuesOf([{ type: 'text', text: 'a\u0000b', start: 0, end: 1, position: 'top' }])[0]).toMatchObject({ field: 'text' });
    expect(issuesOf([{ type: 'text', text: '  \n ', start: 0, end: 1, position: 'top' }])[0]!.message).toContain('empty');
  });

  it('NaN, numeric strings, negative numbers, null', () => {
    expect(issuesOf([{ type: 'trim', start: Number.NaN, end: 2 }])[0]).toEqual({ index: 0, op: 'trim', field: 'start', message: 'operation 0 (trim): start must be a finite number, got NaN' });
    expect(issuesOf([{ type: 'trim', start: '1', end: 2 }])[0]!.message).toBe('operation 0 (trim): start must be a number, got the string "1"');
    expect(issuesOf([{ type: 'trim', start: -1, end: 2 }])[0]!.message).toBe('operation 0 (trim): start must not be negative, got -1');
    expect(issuesOf([{ type: 'fade', in: -2 }])[0]).toMatchObject({ field: 'in' });
    expect(issuesOf([{ type: 'speed', factor: Infinity }])[0]).toMatchObject({ field: 'factor' });
    expect(issuesOf([{ type: 'filter', name: 'bw', intensity: 2 }])[0]).toMatchObject({ field: 'intensity' });
    expect(issuesOf([null])[0]).toMatchObject({ index: 0, field: 'type' });
    expect(issuesOf('trim')[0]).toMatchObject({ index: null, field: 'operations' });
    expect(issuesOf({ version: 2, operations: [] })[0]).toMatchObject({ index: null, field: 'version' });
  });

  it('every problem is reported, each with its index', () => {
    const issues = issuesOf([
      { type: 'trim', start: 0, end: 5 },
      { type: 'blur' },
      { type: 'text', text: 'ok', start: 0, end: 1, position: 'middle', color: 'rgb(1,2,3)', font: 'Comic Sans' },
      { type: 'concat', inputs: [5, 'nope'] },
      { type: 'audio', mode: 'replace' },
      { type: 'rotate', degrees: 45 },
    ]);
    expect(issues.map((i) => [i.index, i.field])).toEqual([
      [1, 'type'],
      [2, 'position'],
      [2, 'font'],
      [2, 'color'],
      [3, 'inputs[0]'],
      [3, 'inputs[1]'],
      [4, 'file'],
      [5, 'degrees'],
    ]);
    expect(issues[0]!.message).toContain('valid types: trim, cut, concat');
    expect(issues[4]!.message).toBe('operation 3 (concat): inputs[0] is source 5, but there are 2 sources');
    expect(issues[5]!.message).toContain('known keys: "music"');
  });

  it('without durations, only relative checks apply', () => {
    expect(validateEditList([{ type: 'trim', start: 100, end: 200 }]).ok).toBe(true);
    expect(validateEditList([{ type: 'trim', start: 2, end: 1 }]).ok).toBe(false);
  });
});

describe('editedDuration', () => {
  it('follows trim, cut, concat and speed', () => {
    const ops: EditOperation[] = [
      { type: 'trim', start: 1, end: 9 },
      { type: 'cut', start: 2, end: 3 },
      { type: 'concat', inputs: [1] },
      { type: 'speed', factor: 2 },
      { type: 'text', text: 'x', start: 0, end: 1, position: 'top' },
    ];
    expect(editedDuration(ops, [10, 4])).toBeCloseTo((8 - 1 + 4) / 2, 9);
    expect(editedDuration([{ type: 'concat', inputs: ['m'] }], [10], { m: 2.5 })).toBeCloseTo(12.5, 9);
    expect(() => editedDuration([{ type: 'concat', inputs: ['m'] }], [10])).toThrow(/no duration/);
  });
});
