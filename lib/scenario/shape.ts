/**
 * One declaration of the scenario format's shape, read three ways: as TypeScript types (`Infer`),
 * as a JSON Schema (`toJsonSchema`), and by the validators (field names and enum values via
 * `keysOf` / `enumOf`). The validators add what a shape cannot say (references between sections,
 * ranges that depend on the machine); the shape is the single list of what may be written.
 */

import { SIZE_TEXT } from '../../models/memory/parseSize.ts';

/** Size suffixes parseSize reads (binary; "B"/"iB" optional). */
type SizeUnit = 'K' | 'M' | 'G' | 'T';
export type SizeText = `${number}` | `${number}${SizeUnit | Lowercase<SizeUnit>}` | `${number}${SizeUnit}${'B' | 'iB'}` | `0x${string}`;
/** Bytes: a non-negative integer, or "64M" / "512K" / "1.5G" / "0x1000". */
export type SizeInput = number | SizeText;
/** Duration units parseDuration reads. */
type DurationUnit = 'ns' | 'us' | 'µs' | 'ms' | 's' | 'min' | 'm' | 'h';
/** Integer nanoseconds, or "12.5ms" / "10s" / "2us". */
export type DurationInput = number | `${number}` | `${number}${DurationUnit}`;

export type Shape =
  | { readonly kind: 'string'; readonly description?: string }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly description?: string }
  | { readonly kind: 'int'; readonly min: number; readonly max: number; readonly description?: string }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly description?: string }
  | { readonly kind: 'boolean'; readonly description?: string }
  | { readonly kind: 'size'; readonly description?: string }
  | { readonly kind: 'duration'; readonly description?: string }
  | { readonly kind: 'any'; readonly description?: string }
  | { readonly kind: 'array'; readonly of: Shape; readonly description?: string }
  | { readonly kind: 'tuple'; readonly of: readonly Shape[]; readonly description?: string }
  | { readonly kind: 'record'; readonly of: Shape; readonly description?: string }
  | { readonly kind: 'union'; readonly of: readonly Shape[]; readonly description?: string }
  | ObjectShape;

export interface Field<S extends Shape = Shape> {
  readonly shape: S;
  readonly required: boolean;
}

export interface ObjectShape {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, Field>>;
  readonly description?: string;
}

type Described<S> = S & { readonly description?: string };

/** Builders: `t.object({ name: t.req(t.string()), size: t.size() })`. */
export const t = {
  string: (description?: string) => ({ kind: 'string', description }) as const,
  enum: <const V extends readonly string[]>(values: V, description?: string) => ({ kind: 'enum', values, description }) as const,
  int: (min = 0, max = Number.MAX_SAFE_INTEGER, description?: string) => ({ kind: 'int', min, max, description }) as const,
  number: (opts: { min?: number; max?: number } = {}, description?: string) => ({ kind: 'number', ...opts, description }) as const,
  boolean: (description?: string) => ({ kind: 'boolean', description }) as const,
  size: (description?: string) => ({ kind: 'size', description }) as const,
  duration: (description?: string) => ({ kind: 'duration', description }) as const,
  any: (description?: string) => ({ kind: 'any', description }) as const,
  array: <const S extends Shape>(of: S, description?: string) => ({ kind: 'array', of, description }) as const,
  tuple: <const S extends readonly Shape[]>(of: S, description?: string) => ({ kind: 'tuple', of, description }) as const,
  record: <const S extends Shape>(of: S, description?: string) => ({ kind: 'record', of, description }) as const,
  union: <const S extends readonly Shape[]>(of: S, description?: string) => ({ kind: 'union', of, description }) as const,
  /** A value, or an inclusive [low, high] pair of them. */
  range: <const S extends Shape>(of: S, description?: string) => ({ kind: 'union', of: [of, { kind: 'tuple', of: [of, of] }], description }) as const,
  object: <const F extends Readonly<Record<string, Field | Shape>>>(fields: F, description?: string) => ({
    kind: 'object', description,
    fields: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, 'shape' in f ? f : { shape: f, required: false }])) as unknown as { readonly [K in keyof F]: F[K] extends Field ? F[K] : Field<Extract<F[K], Shape>> },
  }) as const,
  req: <const S extends Shape>(shape: S): Field<S> & { readonly required: true } => ({ shape, required: true }),
} as const;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Fields = Readonly<Record<string, Field>>;
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K]['required'] extends true ? K : never }[keyof F];
type InferFields<F extends Fields> = Simplify<
  { readonly [K in RequiredKeys<F>]: Infer<F[K]['shape']> } & { readonly [K in Exclude<keyof F, RequiredKeys<F>>]?: Infer<F[K]['shape']> | null }
>;
type InferTuple<T extends readonly Shape[]> = { readonly [K in keyof T]: T[K] extends Shape ? Infer<T[K]> : never };

/** The TypeScript type a value of shape S has as written in a scenario. */
export type Infer<S> =
  S extends { kind: 'string' } ? string
  : S extends { kind: 'enum'; values: readonly (infer V)[] } ? V
  : S extends { kind: 'int' } | { kind: 'number' } ? number
  : S extends { kind: 'boolean' } ? boolean
  : S extends { kind: 'size' } ? SizeInput
  : S extends { kind: 'duration' } ? DurationInput
  : S extends { kind: 'any' } ? unknown
  : S extends { kind: 'array'; of: infer E } ? readonly Infer<E>[]
  : S extends { kind: 'tuple'; of: infer E extends readonly Shape[] } ? InferTuple<E>
  : S extends { kind: 'record'; of: infer E } ? { readonly [k: string]: Infer<E> }
  : S extends { kind: 'union'; of: readonly (infer E)[] } ? (E extends unknown ? Infer<E> : never)
  : S extends { kind: 'object'; fields: infer F extends Fields } ? InferFields<F>
  : never;

/** The field names an object shape allows, in declaration order. */
export function keysOf(s: ObjectShape): string[] {
  return Object.keys(s.fields);
}

/** The values of an enum field of an object shape. */
export function enumOf(s: ObjectShape, key: string): readonly string[] {
  const f = s.fields[key]?.shape;
  if (f?.kind !== 'enum') throw new Error(`shape field '${key}' is not an enum`);
  return f.values;
}

/** The pattern parseSize accepts, for the schema. */
/** The JSON Schema pattern of a size string: the very expression the loader reads sizes with. */
export const SIZE_PATTERN = SIZE_TEXT.source;
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ns|us|µs|ms|s|min|m|h)?\\s*$';

type Json = { [k: string]: unknown };

/** JSON Schema (draft 2020-12) for a shape. */
export function toJsonSchema(s: Shape): Json {
  const d = s.description !== undefined ? { description: s.description } : {};
  switch (s.kind) {
    case 'string': return { type: 'string', minLength: 1, ...d };
    case 'enum': return { enum: [...s.values], ...d };
    case 'int': return { type: 'integer', minimum: s.min, maximum: s.max, ...d };
    case 'number': return { type: 'number', ...(s.min !== undefined && { minimum: s.min }), ...(s.max !== undefined && { maximum: s.max }), ...d };
    case 'boolean': return { type: 'boolean', ...d };
    case 'size': return { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: SIZE_PATTERN }], ...d };
    case 'duration': return { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }], ...d };
    case 'any': return { ...d };
    case 'array': return { type: 'array', items: toJsonSchema(s.of), ...d };
    case 'tuple': return { type: 'array', prefixItems: s.of.map(toJsonSchema), minItems: s.of.length, maxItems: s.of.length, ...d };
    case 'record': return { type: 'object', additionalProperties: toJsonSchema(s.of), ...d };
    case 'union': return { anyOf: s.of.map(toJsonSchema), ...d };
    case 'object': {
      const required = Object.entries(s.fields).filter(([, f]) => f.required).map(([k]) => k);
      return {
        type: 'object',
        // The checkers also read an optional field given as null as absent; the schema leaves that out.
        properties: Object.fromEntries(Object.entries(s.fields).map(([k, f]) => [k, toJsonSchema(f.shape)])),
        ...(required.length > 0 && { required }),
        additionalProperties: false,
        ...d,
      };
    }
  }
}
