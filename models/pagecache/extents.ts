/**
 * A chunk of extents: a flat array of runs [key, v1 .. vw, count, ...] (w = 1 or 2 values),
 * sorted by key, disjoint, each mapping keys key .. key+count-1 to values v + 0 .. v + count-1,
 * and maximal (two runs that touch in the key and every value are one). Kept maximal by every
 * write, so the same mapping always has the same array, whatever order it was built in.
 * File maps (index -> pfn) and the LRU (position -> pfn) have w = 1; page-cache slots
 * (page offset -> file index, LRU position) have w = 2.
 */

/** Position (a multiple of w + 2) of the first run whose last key is >= i, or ch.length. */
function firstEndingAtOrAfter(ch: readonly number[], i: number, s: number): number {
  let lo = 0, hi = ch.length / s;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ch[s * mid] + ch[s * mid + s - 1] <= i) lo = mid + 1;
    else hi = mid;
  }
  return s * lo;
}

/** Value j (0-based) mapped at key i, or -1. */
export function extentAt(ch: readonly number[], i: number, w = 1, j = 0): number {
  const r = firstEndingAtOrAfter(ch, i, w + 2);
  return r < ch.length && ch[r] <= i ? ch[r + 1 + j] + (i - ch[r]) : -1;
}

/** The pfn mapped at index i (a file map or the LRU), or -1. */
export function extentPfn(ch: readonly number[], i: number): number {
  return extentAt(ch, i);
}

/** One past the last key of the run that maps key i, or -1 when i is unmapped. */
export function extentRunEnd(ch: readonly number[], i: number, w = 1): number {
  const r = firstEndingAtOrAfter(ch, i, w + 2);
  return r < ch.length && ch[r] <= i ? ch[r] + ch[r + w + 1] : -1;
}

/** The first mapped key >= i, or -1 when none is. */
export function extentNextKey(ch: readonly number[], i: number, w = 1): number {
  const r = firstEndingAtOrAfter(ch, i, w + 2);
  return r < ch.length ? Math.max(ch[r], i) : -1;
}

/** Keys mapped (the sum of the counts). */
export function extentPages(ch: readonly number[], w = 1): number {
  let n = 0;
  for (let r = w + 1; r < ch.length; r += w + 2) n += ch[r];
  return n;
}

/**
 * Map keys i .. i+n-1 to v0 + 0 .. v0 + n-1 (and v1 + 0 .. for w = 2), or unmap them when v0 < 0,
 * in place, keeping the runs sorted, disjoint and maximal.
 */
export function extentWrite(ch: number[], w: 1 | 2, i: number, n: number, v0: number, v1 = 0): void {
  const s = w + 2;
  const end = i + n;
  const len = ch.length;
  if (v0 >= 0 && (len === 0 || ch[len - s] + ch[len - 1] <= i)) {
    // After every run (the LRU's tail, a file read forward): extend the last run or add one.
    const c = len === 0 ? 0 : ch[len - 1];
    if (len > 0 && ch[len - s] + c === i && ch[len - s + 1] + c === v0 && (w === 1 || ch[len - s + 2] + c === v1)) ch[len - 1] += n;
    else if (w === 1) ch.push(i, v0, n);
    else ch.push(i, v0, v1, n);
    return;
  }
  const r = firstEndingAtOrAfter(ch, i, s);
  if (v0 < 0 && n > 0 && r < len && ch[r] <= i && end <= ch[r] + ch[r + s - 1]) {
    // Unmapping inside one run (reclaim taking pages off a run's front): the pieces left are
    // apart by the gap and their neighbours are untouched, so they stay maximal.
    const from = ch[r], to = from + ch[r + s - 1];
    if (from === i && to === end) ch.splice(r, s);
    else if (from === i) {
      ch[r] = end;
      for (let j = 1; j <= w; j++) ch[r + j] += n;
      ch[r + s - 1] -= n;
    } else {
      ch[r + s - 1] = i - from;
      if (end < to) {
        const d = end - from;
        if (w === 1) ch.splice(r + s, 0, end, ch[r + 1] + d, to - end);
        else ch.splice(r + s, 0, end, ch[r + 1] + d, ch[r + 2] + d, to - end);
      }
    }
    return;
  }
  // Runs r .. e-1 overlap [i, end); their parts outside it stay.
  let e = r;
  while (e < ch.length && ch[e] < end) e += s;
  if (v0 < 0 && r === e) return;
  const keep: number[] = [];
  if (r < e && ch[r] < i) keepPart(keep, ch, w, r, ch[r], i - ch[r]);
  if (v0 >= 0) {
    keep.push(i, v0);
    if (w === 2) keep.push(v1);
    keep.push(n);
  }
  if (r < e) {
    const last = e - s, le = ch[last] + ch[e - 1];
    if (le > end) keepPart(keep, ch, w, last, end, le - end);
  }
  // Merge with the neighbours left in place, and within what replaces the overlapped runs.
  let from = r, to = e;
  if (from >= s) { keep.unshift(...ch.slice(from - s, from)); from -= s; }
  if (to < ch.length) { keep.push(...ch.slice(to, to + s)); to += s; }
  const merged: number[] = [];
  for (let k = 0; k < keep.length; k += s) {
    const m = merged.length;
    if (m > 0) {
      const c = merged[m - 1];
      let joins = merged[m - s] + c === keep[k];
      for (let j = 1; joins && j <= w; j++) joins = merged[m - s + j] + c === keep[k + j];
      if (joins) { merged[m - 1] += keep[k + s - 1]; continue; }
    }
    for (let j = 0; j < s; j++) merged.push(keep[k + j]);
  }
  ch.splice(from, to - from, ...merged);
}

/** Append to `keep` the keys from .. from+count-1 of the run at position `at` of ch (a top-level function: no closure per write). */
function keepPart(keep: number[], ch: readonly number[], w: 1 | 2, at: number, from: number, count: number): void {
  keep.push(from, ch[at + 1] + (from - ch[at]));
  if (w === 2) keep.push(ch[at + 2] + (from - ch[at]));
  keep.push(count);
}

/** Map indices i .. i+n-1 to pfns pfn .. pfn+n-1, or unmap them when pfn < 0 (w = 1). */
export function extentSet(ch: number[], i: number, pfn: number, n: number): void {
  extentWrite(ch, 1, i, n, pfn);
}

/** The pfns mapped at indices from .. to-1, in index order (a copy: the caller may then write the chunk). */
export function extentPfnsIn(ch: readonly number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let r = firstEndingAtOrAfter(ch, from, 3); r < ch.length && ch[r] < to; r += 3) {
    const lo = Math.max(from, ch[r]), hi = Math.min(to, ch[r] + ch[r + 2]);
    for (let i = lo; i < hi; i++) out.push(ch[r + 1] + (i - ch[r]));
  }
  return out;
}

/** The runs mapping indices from .. to-1, clipped to them, as [pfn, count, ...] in index order (a copy). */
export function extentRunsIn(ch: readonly number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let r = firstEndingAtOrAfter(ch, from, 3); r < ch.length && ch[r] < to; r += 3) {
    const lo = Math.max(from, ch[r]), hi = Math.min(to, ch[r] + ch[r + 2]);
    out.push(ch[r + 1] + (lo - ch[r]), hi - lo);
  }
  return out;
}
