/** Human units for report text: simulated ns to a short duration, fractions to percents. */

export function fmtNs(ns: number | null): string {
  if (ns === null) return '-';
  const a = Math.abs(ns);
  if (a < 1e3) return `${Math.round(ns)} ns`;
  if (a < 1e6) return `${trim(ns / 1e3)} µs`;
  if (a < 1e9) return `${trim(ns / 1e6)} ms`;
  return `${trim(ns / 1e9)} s`;
}

/** Three significant digits, at most three decimals: 1.23, 12.3, 123, 1234. */
function trim(x: number): string {
  const a = Math.abs(x);
  const d = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return x.toFixed(d);
}

export function fmtPct(frac: number): string {
  return `${(frac * 100).toFixed(1)}%`;
}

export function fmtFailures(f: Readonly<Record<string, number>>): string {
  const parts = Object.entries(f).map(([k, v]) => `${k}×${v}`);
  return parts.length ? parts.join(' ') : '-';
}

export function hex(n: number | null): string {
  return n === null ? '-' : `0x${n.toString(16)}`;
}
