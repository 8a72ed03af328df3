import { childPath } from './jsonPath.ts';
import { parseDuration, parseSize } from './units.ts';

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

export function object(v: unknown, path: string, what = 'an object'): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, what, v);
  return v as Obj;
}

/** Refuse keys outside `allowed`, so a typo (`perod`) is an error rather than a silent default. */
export function knownKeys(o: Obj, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && o[k] !== undefined) throw new ScenarioError(childPath(path, k), `unknown field (expected one of: ${allowed.join(', ')})`);
  }
}

export function array(v: unknown, path: string, what = 'an array'): readonly unknown[] {
  if (!Array.isArray(v)) fail(path, what, v);
  return v as unknown[];
}

export function string(v: unknown, path: string, what = 'a non-empty string'): string {
  if (typeof v !== 'string' || v === '') fail(path, what, v);
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
  if (typeof v !== 'string' || !values.includes(v as T)) fail(path, `one of ${values.map((x) => `'${x}'`).join(', ')}`, v);
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
  return o[key] === undefined || o[key] === null ? dflt : read(o[key], childPath(path, key));
}

export function req<T>(o: Obj, key: string, path: string, read: (v: unknown, p: string) => T): T {
  if (o[key] === undefined) throw new ScenarioError(childPath(path, key), 'missing required field');
  return read(o[key], childPath(path, key));
}

/** A name that must be one of `known` (a region, a device...). */
export function ref(v: unknown, path: string, what: string, known: readonly string[]): string {
  if (typeof v !== 'string') fail(path, what, v);
  if (!known.includes(v as string)) {
    const list = known.length ? known.map((k) => JSON.stringify(k)).join(', ') : 'none declared';
    throw new ScenarioError(path, `expected ${what} (${list}), got ${shown(v)}`);
  }
  return v as string;
}

/** Names in a list must be unique: returns them in order. */
export function uniqueNames(items: readonly { name: string }[], path: string): string[] {
  const seen: string[] = [];
  items.forEach((it, i) => {
    if (seen.includes(it.name)) throw new ScenarioError(childPath(childPath(path, i), 'name'), `duplicate name ${JSON.stringify(it.name)}`);
    seen.push(it.name);
  });
  return seen;
}
