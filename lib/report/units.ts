/** Human units for report text: simulated ns to a short duration, fractions to percents. */
import { formatDuration } from '../text/duration.ts';

/** A duration in a report cell: the one duration format, three significant digits; '-' for none. */
export function fmtNs(ns: number | null): string {
  return ns === null ? '-' : formatDuration(Math.round(ns), 3);
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
