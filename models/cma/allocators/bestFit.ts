/**
 * The series' best-fit allocator (mm/cma-best-fit.c, 2010): free holes kept in two orders, by start
 * and by size. Allocation takes the smallest hole that fits after alignment; among holes of equal
 * size the one (re)inserted last comes first, because the by-size tree sends equal keys left.
 * Placement inside the hole follows __cma_bf_hole_take:
 *  - the chunk fills the hole, or starts at its aligned start when that is the hole's start or
 *    ends exactly at the hole's end;
 *  - otherwise, when the space left after the chunk is a multiple of the alignment, the chunk is
 *    moved to the end of the hole (one hole remains, at the start);
 *  - otherwise the chunk stays at the aligned start and a new hole is cut after it.
 * Freed chunks become holes merged with both neighbours. Units are pages; alignment is absolute.
 */
import { removeRun, type Extents } from '../extents.ts';
import type { AllocatorState, Candidate, CmaAllocator } from './allocator.ts';

export interface Hole {
  readonly start: number;
  readonly size: number;
  /** Insertion order into the by-size tree: larger = inserted later = found first among equals. */
  readonly stamp: number;
}

export interface BestFitState extends AllocatorState {
  /** Ascending by start, disjoint, never adjacent. */
  readonly holes: readonly Hole[];
  readonly nextStamp: number;
}

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Where the series would put `count` pages aligned to `a` inside [start, end), or null. */
export function placeInHole(start: number, end: number, count: number, a: number): number | null {
  const s = alignUp(start, a);
  if (s >= end || end - s < count) return null;
  if (s === start || s + count === end) return s;
  const left = end - (s + count);
  return left % a === 0 ? s + left : s;
}

/** Holes minus the ranges already found busy in this request (pieces keep their stamp). */
function usableHoles(holes: readonly Hole[], busy: Extents): Hole[] {
  if (busy.length === 0) return holes as Hole[];
  const out: Hole[] = [];
  for (const h of holes) {
    let pieces: number[] = [h.start, h.start + h.size];
    for (let i = 0; i < busy.length; i += 2) pieces = removeRun(pieces, busy[i], busy[i + 1]);
    for (let i = 0; i < pieces.length; i += 2) out.push({ start: pieces[i], size: pieces[i + 1] - pieces[i], stamp: h.stamp });
  }
  return out;
}

export const bestFitAllocator: CmaAllocator<BestFitState> = {
  name: 'best-fit',
  reserveAtSearch: true,
  init(geo) {
    return { kind: 'best-fit', holes: geo.count > 0 ? [{ start: geo.basePfn, size: geo.count, stamp: 0 }] : [], nextStamp: 1 };
  },
  find(s, _geo, count, align, cursor, busy): Candidate | null {
    if (count <= 0) return null;
    const a = 2 ** align;
    let best: Hole | null = null;
    let bestPfn = 0;
    for (const h of usableHoles(s.holes, busy)) {
      if (h.size < count) continue;
      const pfn = placeInHole(h.start, h.start + h.size, count, a);
      if (pfn === null) continue;
      if (best === null || h.size < best.size || (h.size === best.size && h.stamp > best.stamp)) {
        best = h;
        bestPfn = pfn;
      }
    }
    return best === null ? null : { pfn: bestPfn, cursorNext: cursor };
  },
  reserve(s, geo, pfn, count) {
    const end = pfn + count;
    const i = s.holes.findIndex((h) => h.start <= pfn && end <= h.start + h.size);
    if (i < 0) throw new Error(`best-fit '${geo.name}': [${pfn}, ${end}) is not inside one free hole`);
    const h = s.holes[i];
    const hEnd = h.start + h.size;
    let stamp = s.nextStamp;
    const repl: Hole[] = [];
    if (pfn > h.start && end < hEnd) {
      // Case 3 of the series: the tail hole is inserted first, then the head is re-keyed.
      const tail = { start: end, size: hEnd - end, stamp: stamp++ };
      repl.push({ start: h.start, size: pfn - h.start, stamp: stamp++ }, tail);
    } else if (pfn > h.start) {
      repl.push({ start: h.start, size: pfn - h.start, stamp: stamp++ });
    } else if (end < hEnd) {
      repl.push({ start: end, size: hEnd - end, stamp: stamp++ });
    }
    const holes = [...s.holes.slice(0, i), ...repl, ...s.holes.slice(i + 1)];
    return { ...s, holes, nextStamp: stamp };
  },
  unreserve(s, geo, pfn, count) {
    let stamp = s.nextStamp;
    let i = 0;
    while (i < s.holes.length && s.holes[i].start < pfn) i++;
    const prev = i > 0 ? s.holes[i - 1] : null;
    const next = i < s.holes.length ? s.holes[i] : null;
    if ((prev && prev.start + prev.size > pfn) || (next && next.start < pfn + count)) {
      throw new Error(`best-fit '${geo.name}': freeing [${pfn}, ${pfn + count}) overlaps a hole`);
    }
    let item: Hole = { start: pfn, size: count, stamp: stamp++ };
    let from = i;
    let to = i;
    // __cma_bf_hole_merge_maybe: merge with the previous hole, then with the next one.
    if (prev && prev.start + prev.size === pfn) {
      item = { start: prev.start, size: prev.size + item.size, stamp: stamp++ };
      from = i - 1;
    }
    if (next && item.start + item.size === next.start) {
      item = { start: item.start, size: item.size + next.size, stamp: stamp++ };
      to = i + 1;
    }
    const holes = [...s.holes.slice(0, from), item, ...s.holes.slice(to)];
    return { ...s, holes, nextStamp: stamp };
  },
  freeRuns(s) {
    const out: number[] = [];
    for (const h of s.holes) out.push(h.start, h.start + h.size);
    return out;
  },
  usedPages(s, geo) {
    let free = 0;
    for (const h of s.holes) free += h.size;
    return geo.count - free;
  },
  bitmapWords(s, geo) {
    const words = new Array<number>(Math.ceil(geo.count / 32)).fill(0xffffffff);
    for (const h of s.holes) {
      for (let p = h.start - geo.basePfn; p < h.start - geo.basePfn + h.size; p++) words[p >>> 5] = (words[p >>> 5] & ~(1 << (p & 31))) >>> 0;
    }
    if (geo.count % 32) words[words.length - 1] = (words[words.length - 1] & ((1 << (geo.count % 32)) - 1)) >>> 0;
    return words;
  },
  granule: () => 1,
};
