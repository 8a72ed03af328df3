/**
 * A small field schema per event type, so events read from logs and scenarios are checked field
 * by field with a message naming the field. `?` marks an optional field.
 *
 * Every integer is a safe integer, and the kinds below bound what one event can ask of a model,
 * so no field makes an event's work unbounded (a page index of 2^53 never advances when 1 is
 * added; a count of 2^53 - 1 pages takes forever inside one event):
 * - 'uint': 0..2^53-1;
 * - 'index': a page index in a file, 0..MAX_PAGE_INDEX;
 * - 'count': pages one event touches, 1..MAX_EVENT_PAGES;
 * - 'order': a buddy order or an alignment order, 0..MAX_EVENT_ORDER.
 */
type BaseKind = 'int' | 'uint' | 'index' | 'count' | 'order' | 'number' | 'string' | 'boolean' | 'object' | 'array' | 'int[]' | 'string[]' | 'any';
export type FieldKind = BaseKind | `?${Exclude<BaseKind, 'any'>}`;

/** 2^40 pages: a 4 PiB file at 4 KiB pages, so index + count stays exact. */
export const MAX_PAGE_INDEX = 2 ** 40 - 1;
/** 2^20 pages (4 GiB at 4 KiB) per page-cache event: far above readahead, and about a second of work. */
export const MAX_EVENT_PAGES = 2 ** 20;
/** Orders and alignments: the scenario's `align` goes to 30, MAX_ORDER is at most 20 in the models. */
export const MAX_EVENT_ORDER = 30;

const intIn = (v: unknown, lo: number, hi: number): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi;

export type EventSchema = Readonly<Record<string, Readonly<Record<string, FieldKind>>>>;

/**
 * The schema of an event union, checked by the compiler against the union: one entry per event
 * type, naming exactly that event's fields (optional ones with a `?` kind).
 */
export type SchemaFor<E extends { readonly type: string }> = {
  readonly [K in E['type']]: { readonly [F in Exclude<keyof Extract<E, { type: K }>, 'type'>]-?: FieldKind };
};

function kindOk(kind: string, v: unknown): boolean {
  switch (kind) {
    case 'int': return typeof v === 'number' && Number.isSafeInteger(v);
    case 'uint': return intIn(v, 0, Number.MAX_SAFE_INTEGER);
    case 'index': return intIn(v, 0, MAX_PAGE_INDEX);
    case 'count': return intIn(v, 1, MAX_EVENT_PAGES);
    case 'order': return intIn(v, 0, MAX_EVENT_ORDER);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'int[]': return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isSafeInteger(x));
    case 'string[]': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'any': return true;
    default: return false;
  }
}

const KIND_NAMES: Record<string, string> = {
  int: 'an integer', uint: 'a non-negative safe integer', index: `a page index (integer 0..${MAX_PAGE_INDEX})`,
  count: `a page count (integer 1..${MAX_EVENT_PAGES})`, order: `an order (integer 0..${MAX_EVENT_ORDER})`, number: 'a number', string: 'a string', boolean: 'a boolean', object: 'an object',
  array: 'an array', 'int[]': 'an array of safe integers', 'string[]': 'an array of strings', any: 'a value',
};

/** Integer kinds with a range: a missing one is reported as 'an integer', a wrong one with its range. */
const BOUNDED_INTS: Readonly<Record<string, true>> = { uint: true, index: true, count: true, order: true };

/**
 * Names JavaScript gives meaning to on every object: `obj["__proto__"] = x` sets a prototype and
 * `record["constructor"]` finds Object's. Event strings become record keys in the models (areas,
 * devices, kinds), so they may not be these, nor may keys of an event's objects; scenarios refuse
 * them too (lib/scenario/check.ts).
 */
export const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];
const RESERVED = RESERVED_NAMES;

/** The first reserved name among `v`'s strings and keys (one level into arrays and objects), or null. */
function reservedIn(v: unknown): string | null {
  if (typeof v === 'string') return RESERVED.includes(v) ? v : null;
  if (typeof v !== 'object' || v === null) return null;
  for (const x of Array.isArray(v) ? v : Object.keys(v)) if (typeof x === 'string' && RESERVED.includes(x)) return x;
  return null;
}

/** null when `e` is a known event with well-typed fields; otherwise a one-line reason. */
export function checkEvent(schema: EventSchema, e: unknown): string | null {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return 'expected an event object';
  const type = (e as { type?: unknown }).type;
  if (typeof type !== 'string') return "expected a string field 'type'";
  const fields = Object.hasOwn(schema, type) ? schema[type] : undefined;
  if (!fields) return `unknown event type '${type}'`;
  for (const [name, kind] of Object.entries(fields)) {
    const optional = kind.startsWith('?');
    const k = optional ? kind.slice(1) : kind;
    const v = (e as Record<string, unknown>)[name];
    if (v === undefined) {
      if (!optional) return `${type}: missing field '${name}' (${KIND_NAMES[Object.hasOwn(BOUNDED_INTS, k) ? 'int' : k]})`;
      continue;
    }
    if (!kindOk(k, v)) return `${type}: field '${name}' must be ${KIND_NAMES[k]}, got ${JSON.stringify(v)}`;
    const bad = reservedIn(v);
    if (bad !== null) return `${type}: field '${name}' holds '${bad}', a reserved name`;
  }
  return null;
}
