/**
 * Sets of integer indices kept as sorted, disjoint, non-adjacent half-open runs in one flat array
 * `[s0, e0, s1, e1, ...]`. They stand for the kernel's allocation bitmap (a set bit = an index in a
 * run): plain JSON, and an update copies a few numbers per allocation rather than the whole bitmap.
 */
export type Extents = readonly number[];

/** Index of the first run whose end is > i (in pairs), or runs.length/2 when none. */
function runAfter(ext: Extents, i: number): number {
  let lo = 0;
  let hi = ext.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ext[2 * mid + 1] > i) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First set index in [from, limit), or `limit` when there is none (find_next_bit). */
export function nextSet(ext: Extents, from: number, limit: number): number {
  const r = runAfter(ext, from);
  if (2 * r >= ext.length) return limit;
  const s = Math.max(ext[2 * r], from);
  return s < limit ? s : limit;
}

/** First clear index in [from, limit), or `limit` (find_next_zero_bit). */
export function nextClear(ext: Extents, from: number, limit: number): number {
  const r = runAfter(ext, from);
  if (2 * r < ext.length && ext[2 * r] <= from) return Math.min(ext[2 * r + 1], limit);
  return Math.min(from, limit);
}

/** Union with [s, e). */
export function addRun(ext: Extents, s: number, e: number): number[] {
  if (e <= s) return ext.slice();
  const out: number[] = [];
  let i = 0;
  // Runs strictly before (not touching) [s, e) stay as they are.
  while (i < ext.length && ext[i + 1] < s) { out.push(ext[i], ext[i + 1]); i += 2; }
  let ns = s;
  let ne = e;
  while (i < ext.length && ext[i] <= ne) { ns = Math.min(ns, ext[i]); ne = Math.max(ne, ext[i + 1]); i += 2; }
  out.push(ns, ne);
  while (i < ext.length) { out.push(ext[i], ext[i + 1]); i += 2; }
  return out;
}

/** Difference with [s, e). */
export function removeRun(ext: Extents, s: number, e: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ext.length; i += 2) {
    const a = ext[i];
    const b = ext[i + 1];
    if (b <= s || a >= e) { out.push(a, b); continue; }
    if (a < s) out.push(a, s);
    if (b > e) out.push(e, b);
  }
  return out;
}

/** Number of indices in the set. */
export function countSet(ext: Extents): number {
  let n = 0;
  for (let i = 0; i < ext.length; i += 2) n += ext[i + 1] - ext[i];
  return n;
}

/** Number of set indices within [s, e). */
export function countSetIn(ext: Extents, s: number, e: number): number {
  let n = 0;
  for (let i = 0; i < ext.length; i += 2) {
    const a = Math.max(ext[i], s);
    const b = Math.min(ext[i + 1], e);
    if (b > a) n += b - a;
  }
  return n;
}

/** The complement within [0, size) as runs (the free runs of a bitmap). */
export function clearRuns(ext: Extents, size: number): number[] {
  const out: number[] = [];
  let p = 0;
  for (let i = 0; i < ext.length && ext[i] < size; i += 2) {
    if (ext[i] > p) out.push(p, ext[i]);
    p = Math.max(p, ext[i + 1]);
  }
  if (p < size) out.push(p, size);
  return out;
}
