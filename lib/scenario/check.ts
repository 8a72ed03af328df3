import { childPath } from './jsonPath.ts';
import { parseDuration, parseSize } from './units.ts';
import { closest } from '../text/closest.ts';
import { RESERVED_NAMES } from '../../events/schema.ts';

/** A scenario field that is wrong: the JSON path and what was expected there. */
export class ScenarioError extends Error {
  constructor(readonly path: string, readonly detail: string) {
    super(`${path === '' ? '(root)' : path}: ${detail}`);
  }
}

/** How a value reads in an error message: `42`, `"x"`, `an array`, `an object`. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  if (typeof v === 'function') return 'a function';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export const fail = (path: string, expected: string, got: unknown): never => {
  throw new ScenarioError(path, `expected ${expected}, got ${shown(got)}`);
};

export type Obj = Readonly<Record<string, unknown>>;

/** A scenario may not use JavaScript's reserved names (events/schema.ts) as field names, record keys or names. */
export const isReserved = (k: string): boolean => RESERVED_NAMES.includes(k);

/** A record keyed by user-chosen names: no prototype, so no key is inherited or special. */
export function record<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** How deep scenario data may nest (arrays and objects); deeper input is refused, not recursed into. */
export const MAX_DEPTH = 64;

/**
 * Plain JSON data only: objects with Object's or no prototype, arrays, strings, finite numbers,
 * booleans, null; no reserved key anywhere and at most MAX_DEPTH levels. Checked once, before any
 * field is read, so a `.ts` scenario cannot smuggle a prototype the JSON form could not express.
 */
export function plainData(v: unknown, path: string, depth = 0): void {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(path, 'a finite number', v);
    return;
  }
  if (typeof v !== 'object') throw new ScenarioError(path, `expected plain JSON data, got a ${typeof v}`);
  if (depth >= MAX_DEPTH) throw new ScenarioError(path, `expected at most ${MAX_DEPTH} levels of nesting`);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) plainData(v[i], childPath(path, i), depth + 1);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new ScenarioError(path, 'expected a plain object (no prototype or class)');
  for (const k of Object.keys(v)) {
    if (isReserved(k)) throw new ScenarioError(childPath(path, k), `'${k}' is reserved and cannot be a field or a name`);
    plainData((v as Obj)[k], childPath(path, k), depth + 1);
  }
}

/** `o[key]` when `o` has it as its own field (never an inherited one). */
export function own(o: Obj, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

export function object(v: unknown, path: string, what = 'an object'): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, what, v);
  return v as Obj;
}

/** Refuse keys outside `allowed`, so a typo (`perod`) is an error rather than a silent default. */
export function knownKeys(o: Obj, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && o[k] !== undefined) throw new ScenarioError(childPath(path, k), `unknown field${didYouMean(k, allowed)} (expected one of: ${allowed.join(', ')})`);
  }
}

/** ` (did you mean 'period'?)` inside a field error, or '' when nothing is close (lib/text/closest.ts). */
export function didYouMean(got: string, candidates: readonly string[]): string {
  const c = closest(got, candidates);
  return c === null ? '' : ` (did you mean '${c}'?)`;
}

export function array(v: unknown, path: string, what = 'an array'): readonly unknown[] {
  if (!Array.isArray(v)) fail(path, what, v);
  return v as unknown[];
}

/** A non-empty string: a name, which may not be one of RESERVED_NAMES. */
export function string(v: unknown, path: string, what = 'a non-empty string'): string {
  if (typeof v !== 'string' || v === '') fail(path, what, v);
  if (isReserved(v as string)) throw new ScenarioError(path, `expected ${what}, got ${shown(v)} (reserved)`);
  return v as string;
}

export function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v as boolean;
}

export function int(v: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(path, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`, v);
  }
  return v as number;
}

export function number(v: unknown, path: string, what = 'a positive number'): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(path, what, v);
  return v as number;
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) {
    throw new ScenarioError(path, `expected one of ${values.map((x) => `'${x}'`).join(', ')}, got ${shown(v)}${typeof v === 'string' ? didYouMean(v, values) : ''}`);
  }
  return v as T;
}

export function size(v: unknown, path: string): number {
  const b = parseSize(v);
  if (b === null) fail(path, 'a size (bytes, or "64M" / "512K" / "1G")', v);
  return b as number;
}

export function duration(v: unknown, path: string): number {
  const ns = parseDuration(v);
  if (ns === null) fail(path, 'a duration (integer ns, or "12.5ms" / "10s" / "2us")', v);
  return ns as number;
}

/** `x` or `[lo, hi]` (both inclusive), each read by `one`; returns [lo, hi]. */
export function range(v: unknown, path: string, one: (x: unknown, p: string) => number): readonly [number, number] {
  if (!Array.isArray(v)) { const x = one(v, path); return [x, x]; }
  if (v.length !== 2) fail(path, 'a value or a [low, high] pair', v);
  const lo = one(v[0], childPath(path, 0));
  const hi = one(v[1], childPath(path, 1));
  if (hi < lo) throw new ScenarioError(path, `expected low <= high, got [${shown(v[0])}, ${shown(v[1])}]`);
  return [lo, hi];
}

/** Read `o[key]` with `read`, or return `dflt` when absent (undefined or null). */
export function opt<T>(o: Obj, key: string, path: string, read: (v: unknown, p: string) => T, dflt: T): T {
  const v = own(o, key);
  return v === undefined || v === null ? dflt : read(v, childPath(path, key));
}

export function req<T>(o: Obj, key: string, path: string, read: (v: unknown, p: string) => T): T {
  const v = own(o, key);
  if (v === undefined) throw new ScenarioError(childPath(path, key), 'missing required field');
  return read(v, childPath(path, key));
}

/** Membership sets of name lists, built once per list (lists are only ever appended to). */
const nameSets = new WeakMap<readonly string[], { readonly length: number; readonly set: ReadonlySet<string> }>();

/** Whether `known` holds `name`, in O(1) after the first look at a list (keeps big scenarios linear). */
export function hasName(known: readonly string[], name: string): boolean {
  let e = nameSets.get(known);
  if (e === undefined || e.length !== known.length) nameSets.set(known, (e = { length: known.length, set: new Set(known) }));
  return e.set.has(name);
}

const namesOfCache = new WeakMap<readonly { readonly name: string }[], readonly string[]>();

/** The names of `items`, the same array for the same list (so `ref` checks against it in O(1)). */
export function namesOf(items: readonly { readonly name: string }[]): readonly string[] {
  let names = namesOfCache.get(items);
  if (names === undefined || names.length !== items.length) namesOfCache.set(items, (names = items.map((x) => x.name)));
  return names;
}

/** `names` for an error message: all of them, or the first 20 and how many more. */
export function listed(names: readonly string[]): string {
  if (names.length === 0) return 'none declared';
  const shownNames = names.slice(0, 20).map((k) => JSON.stringify(k)).join(', ');
  return names.length > 20 ? `${shownNames}, ... (${names.length - 20} more)` : shownNames;
}

/** A name that must be one of `known` (a region, a device...). */
export function ref(v: unknown, path: string, what: string, known: readonly string[]): string {
  if (typeof v !== 'string') fail(path, what, v);
  if (!hasName(known, v as string)) throw new ScenarioError(path, `expected ${what} (${listed(known)}), got ${shown(v)}`);
  return v as string;
}

/** Names in a list must be unique: returns them in order. */
export function uniqueNames(items: readonly { name: string }[], path: string): string[] {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.name)) throw new ScenarioError(childPath(childPath(path, i), 'name'), `duplicate name ${JSON.stringify(it.name)}`);
    seen.add(it.name);
  });
  return [...seen];
}
