/**
 * Upkeep of the reclaim index (state.ts ReclaimIndex): every change to whether an LRU page is
 * freeable on sight (its flags, its pins, it entering or leaving the cache, its pageblock becoming
 * or ceasing to be MIGRATE_CMA) and to its referenced bit goes through here.
 */
import { pbIndexIn, pbRead, type MemMut } from '../memory/mutMemory.ts';
import { PC_DIRTY, PC_REFERENCED, PC_WRITEBACK } from '../memory/pageCode.ts';
import { ovGet, ovOwn, ovPut } from '../memory/recOverlay.ts';
import { reclaimIndex, type PcMut } from './mutPagecache.ts';
import { LRU_CHUNK, PB_GROUP } from './state.ts';

export function isPinned(m: MemMut, pfn: number): boolean {
  const pins = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).pins;
  return pins !== null && (pins[String(pfn & (m.pbPages - 1))] ?? 0) > 0;
}

/** Whether a page-cache page with these flags and pin state would be reclaimed on sight. */
export function freeableFlags(flags: number, pinned: boolean): boolean {
  return (flags & (PC_DIRTY | PC_WRITEBACK | PC_REFERENCED)) === 0 && !pinned;
}

/** Count the page at pfn in (delta 1) or out of (delta -1) the freeable pages. */
export function noteFreeable(m: MemMut, p: PcMut, pfn: number, delta: number): void {
  noteFreeableIn(m, p, pbIndexIn(m.banks, m.pbOrder, pfn), delta);
}

/** noteFreeable for pages of pageblock `pbi`. */
export function noteFreeableIn(m: MemMut, p: PcMut, pbi: number, delta: number): void {
  const r = reclaimIndex(p);
  r.freeable += delta;
  if (pbRead(m, pbi).mt === 'CMA') r.freeableCma += delta;
  const ov = p.pbFreeOv!;
  const g = Math.floor(pbi / PB_GROUP);
  let counts = ovOwn(ov, g);
  if (counts === undefined) {
    counts = new Array(PB_GROUP).fill(0);
    ovPut(ov, g, counts);
  }
  counts[pbi % PB_GROUP] += delta;
}

/** A referenced page at each LRU position pos .. pos+n-1 appears (delta 1) or goes (delta -1). */
export function noteReferenced(p: PcMut, pos: number, delta: number, n = 1): void {
  const refs = reclaimIndex(p).refChunks;
  for (let at = pos; at < pos + n;) {
    const k = Math.floor(at / LRU_CHUNK);
    const stop = Math.min(pos + n, (k + 1) * LRU_CHUNK);
    const c = (refs[k] ?? 0) + delta * (stop - at);
    if (c > 0) refs[k] = c;
    else delete refs[k];
    at = stop;
  }
}

/** Freeable page-cache pages of pageblock `pbi`. */
export function freeableIn(p: PcMut, pbi: number): number {
  const counts = p.reclaimW !== null ? ovGet(p.pbFreeOv!, Math.floor(pbi / PB_GROUP)) : p.base.reclaim.pbFreeable[String(Math.floor(pbi / PB_GROUP))];
  return counts === undefined ? 0 : counts[pbi % PB_GROUP];
}

/** Call before pageblock `pbi` changes from migratetype `from` to `to`: moves its freeable pages in or out of freeableCma. */
export function noteMigratetypeChange(p: PcMut, pbi: number, from: string, to: string): void {
  if ((from === 'CMA') === (to === 'CMA')) return;
  const n = freeableIn(p, pbi);
  if (n > 0) reclaimIndex(p).freeableCma += to === 'CMA' ? n : -n;
}
