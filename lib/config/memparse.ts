import { formatSize, SIZE_SHIFT } from '../../models/memory/parseSize.ts';
import { fail, reject, type Scanner } from './scanner.ts';

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The kernel's memparse(): simple_strtoull with base 0 (a `0x` prefix followed by a hex digit
 * means hex, any other leading `0` means OCTAL, else decimal), then an optional K/M/G/T/P/E
 * suffix in either case, each a further << 10. Unlike the kernel, no digits at all is an error
 * (the kernel reads 0) and values above 2^53 - 1 are rejected instead of wrapping at 2^64.
 */
export function memparse(s: Scanner, what: string): number {
  const start = s.pos;
  const t = s.text;
  let radix = 10;
  if (t[s.pos] === '0' && (t[s.pos + 1] === 'x' || t[s.pos + 1] === 'X') && /[0-9a-fA-F]/.test(t[s.pos + 2] ?? '')) {
    radix = 16;
    s.pos += 2;
  } else if (t[s.pos] === '0') {
    radix = 8;
  }
  const digit = radix === 16 ? /[0-9a-fA-F]/ : radix === 8 ? /[0-7]/ : /[0-9]/;
  const digitsStart = s.pos;
  let v = 0n;
  while (s.pos < t.length && digit.test(t[s.pos])) {
    v = v * BigInt(radix) + BigInt(parseInt(t[s.pos], 16));
    s.pos++;
    if (v > MAX) tooLarge(s, start, what);
  }
  if (s.pos === digitsStart) fail(s, `a number for ${what}`, start);
  const unit = (t[s.pos] ?? '').toUpperCase();
  if (Object.hasOwn(SIZE_SHIFT, unit)) {
    s.pos++;
    v <<= BigInt(SIZE_SHIFT[unit]);
    if (v > MAX) tooLarge(s, start, what);
  }
  return Number(v);
}

function tooLarge(s: Scanner, start: number, what: string): never {
  let end = start;
  while (end < s.text.length && /[0-9a-zA-Z]/.test(s.text[end])) end++;
  return reject(s, start, s.text.slice(start, end), `${what} '${s.text.slice(start, end)}' is larger than 2^53 - 1 bytes`);
}

/** Non-negative decimal integer (node ids: the kernel reads them with sscanf("%lu")). */
export function decimal(s: Scanner, what: string): number {
  const start = s.pos;
  while (s.pos < s.text.length && /[0-9]/.test(s.text[s.pos])) s.pos++;
  if (s.pos === start) fail(s, what, start);
  const n = Number(s.text.slice(start, s.pos));
  if (!Number.isSafeInteger(n)) reject(s, start, s.text.slice(start, s.pos), `'${s.text.slice(start, s.pos)}' is too large for ${what}`);
  return n;
}

/** Printable form that memparse() reads back to the same value (the one size formatter). */
export const formatBytes = formatSize;

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

export function formatAddress(n: number): string {
  return n === 0 ? '0' : hex(n);
}
