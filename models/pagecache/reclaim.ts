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
import { eachCodeRun, lruAppendRun, lruRunRoom, removeRun, sameCodeRun, setPcFlagsRun } from './pageOps.ts';
import { isPinned } from './reclaimIndex.ts';
import { extentNextKey, extentPfn, extentRunEnd } from './extents.ts';
import { LRU_CHUNK } from './state.ts';
import { firstDirtyBatch, throttleDirectReclaim, type Throttle } from './congestion.ts';

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
  // One step per run: positions pos .. pos+n-1 that page-by-page reclaim would treat alike, one
  // after another (all empty, or pages pfn .. pfn+n-1 of one page code, one slot run and, for
  // clean unreferenced pages, one pin state), within one LRU chunk and the scan budget.
  while (freed < want && scanned < budget && lru.head < lru.tail) {
    const pos = lru.head;
    const k = Math.floor(pos / LRU_CHUNK);
    if (k !== ck) { ch = ovGet(ov, k); ck = k; }
    const room = Math.min(budget - scanned, LRU_CHUNK - (pos % LRU_CHUNK), lru.tail - pos);
    const pfn = ch === undefined ? -1 : extentPfn(ch, pos);
    let n: number;
    if (pfn < 0) {
      // Positions whose pages left: each is stepped over and counted as scanned.
      const next = ch === undefined ? -1 : extentNextKey(ch, pos);
      n = next < 0 ? room : Math.min(room, next - pos);
      lru.head = pos + n;
    } else {
      n = sameCodeRun(m, pfn, lruRunRoom(m, p, pfn, Math.min(room, extentRunEnd(ch!, pos) - pos)), false);
      const fl = pcFlags(codeAt(m, pfn));
      const clean = (fl & (PC_REFERENCED | PC_DIRTY | PC_WRITEBACK)) === 0 && !(skipCma && inCmaPageblock(m, pfn));
      // Clean unreferenced pages are freed unless pinned: their pin state splits the run.
      if (clean) n = sameCodeRun(m, pfn, n, true);
      if (clean && !isPinned(m, pfn)) n = Math.min(n, want - freed);
      lru.head = pos + n;
      if (fl & PC_REFERENCED) {
        // Second chance: the referenced bit is cleared and the run goes to the tail.
        setPcFlagsRun(m, p, pfn, n, 0, PC_REFERENCED);
        lruAppendRun(m, p, pfn, n);
        ck = -1;
      } else if (!clean || isPinned(m, pfn)) {
        // Kept (dirty, under writeback, passed over as CMA, pinned): rotated to the tail.
        lruAppendRun(m, p, pfn, n);
        ck = -1;
      } else {
        removeRun(m, p, pfn, n);
        freed += n;
      }
    }
    scanned += n;
    if ((pos + n) % LRU_CHUNK === 0) { ovDelete(ov, k); ck = -1; }
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

/** Clear PC_REFERENCED on every LRU page, visiting only the LRU chunks that hold one, a run of pages at a time. */
function clearReferenced(m: MemMut, p: PcMut): void {
  const refs = (p.reclaimW ?? p.base.reclaim).refChunks;
  const keys = Object.keys(refs);
  if (keys.length === 0) return;
  const ov = lruChunks(p);
  for (const key of keys) {
    const ch = ovGet(ov, Number(key))!;
    // Entries before the head may be stale (a consumed chunk is dropped only when done): the
    // pages there, if any, are checked by their codes.
    for (let r = 0; r < ch.length; r += 3) {
      eachCodeRun(m, ch[r + 1], ch[r + 2], false, (pfn, n, fl) => {
        if (kindOf(codeAt(m, pfn)) !== K_PAGECACHE || !(fl & PC_REFERENCED)) return;
        // The referenced count is kept per LRU position, and a stale entry's pages may now sit at
        // positions that do not follow on: one slot run at a time.
        for (let j = 0; j < n;) {
          const k = lruRunRoom(m, p, pfn + j, n - j);
          setPcFlagsRun(m, p, pfn + j, k, 0, PC_REFERENCED);
          j += k;
        }
      });
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
    const dirtyBatch = th !== undefined && bdi !== undefined ? firstDirtyBatch(m, p, lruOf(p).tail - lruOf(p).head) : -1;
    const scanned0 = tally?.scanned ?? 0;
    if (reclaimPages(m, p, want, !movable && m.cfg.skipCma, true, tally) > 0) pfn = allocBlock(m, req);
    if (th !== undefined && bdi !== undefined) throttleDirectReclaim(bdi, th, dirtyBatch, tally!.scanned - scanned0);
  }
  return pfn;
}

/** Both overlays of a simulation draft (ctx: see mutMemory). */
export function muts(d: SimDraft, ctx?: SealCtx): { m: MemMut; p: PcMut } {
  return { m: mutMemory(d.memory, ctx), p: mutPagecache(d.pagecache, ctx) };
}
