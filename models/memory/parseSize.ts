/**
 * The one reader and writer of sizes and addresses as people write them (scenarios, the command
 * line, trace options): a non-negative integer of bytes, or a string of decimal (fractions
 * allowed when the result is a whole number of bytes) or 0x-hex digits with an optional binary
 * suffix K, M, G, T, P or E (each a further << 10, as the kernel's memparse()), optionally
 * followed by `B` or `iB`. lib/config/memparse.ts reads the kernel command line with the
 * kernel's own grammar (octal, no fractions) and shares the suffix table.
 */

/** Binary size suffixes and their shifts, as memparse() reads them (either case). */
export const SIZE_SHIFT: Readonly<Record<string, number>> = { K: 10, M: 20, G: 30, T: 40, P: 50, E: 60 };

/** What sizeBytes reads, spelt without the `i` flag so the scenario's JSON Schema can take its source as a pattern. */
export const SIZE_TEXT = /^\s*(0x[0-9a-fA-F]+|\d+(?:\.\d+)?)\s*([kmgtpeKMGTPE]?)(?:[iI]?[bB])?\s*$/;

/** Bytes, or null for anything that is not a size of a whole, safe-integer number of bytes. */
export function sizeBytes(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = SIZE_TEXT.exec(v);
  if (!m) return null;
  const base = /^0x/i.test(m[1]) ? parseInt(m[1], 16) : Number(m[1]);
  const bytes = base * 2 ** (m[2] ? SIZE_SHIFT[m[2].toUpperCase()] : 0);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** Bytes of a size field, or an error naming the field (`where`) and what was expected. */
export function parseSize(v: unknown, where: string): number {
  const n = sizeBytes(v);
  if (n !== null) return n;
  if (typeof v === 'number') throw new Error(`${where}: expected a non-negative integer of bytes, got ${JSON.stringify(v)}`);
  if (typeof v === 'string') throw new Error(`${where}: expected a size like 4096, 512M, 2G or 0x40000000, got ${JSON.stringify(v)}`);
  throw new Error(`${where}: expected a size (bytes, or a string like 512M), got ${JSON.stringify(v)}`);
}

const LARGEST_FIRST = Object.entries(SIZE_SHIFT).reverse();

/** Text that both sizeBytes and memparse() read back to `bytes`: the largest exact suffix, else the byte count. */
export function formatSize(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [u, shift] of LARGEST_FIRST) if (bytes % 2 ** shift === 0) return `${bytes / 2 ** shift}${u}`;
  return String(bytes);
}
