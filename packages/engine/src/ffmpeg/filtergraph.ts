/**
 * A small typed filtergraph builder. Every option value goes through `escape.ts`, so a string built
 * here always has the shape its structure describes, whatever text the values contain.
 *
 *   graph([
 *     { inputs: ['0:v'], filters: [filter('scale', { w: 1280, h: -2 })], outputs: ['v'] },
 *     { inputs: ['v'], filters: [filter('drawtext', { text: title, expansion: 'none' })], outputs: ['out'] },
 *   ])
 */
import { escapeFilterArg, escapeFilterPath } from './escape.js';

declare const filterBrand: unique symbol;
declare const chainBrand: unique symbol;

/** One filter with escaped options, e.g. `scale=w=640:h=-2`. */
export type Filter = string & { readonly [filterBrand]: true };
/** Filters joined by `,`; usable as a `-vf`/`-af` value or a lavfi input. */
export type FilterChain = string & { readonly [chainBrand]: true };

/** A local file path option (subtitles, textfile, fontfile, ...): escaped with `escapeFilterPath`. */
export interface FilterPath {
  path: string;
}

/** `undefined` omits the option; booleans become 1/0 (accepted by both bool and int options). */
export type FilterOptionValue = string | number | boolean | FilterPath | undefined;

export interface GraphChain {
  inputs?: string[];
  filters: Array<Filter | FilterChain>;
  outputs?: string[];
}

const FILTER_NAME = /^[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?$/;
const OPTION_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Pad labels: own names plus ffmpeg stream specifiers such as `0:v`, `1:a:0`. */
const LABEL = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

/** Mark a path option value, e.g. `filter('subtitles', { filename: filterPath(srt) })`. */
export function filterPath(path: string): FilterPath {
  return { path };
}

export function filter(name: string, options: Record<string, FilterOptionValue> = {}): Filter {
  if (!FILTER_NAME.test(name)) throw new TypeError(`invalid filter name: ${JSON.stringify(name)}`);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!OPTION_KEY.test(key)) throw new TypeError(`invalid option name for ${name}: ${JSON.stringify(key)}`);
    parts.push(`${key}=${optionValue(name, key, value)}`);
  }
  return (parts.length ? `${name}=${parts.join(':')}` : name) as Filter;
}

export function chain(...filters: Array<Filter | FilterChain>): FilterChain {
  if (filters.length === 0) throw new TypeError('a filter chain needs at least one filter');
  return filters.join(',') as FilterChain;
}

/** The full `-filter_complex` string: chains joined by `;`, each with its pad labels. */
export function graph(chains: GraphChain[]): string {
  if (chains.length === 0) throw new TypeError('a filtergraph needs at least one chain');
  return chains
    .map((c) => `${labels(c.inputs)}${chain(...c.filters)}${labels(c.outputs)}`)
    .join(';');
}

function labels(names: string[] | undefined): string {
  return (names ?? [])
    .map((n) => {
      if (!LABEL.test(n)) throw new TypeError(`invalid pad label: ${JSON.stringify(n)}`);
      return `[${n}]`;
    })
    .join('');
}

function optionValue(name: string, key: string, value: Exclude<FilterOptionValue, undefined>): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`option ${name}.${key} is not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'object') return escapeFilterPath(value.path);
  return escapeFilterArg(value);
}
