/**
 * Durations as text, one format everywhere the program prints one: a number directly followed
 * by ns, us, ms or s (`500ns`, `12.5us`, `1.866ms`, `10s`), which parseDuration reads back, so
 * any printed time can be pasted into `--until` or a scenario. ASCII `us` rather than `µs` keeps
 * columns one byte per character and the text typeable. Text that must match the kernel's own
 * (ftrace timestamps) keeps the kernel's format and does not come here.
 */

const UNITS: readonly (readonly [string, number, number])[] = [['s', 1e9, 9], ['ms', 1e6, 6], ['us', 1e3, 3]];

/**
 * Integer ns as `<number><unit>` in the largest unit not above it. Exact to the ns by default;
 * with `significant`, rounded to that many significant digits (tables), trailing zeros dropped.
 */
export function formatDuration(ns: number, significant?: number): string {
  const a = Math.abs(ns);
  for (const [u, k, decimals] of UNITS) {
    if (a >= k) return `${significant === undefined ? +(ns / k).toFixed(decimals) : round(ns / k, significant)}${u}`;
  }
  return `${significant === undefined ? ns : round(ns, significant)}ns`;
}

/** x to `n` significant digits, but never fewer than its integer digits, as a plain number. */
function round(x: number, n: number): number {
  const digits = Math.max(1, Math.floor(Math.log10(Math.abs(x) || 1)) + 1);
  return +x.toFixed(Math.max(0, n - digits));
}

const DURATION_UNIT: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9, h: 3600e9 };

/**
 * Integer ns from a non-negative integer (ns) or "12.5ms" / "10s" / "2us" / "500ns"; null for
 * anything else, so callers phrase the error with the path or token at hand.
 */
export function parseDuration(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|min|m|h)\s*$/.exec(v);
  if (!m) return /^\s*\d+\s*$/.test(v) ? parseDuration(Number(v)) : null;
  const ns = Math.round(Number(m[1]) * DURATION_UNIT[m[2]]);
  return Number.isSafeInteger(ns) ? ns : null;
}
