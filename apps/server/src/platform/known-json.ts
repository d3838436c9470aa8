/**
 * JSON texts of deeply frozen plain records, remembered by whoever froze them: the response
 * serialiser (http/fast-serializer.ts) writes such a record from its text instead of walking
 * it again — for values shared by many responses, e.g. a job's parsed input, read by every poll.
 */
const texts = new WeakMap<object, string>();

/**
 * `value` (deeply frozen, never to change) serialises to `text`, its JSON.stringify. Only plain
 * records are remembered (no array, no own `__proto__` key): what the serialiser would write
 * with JSON.stringify anyway.
 */
export function rememberJson(value: object, text: string): void {
  if (!Object.isFrozen(value) || Array.isArray(value) || Object.hasOwn(value, '__proto__')) return;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) texts.set(value, text);
}

/** The remembered text of `value`, if any. */
export function knownJsonOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? texts.get(value) : undefined;
}
