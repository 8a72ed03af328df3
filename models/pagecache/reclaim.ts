/**
 * Reclaim of clean page-cache pages from the LRU head, and allocation with reclaim (the direct
 * reclaim and kswapd of mm/vmscan.c, run synchronously inside the allocating event).
 * Simplifications: one LRU (no active/inactive split, a referenced bit gives a second chance);
 * dirty, writeback and pinned pages are rotated, not written back by reclaim.
 */
import { allocBlock, usableFree, type AllocRequest } from '../memory/allocator.ts';
import { codeAt, memStats, mutMemory, pbIndexIn, pbRead, zoneRead, type MemMut, type SealCtx } from '../memory/mutMemory.ts';
import { K_PAGECACHE, kindOf, pcFlags, PC_DIRTY, PC_REFERENCED, PC_WRITEBACK } from '../memory/pageCode.ts';
import { ovDelete, ovGet } from '../memory/recOverlay.ts';
import type { SimDraft } from '../state.ts';
import { lru as lruOf, lruChunks, mutPagecache, stats, type PcMut } from './mutPagecache.ts';
import { lruAppend, lruAppendRun, lruRunRoom, removePage, setPcFlags } from './pageOps.ts';
import { isPinned } from './reclaimIndex.ts';
import { extentPfn, extentRunEnd } from './extents.ts';
import { LRU_CHUNK } from './state.ts';
import { longestDirtyRun, throttleDirectReclaim, type Throttle } from './congestion.ts';

function inCmaPageblock(m: MemMut, pfn: number): boolean {
  return pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).mt === 'CMA';
}

export { isPinned };

/** Work done by reclaim, in LRU entries looked at and pages freed (a caller charges its cost). */
export interface ReclaimTally {
  scanned: number;
  freed: number;
  /** The allocating thread's direct-reclaim throttle (congestion.ts), when the kernel has one. */
  throttle?: Throttle;
}

/**
 * Reclaim up to `want` clean, unpinned, unreferenced pages, oldest first. Returns pages freed.
 * With `skipCma`, pages in CMA pageblocks are passed over (rotated), as direct reclaim for an
 * allocation that cannot use CMA does since 2023 (vmscan `skip_cma`). A scan looks at most at
 * `scanPerPage` entries per page wanted, or at the whole LRU once with `fullScan` (direct reclaim
 * at the kernel's last priority, before it declares the allocation failed).
 */
export function reclaimPages(m: MemMut, p: PcMut, want: number, skipCma = false, fullScan = false, tally?: ReclaimTally): number {
  const lru = lruOf(p);
  const ov = lruChunks(p);
  const budget = fullScan ? lru.tail - lru.head : Math.min(want * p.base.config.scanPerPage, lru.tail - lru.head);
  const idx = p.reclaimW ?? p.base.reclaim;
  if (budget > 0 && budget === lru.tail - lru.head && (skipCma ? idx.freeable - idx.freeableCma : idx.freeable) === 0) {
    // The pass would look at every entry once and free none: it would clear the referenced bits
    // and rotate every entry to the tail in order, leaving the order as it is. Do just the former.
    clearReferenced(m, p);
    if (tally) tally.scanned += budget;
    return 0;
  }
  let freed = 0, scanned = 0;
  // The chunk holding the head, read once per chunk until an append, which may copy that chunk
  // (absent: every position in it is a page that left).
  let ck = -1;
  let ch: readonly number[] | undefined;
  for (; freed < want && scanned < budget && lru.head < lru.tail; scanned++) {
    const pos = lru.head;
    const k = Math.floor(pos / LRU_CHUNK);
    if (k !== ck) { ch = ovGet(ov, k); ck = k; }
    const pfn = ch === undefined ? -1 : extentPfn(ch, pos);
    lru.head = pos + 1;
    if ((pos + 1) % LRU_CHUNK === 0) { ovDelete(ov, k); ck = -1; }
    if (pfn < 0) continue;
    const fl = pcFlags(codeAt(m, pfn));
    if (fl & PC_REFERENCED) {
      setPcFlags(m, p, pfn, 0, PC_REFERENCED);
      lruAppend(m, p, pfn);
      ck = -1;
    } else if (kept(m, pfn, fl, skipCma)) {
      // Rotate the run of kept pages that starts here at once: the pages the LRU holds at the next
      // positions of this chunk's extent are pfn+1, pfn+2, .., and each would be kept in turn.
      const room = lruRunRoom(m, p, pfn, Math.min(extentRunEnd(ch!, pos) - pos, budget - scanned, LRU_CHUNK - (pos % LRU_CHUNK)));
      let n = 1;
      while (n < room && kept(m, pfn + n, pcFlags(codeAt(m, pfn + n)), skipCma)) n++;
      lruAppendRun(m, p, pfn, n);
      lru.head = pos + n;
      scanned += n - 1;
      if ((pos + n) % LRU_CHUNK === 0) ovDelete(ov, k);
      ck = -1;
    } else {
      removePage(m, p, pfn);
      freed++;
    }
  }
  if (lru.head === lru.tail) {
    // Empty queue: drop a partly consumed chunk.
    const k = Math.floor(lru.head / LRU_CHUNK);
    if (lru.head % LRU_CHUNK !== 0) ovDelete(ov, k);
  }
  if (freed > 0) stats(p).reclaimed += freed;
  if (freed > 0) memStats(m).reclaimed += freed;
  if (tally) { tally.scanned += scanned; tally.freed += freed; }
  return freed;
}

/** Whether reclaim passes over the unreferenced page at pfn (flags fl) and rotates it: dirty, under writeback, pinned, or CMA when CMA is skipped. */
function kept(m: MemMut, pfn: number, fl: number, skipCma: boolean): boolean {
  return (fl & PC_REFERENCED) === 0 && ((fl & (PC_DIRTY | PC_WRITEBACK)) !== 0 || isPinned(m, pfn) || (skipCma && inCmaPageblock(m, pfn)));
}

/** Clear PC_REFERENCED on every LRU page, visiting only the LRU chunks that hold one. */
function clearReferenced(m: MemMut, p: PcMut): void {
  const refs = (p.reclaimW ?? p.base.reclaim).refChunks;
  const keys = Object.keys(refs);
  if (keys.length === 0) return;
  const ov = lruChunks(p);
  for (const key of keys) {
    const ch = ovGet(ov, Number(key))!;
    // Entries before the head may be stale (a consumed chunk is dropped only when done): the
    // page there, if any, is checked by its code.
    for (let r = 0; r < ch.length; r += 3) {
      for (let pfn = ch[r + 1]; pfn < ch[r + 1] + ch[r + 2]; pfn++) {
        const c = codeAt(m, pfn);
        if (kindOf(c) === K_PAGECACHE && pcFlags(c) & PC_REFERENCED) setPcFlags(m, p, pfn, 0, PC_REFERENCED);
      }
    }
  }
}

/**
 * allocBlock with reclaim: a zone below its low watermark is first reclaimed up to high
 * (kswapd, woken by the allocation, run synchronously here); on failure, direct reclaim of what
 * the request needs (passing over CMA pages when the request cannot use them) and one retry.
 * Returns the first pfn or -1 (the caller reports the failure). `tally` counts the reclaim work
 * done on the caller's behalf.
 */
export function allocWithReclaim(m: MemMut, p: PcMut, req: AllocRequest, tally?: ReclaimTally): number {
  const movable = req.mt === 'MOVABLE' && !req.noCma;
  if ((p.countsW ?? p.base.counts).nrPages > 0) {
    for (let zi = 0; zi < m.baseZones.length; zi++) {
      const z = zoneRead(m, zi);
      // The allocation wakes kswapd when its own view (free CMA pages count for movable requests)
      // is below low; kswapd then balances to high without CMA pages (zone_watermark_ok_safe
      // without ALLOC_CMA).
      if (usableFree(m, zi, movable) < z.watermark.low) {
        const deficit = z.watermark.high - usableFree(m, zi, false);
        if (deficit > 0) reclaimPages(m, p, deficit, false, false, tally);
      }
    }
  }
  let pfn = allocBlock(m, req);
  if (pfn < 0) {
    let want = 2 ** req.order;
    for (let zi = 0; zi < m.baseZones.length; zi++) want = Math.max(want, zoneRead(m, zi).watermark.min - usableFree(m, zi, movable) + 2 ** req.order);
    const th = tally?.throttle, bdi = p.dp.bdi;
    const dirtyRun = th !== undefined && bdi !== undefined ? longestDirtyRun(m, p, lruOf(p).tail - lruOf(p).head) : 0;
    const scanned0 = tally?.scanned ?? 0;
    if (reclaimPages(m, p, want, !movable && m.cfg.skipCma, true, tally) > 0) pfn = allocBlock(m, req);
    if (th !== undefined && bdi !== undefined) throttleDirectReclaim(bdi, th, dirtyRun, tally!.scanned - scanned0);
  }
  return pfn;
}

/** Both overlays of a simulation draft (ctx: see mutMemory). */
export function muts(d: SimDraft, ctx?: SealCtx): { m: MemMut; p: PcMut } {
  return { m: mutMemory(d.memory, ctx), p: mutPagecache(d.pagecache, ctx) };
}
