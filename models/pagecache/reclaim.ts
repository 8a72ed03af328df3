/**
 * Reclaim of clean page-cache pages from the LRU head, and allocation with reclaim (the direct
 * reclaim and kswapd of mm/vmscan.c; kswapd runs synchronously inside the allocating event unless
 * the kernel profile makes it a thread, kswapd.ts).
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
import type { Draft } from 'immer';
import { firstDirtyBatch, SWAP_CLUSTER_MAX, throttleDirectReclaim, throttleSlowPath, type Throttle } from './congestion.ts';
import type { KswapdState } from './kswapd.ts';
import { flagsZone, wakeForAllocation } from './kswapdWake.ts';

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
  /**
   * Set by reclaimPages when present: the index of the first batch of SWAP_CLUSTER_MAX page-cache
   * entries it looked at whose pages were all dirty or under writeback (-1: none), as
   * firstDirtyBatch would have found before the scan, without a second walk.
   */
  dirtyBatch?: number;
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
    if (tally !== undefined && tally.dirtyBatch !== undefined && tally.dirtyBatch < 0) tally.dirtyBatch = firstDirtyBatch(m, p, budget);
    clearReferenced(m, p);
    if (tally) tally.scanned += budget;
    return 0;
  }
  let freed = 0, scanned = 0;
  // Batches of page-cache entries seen, for tally.dirtyBatch.
  const track = tally !== undefined && tally.dirtyBatch !== undefined;
  let seen = 0, cleanInBatch = false, dirtyBatch = -1;
  const see = (n: number, dirty: boolean): void => {
    while (n > 0) {
      const take = Math.min(n, SWAP_CLUSTER_MAX - (seen % SWAP_CLUSTER_MAX));
      if (!dirty) cleanInBatch = true;
      seen += take;
      n -= take;
      if (seen % SWAP_CLUSTER_MAX === 0) {
        if (!cleanInBatch && dirtyBatch < 0) dirtyBatch = seen / SWAP_CLUSTER_MAX - 1;
        cleanInBatch = false;
      }
    }
  };
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
      const dirty = (fl & (PC_DIRTY | PC_WRITEBACK)) !== 0;
      // Clean unreferenced pages are freed unless pinned: their pin state splits the run.
      if (clean) n = sameCodeRun(m, pfn, n, true);
      if (clean && !isPinned(m, pfn)) n = Math.min(n, want - freed);
      lru.head = pos + n;
      if (track) see(n, dirty);
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
  if (track && tally!.dirtyBatch! < 0) tally!.dirtyBatch = dirtyBatch;
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
 * allocBlock with reclaim. With kswapd inline (every profile but 3.17): a zone below its low
 * watermark is first reclaimed up to high (kswapd, woken by the allocation, run synchronously
 * here); on failure, direct reclaim of what the request needs (passing over CMA pages when the
 * request cannot use them) and one retry. With kswapd a thread (kswapd.ts) the allocation only
 * wakes it and goes on down to the min watermark; below it, direct reclaim (directReclaim).
 * Returns the first pfn or -1 (the caller reports the failure). `tally` counts the reclaim work
 * done on the caller's behalf.
 */
export function allocWithReclaim(m: MemMut, p: PcMut, req: AllocRequest, tally?: ReclaimTally): number {
  const movable = req.mt === 'MOVABLE' && !req.noCma;
  const k = p.dp.kswapd;
  if (k !== undefined) {
    if ((p.countsW ?? p.base.counts).nrPages > 0) wakeForAllocation(m, k, movable);
    const pfn = allocBlock(m, req);
    return pfn >= 0 ? pfn : directReclaim(m, p, req, movable, k, tally);
  }
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
    const th = tally?.throttle, bdi = throttlingBdi(p);
    const dirtyBatch = th !== undefined && bdi !== undefined ? firstDirtyBatch(m, p, lruOf(p).tail - lruOf(p).head) : -1;
    const scanned0 = tally?.scanned ?? 0;
    if (reclaimPages(m, p, want, !movable && m.cfg.skipCma, true, tally) > 0) pfn = allocBlock(m, req);
    if (th !== undefined && bdi !== undefined) throttleDirectReclaim(bdi, th, dirtyBatch, tally!.scanned - scanned0);
  }
  return pfn;
}

/**
 * The slow path of an allocation that failed at the min watermark with kswapd a thread (mm/page_alloc.c
 * __alloc_pages_slowpath, 3.17): direct reclaim (try_to_free_pages, nr_to_reclaim SWAP_CLUSTER_MAX,
 * mm/vmscan.c), then the allocation again; while reclaim makes progress and the allocation still
 * fails, should_alloc_retry keeps an order <= PAGE_ALLOC_COSTLY_ORDER request looping, each time
 * after wait_iff_congested(HZ/50). No progress: the allocation fails (the OOM path is not modelled).
 * The throttles sleep only for a caller that times its thread (`tally.throttle`) on a kernel that
 * keeps the request queue: each shrink_inactive_list call once the zone is flagged congested (by
 * kswapd or this reclaim) sleeps while the device stays congested, up to HZ/10, and the HZ/50 wait
 * the same way (congestion.ts).
 */
function directReclaim(m: MemMut, p: PcMut, req: AllocRequest, movable: boolean, k: Draft<KswapdState>, tally?: ReclaimTally): number {
  const th = tally?.throttle, bdi = throttlingBdi(p);
  const own: ReclaimTally = { scanned: 0, freed: 0 };
  for (;;) {
    const t = th !== undefined ? th.at + th.ns : null;
    const scanned0 = own.scanned;
    own.dirtyBatch = -1;
    const freed = reclaimPages(m, p, SWAP_CLUSTER_MAX, !movable && m.cfg.skipCma, true, own);
    const scanned = own.scanned - scanned0;
    const dirtyBatch = bdi !== undefined && t !== null ? (k.zoneCongested ? 0 : own.dirtyBatch) : -1;
    k.stats.directCalls++;
    k.stats.directScanned += scanned;
    k.stats.directReclaimed += freed;
    if (tally) { tally.scanned += scanned; tally.freed += freed; }
    if (t !== null && flagsZone(p, t, dirtyBatch, scanned)) k.zoneCongested = true;
    if (th !== undefined && bdi !== undefined) throttleDirectReclaim(bdi, th, dirtyBatch, scanned);
    const pfn = freed > 0 ? allocBlock(m, req) : -1;
    if (pfn >= 0 || freed === 0) return pfn;
    if (th !== undefined && bdi !== undefined && k.zoneCongested) throttleSlowPath(bdi, th);
  }
}

/** The request queue when direct reclaim sleeps on its congestion (reclaimThrottle), else undefined. */
function throttlingBdi(p: PcMut) {
  const bdi = p.dp.bdi;
  return bdi !== undefined && bdi.reclaimWaits !== false ? bdi : undefined;
}

/** Both overlays of a simulation draft (ctx: see mutMemory). */
export function muts(d: SimDraft, ctx?: SealCtx): { m: MemMut; p: PcMut } {
  return { m: mutMemory(d.memory, ctx), p: mutPagecache(d.pagecache, ctx) };
}
