import type { OriginalRegion } from './types.ts';

/**
 * The regions seen so far, for the two checks every new one gets: its name is new, and if it has
 * a start it shares no byte with an earlier placed region. Names are in a Map and placed regions
 * in an array sorted by start, so n regions cost O(n log n) comparisons instead of n^2 / 2.
 */
export interface RegionIndex {
  /** Index (in adding order) of the earlier region named `name`, or -1. */
  readonly indexOf: (name: string) => number;
  /** The first-added earlier region `r` overlaps, if any. */
  readonly overlapping: (r: OriginalRegion) => OriginalRegion | undefined;
  readonly add: (r: OriginalRegion) => void;
}

export function regionIndex(): RegionIndex {
  const names = new Map<string, number>();
  const all: OriginalRegion[] = [];
  // Placed regions sorted by start; they never overlap each other (an overlap is refused first).
  const placed: { start: number; end: number; at: number }[] = [];
  const firstEndingAfter = (x: number): number => {
    let lo = 0, hi = placed.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (placed[mid].end > x) hi = mid; else lo = mid + 1; }
    return lo;
  };
  return {
    indexOf: (name) => names.get(name) ?? -1,
    overlapping: (r) => {
      if (r.start === undefined) return undefined;
      const end = r.start + r.size;
      let first = -1;
      for (let k = firstEndingAfter(r.start); k < placed.length && placed[k].start < end; k++) {
        if (first < 0 || placed[k].at < first) first = placed[k].at;
      }
      return first < 0 ? undefined : all[first];
    },
    add: (r) => {
      if (!names.has(r.name)) names.set(r.name, all.length);
      if (r.start !== undefined) {
        const e = { start: r.start, end: r.start + r.size, at: all.length };
        const k = firstEndingAfter(e.start);
        if (k === placed.length) placed.push(e);
        else placed.splice(k, 0, e);
      }
      all.push(r);
    },
  };
}
