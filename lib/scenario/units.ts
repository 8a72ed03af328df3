/**
 * Sizes and durations as people write them in scenarios and on the command line. Both return
 * null for text they cannot read, so callers phrase the error with the path or token at hand.
 */

const SIZE_SUFFIX: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** Bytes from a non-negative integer or "64M" / "512K" / "1.5G" / "4096" (binary suffixes, optional "iB"/"B"). */
export function parseSize(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*(0x[0-9a-f]+|\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(v);
  if (!m) return null;
  const base = m[1].toLowerCase().startsWith('0x') ? parseInt(m[1], 16) : Number(m[1]);
  const bytes = base * SIZE_SUFFIX[m[2].toUpperCase()];
  return Number.isSafeInteger(bytes) ? bytes : null;
}

const DURATION_UNIT: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9, h: 3600e9 };

/** Integer nanoseconds from a non-negative integer (ns) or "12.5ms" / "10s" / "2us" / "500ns". */
export function parseDuration(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|min|m|h)\s*$/.exec(v);
  if (!m) return /^\s*\d+\s*$/.test(v) ? parseDuration(Number(v)) : null;
  const ns = Math.round(Number(m[1]) * DURATION_UNIT[m[2]]);
  return Number.isSafeInteger(ns) ? ns : null;
}

/** "12.5ms" style text for integer ns, exact to the ns when the unit allows it. */
export function formatDuration(ns: number): string {
  const units: [string, number][] = [['s', 1e9], ['ms', 1e6], ['us', 1e3]];
  for (const [u, k] of units) if (Math.abs(ns) >= k) return `${+(ns / k).toFixed(3)}${u}`;
  return `${ns}ns`;
}

/** "64M" style text for bytes when a binary suffix divides it, else the byte count. */
export function formatSize(bytes: number): string {
  for (const [u, k] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
    if (bytes >= k && bytes % k === 0) return `${bytes / k}${u}`;
  }
  return String(bytes);
}
