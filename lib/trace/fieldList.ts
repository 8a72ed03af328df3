/**
 * `key=value` field lists of the events this importer knows, with typed getters whose errors
 * name the field. Values never hold spaces in these events (area names are identifiers).
 */
export type FieldMap = Readonly<Record<string, string>>;

/** Thrown by the getters; the importer adds file and line. */
export class FieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export function parseFieldList(body: string): { fields: FieldMap; keys: readonly string[] } {
  const fields: Record<string, string> = {};
  const keys: string[] = [];
  // A scanner rather than split + slice per token: this runs for every known event line.
  let i = 0;
  const n = body.length;
  while (i < n) {
    while (i < n && body.charCodeAt(i) <= 32) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && body.charCodeAt(j) > 32) j++;
    const eq = body.indexOf('=', i);
    if (eq <= i || eq >= j) {
      const token = body.slice(i, j);
      throw new FieldError(token, `expected key=value, got '${token}'`);
    }
    const key = body.slice(i, eq);
    fields[key] = body.slice(eq + 1, j);
    keys.push(key);
    i = j;
  }
  return { fields, keys };
}

function need(f: FieldMap, key: string): string {
  const v = f[key];
  if (v === undefined) throw new FieldError(key, 'missing');
  return v;
}

export function uintField(f: FieldMap, key: string): number {
  const v = need(f, key);
  if (!/^\d+$/.test(v)) throw new FieldError(key, `expected an unsigned decimal integer, got '${v}'`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new FieldError(key, `value ${v} is too large`);
  return n;
}

export function intField(f: FieldMap, key: string): number {
  const v = need(f, key);
  if (!/^-?\d+$/.test(v)) throw new FieldError(key, `expected a decimal integer, got '${v}'`);
  return Number(v);
}

/**
 * A pfn printed with `0x%lx` (or `%lx` by kernels before the `0x` was added, or `%lu` by the very
 * first cma_alloc event when `radix` is 10). All-ones (`(unsigned long)-1`, 64 or 32 bits) is
 * the kernel's "no pfn": returned as -1.
 */
export function pfnField(f: FieldMap, key: string, radix: 10 | 16 = 16): number {
  const v = need(f, key);
  const digits = radix === 16 ? v.replace(/^0x/i, '') : v;
  const ok = radix === 16 ? /^[0-9a-f]+$/i.test(digits) : /^\d+$/.test(digits);
  if (!ok) throw new FieldError(key, `expected a ${radix === 16 ? 'hexadecimal' : 'decimal'} pfn, got '${v}'`);
  if (radix === 16 && /^f{8}$|^f{16}$/i.test(digits)) return -1;
  const n = parseInt(digits, radix);
  if (radix === 10 && v === '18446744073709551615') return -1;
  if (!Number.isSafeInteger(n)) throw new FieldError(key, `pfn ${v} is out of range`);
  return n;
}

export function wordField(f: FieldMap, key: string): string {
  const v = need(f, key);
  if (v === '') throw new FieldError(key, 'expected a value, got nothing');
  return v;
}

export function oneOfField<T extends string>(f: FieldMap, key: string, allowed: readonly T[]): T {
  const v = need(f, key);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new FieldError(key, `expected one of ${allowed.join(', ')}, got '${v}'`);
  }
  return v as T;
}

/** `%p` of a NULL page: the old `(null)`, or zeros once pointers were hashed. */
export function isNullPointer(v: string | undefined): boolean {
  return v === '(null)' || (v !== undefined && /^(0x)?0+$/.test(v));
}
