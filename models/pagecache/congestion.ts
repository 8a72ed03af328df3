/**
 * The block device's write request queue and its congested state, and the throttling of direct
 * reclaim on it, as Linux 3.17 does them (kernel profile field `reclaimThrottle`):
 *
 * - block/blk-core.c (3.17): a queue holds at most q->nr_requests requests of each direction,
 *   BLKDEV_MAX_RQ = 128 by default (include/linux/blkdev.h). blk_queue_congestion_threshold marks
 *   the async (write) side congested once nr_requests - nr_requests/8 + 1 requests are allocated
 *   (113) and clears it when fewer than nr_requests - nr_requests/8 - nr_requests/16 - 1 remain
 *   (103): __get_request sets it, freed_request clears it and wakes the congestion waiters.
 * - mm/vmscan.c shrink_page_list / shrink_inactive_list (3.17): a batch of isolated file pages
 *   counts nr_dirty (dirty or under writeback) and nr_congested (their backing device write
 *   congested); when nr_dirty == nr_congested != 0 the zone is flagged ZONE_CONGESTED, and at the
 *   end of every shrink_inactive_list run by direct reclaim (not kswapd),
 *   wait_iff_congested(zone, BLK_RW_ASYNC, HZ/10) follows.
 * - mm/backing-dev.c wait_iff_congested (3.17): returns at once (cond_resched) unless some device
 *   is write congested and the zone is flagged; otherwise sleeps until a device clears its
 *   congestion (clear_bdi_congested wakes the queue) or the timeout, HZ/10 = 100 ms.
 *
 * Simplifications (some wait less than the kernel, some more): a batch is SWAP_CLUSTER_MAX consecutive LRU
 * entries from the head (the model has one LRU, no inactive/active split); with kswapd inline the
 * zone flag is decided per allocation (kswapd runs to completion inside it, so it clears the flag,
 * as balance_pgdat does for a balanced zone, before another allocation can see it), with kswapd a
 * thread it is state (kswapd.ts: set by any reclaim batch, cleared when kswapd sleeps); the wake-up is
 * computed from the requests in flight when the sleep starts (a request submitted during the
 * sleep could only keep the queue congested longer); the flusher is never blocked on a full queue
 * (it is not the thread the model times); the sleep starts at the start of the migration pass that
 * needed the target and the pass's CPU time is added after it (the model does not track time
 * within a pass), which can make a request wait longer than the kernel's. Later kernels replaced this (reclaim_throttle, 5.16);
 * no other profile models a throttle.
 */
import type { Draft } from 'immer';
import { codeAt, type MemMut } from '../memory/mutMemory.ts';
import { K_PAGECACHE, kindOf, pcFlags, PC_DIRTY, PC_WRITEBACK } from '../memory/pageCode.ts';
import { ovGet } from '../memory/recOverlay.ts';
import { extentPfn } from './extents.ts';
import { lru as lruOf, lruChunks, type PcMut } from './mutPagecache.ts';
import { LRU_CHUNK, type BdiState } from './state.ts';

/** q->nr_requests by default: BLKDEV_MAX_RQ (include/linux/blkdev.h, 3.17). */
export const BLKDEV_MAX_RQ = 128;
/**
 * Largest write request in pages: BLK_DEF_MAX_SECTORS = 1024 sectors of 512 bytes (include/linux/blkdev.h,
 * 3.17), 512 KiB. A writeback run is one file range; the model assumes its blocks are contiguous on
 * the device (one extent), so it is ceil(bytes / 512 KiB) requests.
 */
export const MAX_REQUEST_BYTES = 1024 * 512;
/** Pages one shrink_inactive_list isolates from the LRU: SWAP_CLUSTER_MAX (include/linux/swap.h). */
export const SWAP_CLUSTER_MAX = 32;
/** wait_iff_congested's timeout in shrink_inactive_list: HZ/10 jiffies, 100 ms whatever HZ (100, 250, 300, 1000). */
export const CONGESTION_TIMEOUT_NS = 100_000_000;
/** wait_iff_congested's timeout in __alloc_pages_slowpath before it retries (mm/page_alloc.c, 3.17): HZ/50 jiffies, 20 ms at HZ 100, 250, 300, 1000. */
export const SLOWPATH_CONGESTION_TIMEOUT_NS = 20_000_000;

/** Requests at which the write side becomes congested (blk_queue_congestion_threshold, block/blk-core.c 3.17). */
export function congestionOn(nrRequests: number): number {
  return Math.min(nrRequests, nrRequests - Math.floor(nrRequests / 8) + 1);
}

/** Requests below which it stops being congested (the same function). */
export function congestionOff(nrRequests: number): number {
  return Math.max(1, nrRequests - Math.floor(nrRequests / 8) - Math.floor(nrRequests / 16) - 1);
}

/** The device state a kernel with the throttle boots with; absent (undefined) without it. */
export function initialBdi(nrRequests = BLKDEV_MAX_RQ): BdiState {
  return { nrRequests, writes: [], congested: false };
}

/** Completions up to `t` of the requests in flight: how many are left, and whether the queue is still congested. */
function after(bdi: BdiState, t: number): { left: number; congested: boolean } {
  const off = congestionOff(bdi.nrRequests);
  let left = bdi.writes.length, congested = bdi.congested;
  for (const done of bdi.writes) {
    if (done > t) break;
    left--;
    if (congested && left < off) congested = false;
  }
  return { left, congested };
}

/**
 * Queue the write requests of a writeback run of `pages` pages that the device writes from
 * `start`, `perPageNs` per page, at time `now`: each request completes when its last page is
 * written. Sets the congested state when the requests in flight reach the threshold.
 */
export function submitWrites(bdi: Draft<BdiState>, now: number, start: number, pages: number, perPageNs: number, pageSize: number): void {
  const { left, congested } = after(bdi, now);
  bdi.writes.splice(0, bdi.writes.length - left);
  bdi.congested = congested;
  const per = Math.max(1, Math.floor(MAX_REQUEST_BYTES / pageSize));
  for (let done = 0; done < pages; done += per) bdi.writes.push(start + Math.min(pages, done + per) * perPageNs);
  if (bdi.writes.length >= congestionOn(bdi.nrRequests)) bdi.congested = true;
}

/** Write requests still in flight at `t`. */
export function inFlight(bdi: BdiState, t: number): number {
  return after(bdi, t).left;
}

/** When the write side stops being congested, as seen at `t`: null when it is not congested then. */
export function congestionClearsAt(bdi: BdiState, t: number): number | null {
  const { left, congested } = after(bdi, t);
  if (!congested) return null;
  // The (left - off + 1)-th completion after t brings the count below the threshold.
  return bdi.writes[bdi.writes.length - left + (left - congestionOff(bdi.nrRequests))];
}

/**
 * The index of the first batch of SWAP_CLUSTER_MAX page-cache entries, counted from the LRU head
 * among the first `limit`, whose pages are all dirty or under writeback: the batch whose
 * shrink_inactive_list call flags the zone congested (entries of pages that left are stepped
 * over, as the scan steps over them). -1 when no such batch.
 */
export function firstDirtyBatch(m: MemMut, p: PcMut, limit: number): number {
  const l = lruOf(p);
  const ov = lruChunks(p);
  let seen = 0, clean = false;
  for (let pos = l.head; pos < l.tail && seen < limit; pos++) {
    const ch = ovGet(ov, Math.floor(pos / LRU_CHUNK));
    if (ch === undefined) { pos = (Math.floor(pos / LRU_CHUNK) + 1) * LRU_CHUNK - 1; continue; }
    const pfn = extentPfn(ch, pos);
    if (pfn < 0) continue;
    const c = codeAt(m, pfn);
    if (kindOf(c) !== K_PAGECACHE) continue;
    if (!(pcFlags(c) & (PC_DIRTY | PC_WRITEBACK))) clean = true;
    seen++;
    if (seen % SWAP_CLUSTER_MAX === 0) {
      if (!clean) return seen / SWAP_CLUSTER_MAX - 1;
      clean = false;
    }
  }
  return -1;
}

/** The direct-reclaim throttle of an allocating thread: when its sleeps start and how long they took so far. */
export interface Throttle {
  /** When the thread's work that reaches direct reclaim started (ns). */
  readonly at: number;
  /** Sleeps so far (ns). */
  ns: number;
}

/**
 * Sleep direct reclaim by `th`'s thread that scanned `scanned` LRU entries, ceil(scanned /
 * SWAP_CLUSTER_MAX) shrink_inactive_list calls, of which batch `dirtyBatch` (firstDirtyBatch; -1
 * for none) was all dirty or under writeback: from that call on the zone is flagged, and each
 * call ends in wait_iff_congested, which sleeps while the device stays congested, up to 100 ms
 * each. Calls before it, a batch beyond what was scanned, or an uncongested device: no sleep.
 */
export function throttleDirectReclaim(bdi: BdiState, th: Throttle, dirtyBatch: number, scanned: number): void {
  const calls = Math.ceil(scanned / SWAP_CLUSTER_MAX);
  if (dirtyBatch < 0 || dirtyBatch >= calls) return;
  const t = th.at + th.ns;
  const clears = congestionClearsAt(bdi, t);
  if (clears === null) return;
  th.ns += Math.min(clears - t, (calls - dirtyBatch) * CONGESTION_TIMEOUT_NS);
}

/**
 * The slow path's wait before it retries an allocation that direct reclaim made progress for but
 * that still failed (wait_iff_congested(preferred_zone, BLK_RW_ASYNC, HZ/50), mm/page_alloc.c
 * 3.17), on a zone flagged congested: sleeps while the device stays congested, up to 20 ms.
 */
export function throttleSlowPath(bdi: BdiState, th: Throttle): void {
  const t = th.at + th.ns;
  const clears = congestionClearsAt(bdi, t);
  if (clears !== null) th.ns += Math.min(clears - t, SLOWPATH_CONGESTION_TIMEOUT_NS);
}
