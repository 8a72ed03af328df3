/**
 * Sizes and addresses as scenarios write them: a non-negative integer of bytes, or a string of
 * decimal or 0x-hex digits with an optional K/M/G/T suffix (binary units, as the kernel's memparse).
 */
const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

export function parseSize(v: unknown, where: string): number {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && v >= 0) return v;
    throw new Error(`${where}: expected a non-negative integer of bytes, got ${JSON.stringify(v)}`);
  }
  if (typeof v === 'string') {
    const m = /^(0x[0-9a-fA-F]+|\d+)([KMGTkmgt]?)$/.exec(v.trim());
    if (m) {
      const n = Number(m[1]) * UNITS[m[2].toUpperCase()];
      if (Number.isSafeInteger(n)) return n;
    }
    throw new Error(`${where}: expected a size like 4096, 512M, 2G or 0x40000000, got ${JSON.stringify(v)}`);
  }
  throw new Error(`${where}: expected a size (bytes, or a string like 512M), got ${JSON.stringify(v)}`);
}
