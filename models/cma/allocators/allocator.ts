/**
 * The pluggable allocator interface (the series' `struct cma_allocator`, registered with
 * cma_allocator_register). An allocator only decides *where* in an area a chunk goes; isolation,
 * migration and locking are the request machine's business. All functions are pure over plain-data
 * state so the state can live in SimState.
 */
import type { Extents } from '../extents.ts';

export interface AreaGeometry {
  readonly name: string;
  /** First pfn of the area. */
  readonly basePfn: number;
  /** Pages in the area. */
  readonly count: number;
  /** The area's order_per_bit (pages per allocation granule = 2^orderPerBit). */
  readonly orderPerBit: number;
}

/** Allocator state stored on the area; `kind` names the allocator that owns it. */
export interface AllocatorState {
  readonly kind: string;
}

export interface Candidate {
  /** First pfn of the candidate range (the chunk is `count` pages from there). */
  readonly pfn: number;
  /** Cursor for the next search after an -EBUSY on this candidate. */
  readonly cursorNext: number;
}

export interface CmaAllocator<S extends AllocatorState = AllocatorState> {
  readonly name: string;
  /**
   * Whether the range is reserved when the search picks it (mainline reserves before migration so
   * concurrent requests never pick the same range), or only once the allocation succeeded.
   */
  readonly reserveAtSearch: boolean;
  /** Fresh state for an area; throws a one-line error naming the bad parameter. */
  init(geo: AreaGeometry, params: Readonly<Record<string, unknown>>): S;
  /**
   * A candidate for `count` pages aligned to 2^align pages, searching from `cursor` (0 on the first
   * try). `busy` holds flat [start, end) pfn runs that failed with -EBUSY during this request, for
   * allocators that do not search in address order. null when the area has no candidate left.
   */
  find(s: S, geo: AreaGeometry, count: number, align: number, cursor: number, busy: Extents): Candidate | null;
  /** Mark [pfn, pfn + count) allocated. */
  reserve(s: S, geo: AreaGeometry, pfn: number, count: number): S;
  /** Mark [pfn, pfn + count) free again (release, or a failed attempt). */
  unreserve(s: S, geo: AreaGeometry, pfn: number, count: number): S;
  /** Free runs as flat absolute [start, end) pfn pairs, ascending. */
  freeRuns(s: S, geo: AreaGeometry): number[];
  /** Pages the allocator accounts as used (the debugfs `used` file). */
  usedPages(s: S, geo: AreaGeometry): number;
  /** The debugfs `bitmap` view: u32 words, bit i of word w = granule 32w + i. */
  bitmapWords(s: S, geo: AreaGeometry): number[];
  /** Pages per allocation granule (2^order_per_bit for the bitmap). */
  granule(s: S): number;
}

/** Reads an optional non-negative integer parameter, naming it when it is bad. */
export function intParam(params: Readonly<Record<string, unknown>>, name: string, dflt: number, where: string): number {
  const v = params[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new Error(`${where}: allocator parameter '${name}' must be a non-negative integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** u32 words of a bitmap given its set runs (in bit units) and its size in bits. */
export function wordsOf(used: Extents, bits: number): number[] {
  const words = new Array<number>(Math.ceil(bits / 32)).fill(0);
  for (let i = 0; i < used.length; i += 2) {
    for (let b = used[i]; b < Math.min(used[i + 1], bits); b++) words[b >>> 5] = (words[b >>> 5] | (1 << (b & 31))) >>> 0;
  }
  return words;
}
