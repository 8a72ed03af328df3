/**
 * A small field schema per event type, so events read from logs and scenarios are checked field
 * by field with a message naming the field. `?` marks an optional field.
 */
export type FieldKind =
  | 'int' | 'number' | 'string' | 'boolean' | 'object' | 'array' | 'int[]' | 'string[]' | 'any'
  | '?int' | '?number' | '?string' | '?boolean' | '?object' | '?array' | '?int[]' | '?string[]';

export type EventSchema = Readonly<Record<string, Readonly<Record<string, FieldKind>>>>;

function kindOk(kind: string, v: unknown): boolean {
  switch (kind) {
    case 'int': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'int[]': return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x));
    case 'string[]': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'any': return true;
    default: return false;
  }
}

const KIND_NAMES: Record<string, string> = {
  int: 'an integer', number: 'a number', string: 'a string', boolean: 'a boolean', object: 'an object',
  array: 'an array', 'int[]': 'an array of integers', 'string[]': 'an array of strings', any: 'a value',
};

/**
 * Names JavaScript gives meaning to on every object. Event strings become record keys in the
 * models (areas, devices, kinds), so they may not be these, nor may keys of an event's objects.
 */
const RESERVED = ['__proto__', 'constructor', 'prototype'];

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
      if (!optional) return `${type}: missing field '${name}' (${KIND_NAMES[k]})`;
      continue;
    }
    if (!kindOk(k, v)) return `${type}: field '${name}' must be ${KIND_NAMES[k]}, got ${JSON.stringify(v)}`;
    const bad = reservedIn(v);
    if (bad !== null) return `${type}: field '${name}' holds '${bad}', a reserved name`;
  }
  return null;
}
