import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler, validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import { $ZodType } from 'zod/v4/core';
import { knownJsonOf } from '../platform/known-json.js';

/**
 * Response serialisation compiled once per route from the route's zod response schema.
 *
 * fastify-type-provider-zod serialises a response by running `z.encode` (validation plus a
 * stripped copy of the value) and then `JSON.stringify` of the copy — per request. For the plain
 * schema shapes responses use (objects, arrays, strings, numbers, booleans, literals, enums,
 * nullable, optional properties, records of unknown values), this compiles the schema into a
 * serializer that checks the same rules while writing the JSON directly: no copy, one pass.
 *
 * It is exact by construction: the fast path either proves the value valid for the schema and
 * writes what `JSON.stringify(z.encode(schema, value))` would write, or gives up; giving up
 * (an invalid value, or anything it is not sure about) hands the value to the zod serializer,
 * which then answers as before (including its ResponseSerializationError → 500). A schema with
 * anything this does not understand (unions, transforms, defaults, string formats, …) is left
 * to the zod serializer entirely. The OpenAPI document is generated from the same zod schemas.
 */

/** The value is invalid, or the fast path is unsure: ask zod. */
const FAIL = null;
/** An object property to leave out (as JSON.stringify leaves out undefined and functions). */
const OMIT = undefined;
type Out = string | typeof FAIL | typeof OMIT;
type Writer = (v: unknown) => Out;

class Unsupported extends Error {}

/** Characters JSON.stringify escapes in a string (controls, quote, backslash, lone surrogates). */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** JSON.stringify(s) for a string: most need no escaping, and then no call into the runtime. */
const quote = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

interface Def {
  type: string;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  format?: string;
  check?: string;
  values?: unknown[];
  entries?: Record<string, unknown>;
  innerType?: $ZodType;
  shape?: Record<string, $ZodType>;
  catchall?: $ZodType;
  element?: $ZodType;
  keyType?: $ZodType;
  valueType?: $ZodType;
}

const defOf = (s: $ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function numberWriter(def: Def): Writer {
  let int = false;
  let min = -Infinity;
  let minInclusive = true;
  let max = Infinity;
  let maxInclusive = true;
  const formats: unknown[] = [];
  if (def.format !== undefined) formats.push(def.format);
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'number_format') formats.push(d.format);
    else if (d.check === 'greater_than' && typeof d.value === 'number') {
      if (d.value > min || (d.value === min && !d.inclusive)) [min, minInclusive] = [d.value, Boolean(d.inclusive)];
    } else if (d.check === 'less_than' && typeof d.value === 'number') {
      if (d.value < max || (d.value === max && !d.inclusive)) [max, maxInclusive] = [d.value, Boolean(d.inclusive)];
    } else throw new Unsupported(`number check ${String(d.check)}`);
  }
  for (const f of formats) {
    if (f === 'safeint') int = true;
    else if (f !== 'float64') throw new Unsupported(`number format ${String(f)}`);
  }
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return FAIL;
    if (int && !Number.isSafeInteger(v)) return FAIL;
    if (minInclusive ? v < min : v <= min) return FAIL;
    if (maxInclusive ? v > max : v >= max) return FAIL;
    return String(v); // what JSON.stringify writes for a finite number (-0 → "0" too)
  };
}

/** A string schema's length bounds; `unsupported` names the first check that is not one. */
function stringLengthBounds(def: Def): { min: number; max: number; unsupported?: string } {
  let min = 0;
  let max = Infinity;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'min_length' && typeof d.minimum === 'number') min = Math.max(min, d.minimum);
    else if (d.check === 'max_length' && typeof d.maximum === 'number') max = Math.min(max, d.maximum);
    else return { min, max, unsupported: String(d.check) };
  }
  return { min, max };
}

function stringWriter(def: Def): Writer {
  const { min, max, unsupported } = stringLengthBounds(def);
  if (unsupported !== undefined) throw new Unsupported(`string check ${unsupported}`);
  return (v) => (typeof v === 'string' && v.length >= min && v.length <= max ? quote(v) : FAIL);
}

/** JSON of a value zod passes through unchanged (z.unknown(), z.any()). */
const anyWriter: Writer = (v) => JSON.stringify(v) ?? OMIT;

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  // zod copies every own key but `__proto__` (symbols and non-enumerable ones too, or refuses
  // them); JSON.stringify of the original must see the same keys: only enumerable string keys.
  return !Object.hasOwn(v, '__proto__') && Reflect.ownKeys(v).length === Object.keys(v).length;
}

function compile(schema: $ZodType, where: 'top' | 'property' | 'element'): Writer {
  const def = defOf(schema);
  if (def.checks?.length && def.type !== 'number' && def.type !== 'string') throw new Unsupported(`${def.type} with checks`);
  switch (def.type) {
    case 'string':
      return stringWriter(def);
    case 'number':
      return numberWriter(def);
    case 'boolean':
      return (v) => (v === true ? 'true' : v === false ? 'false' : FAIL);
    case 'null':
      return (v) => (v === null ? 'null' : FAIL);
    case 'literal': {
      const values = def.values ?? [];
      if (!values.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))) throw new Unsupported('literal');
      if (values.some((x) => typeof x === 'number' && !Number.isFinite(x))) throw new Unsupported('literal');
      const json = new Map(values.map((x) => [x, JSON.stringify(x)]));
      return (v) => json.get(v) ?? FAIL;
    }
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      if (!values.every((x) => typeof x === 'string')) throw new Unsupported('non-string enum');
      const json = new Map(values.map((x) => [x, JSON.stringify(x)]));
      return (v) => (typeof v === 'string' ? (json.get(v) ?? FAIL) : FAIL);
    }
    case 'nullable': {
      const inner = compile(def.innerType!, where);
      return (v) => (v === null ? 'null' : inner(v));
    }
    case 'unknown':
    case 'any':
      if (where === 'top') throw new Unsupported('top-level unknown');
      return where === 'element' ? (v) => JSON.stringify(v) ?? 'null' : anyWriter;
    case 'array': {
      const element = compile(def.element!, 'element');
      return (v) => {
        if (!Array.isArray(v)) return FAIL;
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          const s = element(v[i]);
          if (s === FAIL || s === OMIT) return FAIL;
          out += i === 0 ? s : ',' + s;
        }
        return out + ']';
      };
    }
    case 'record': {
      const key = defOf(def.keyType!);
      const value = defOf(def.valueType!);
      if (key.type !== 'string' || key.checks?.length || (value.type !== 'unknown' && value.type !== 'any')) {
        throw new Unsupported('record');
      }
      // Values pass through unchanged: the JSON of the (checked) object is the JSON of zod's copy.
      return (v) => knownJsonOf(v) ?? (isPlainRecord(v) ? JSON.stringify(v) : FAIL);
    }
    case 'object': {
      if (def.catchall !== undefined) throw new Unsupported('object with catchall');
      const props = Object.entries(def.shape ?? {}).map(([key, propSchema]) => {
        const pdef = defOf(propSchema);
        const optional = pdef.type === 'optional';
        const write = compile(optional ? pdef.innerType! : propSchema, 'property');
        return { key, prefix: JSON.stringify(key) + ':', optional, write };
      });
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAIL;
        const obj = v as Record<string, unknown>;
        let out = '';
        for (let i = 0; i < props.length; i++) {
          const p = props[i]!;
          const x = obj[p.key];
          if (x === undefined && p.optional) continue;
          const s = p.write(x);
          if (s === FAIL) return FAIL;
          if (s === OMIT) continue;
          out += out === '' ? p.prefix + s : ',' + p.prefix + s;
        }
        return '{' + out + '}';
      };
    }
    default:
      throw new Unsupported(def.type);
  }
}

/**
 * The fast serializer for a zod schema, or null when the schema has anything the fast path does
 * not handle. The result returns null for a value it cannot vouch for.
 */
export function compileFastSerializer(schema: unknown): ((data: unknown) => string | null) | null {
  if (!(schema instanceof $ZodType)) return null;
  try {
    const write = compile(schema, 'top');
    return (data) => {
      const s = write(data);
      return typeof s === 'string' ? s : null;
    };
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

/**
 * The same idea for request validation, for the simplest and commonest schema: an object of
 * plain strings with length bounds (route params such as `{ id }`). The fast path returns what
 * zod returns for a valid value (a new object with the schema's keys, in the schema's order);
 * anything else — an invalid value (for zod's error details), or any other schema — is zod's.
 */
export function compileFastValidator(schema: unknown): ((data: unknown) => { value: Record<string, string> } | null) | null {
  if (!(schema instanceof $ZodType)) return null;
  const def = defOf(schema);
  if (def.type !== 'object' || def.catchall !== undefined || def.checks?.length) return null;
  const props: { key: string; min: number; max: number }[] = [];
  for (const [key, prop] of Object.entries(def.shape ?? {})) {
    const pdef = defOf(prop);
    if (pdef.type !== 'string') return null;
    const { min, max, unsupported } = stringLengthBounds(pdef);
    if (unsupported !== undefined) return null;
    props.push({ key, min, max });
  }
  return (data) => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
    const value: Record<string, string> = {};
    for (const p of props) {
      const v = (data as Record<string, unknown>)[p.key];
      if (typeof v !== 'string' || v.length < p.min || v.length > p.max) return null;
      value[p.key] = v;
    }
    return { value };
  };
}

/** Fastify validator compiler: the fast path where it applies, the zod validator otherwise. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
  const slow = zodValidatorCompiler(route as Parameters<typeof zodValidatorCompiler>[0]);
  const fast = compileFastValidator(route.schema);
  if (!fast) return slow;
  return ((data: unknown) => fast(data) ?? slow(data)) as ReturnType<FastifySchemaCompiler<unknown>>;
};

/** Fastify serializer compiler: the fast path where it applies, the zod serializer otherwise. */
export const serializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  const slow = zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]) as (data: unknown) => string;
  const fast = compileFastSerializer(route.schema);
  if (!fast) return slow;
  return (data: unknown) => fast(data) ?? slow(data);
};
