/**
 * Reclaim of clean page-cache pages from the LRU head, and allocation with reclaim (the direct
 * reclaim and kswapd of mm/vmscan.c, run synchronously inside the allocating event).
 * Simplifications: one LRU (no active/inactive split, a referenced bit gives a second chance);
 * dirty, writeback and pinned pages are rotated, not written back by reclaim.
 */
import { allocBlock, usableFree, type AllocRequest } from '../memory/allocator.ts';
import { codeAt, mutMemory, pbIndexIn, pbRead, zoneRead, type MemMut } from '../memory/mutMemory.ts';
import { pcFlags, PC_DIRTY, PC_REFERENCED, PC_WRITEBACK } from '../memory/pageCode.ts';
import { ovDelete, ovGet } from '../memory/recOverlay.ts';
import type { SimState } from '../state.ts';
import type { Draft } from 'immer';
import { mutPagecache, type PcMut } from './mutPagecache.ts';
import { lruAppend, removePage, setPcFlags } from './pageOps.ts';
import { CHUNK } from './state.ts';

export function isPinned(m: MemMut, pfn: number): boolean {
  const pins = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).pins;
  return pins !== null && (pins[String(pfn & (m.pbPages - 1))] ?? 0) > 0;
}

/** Reclaim up to `want` clean, unpinned, unreferenced pages, oldest first. Returns pages freed. */
export function reclaimPages(m: MemMut, p: PcMut, want: number): number {
  const lru = p.dp.lru;
  const budget = Math.min(want * p.dp.config.scanPerPage, lru.tail - lru.head);
  let freed = 0;
  for (let scanned = 0; freed < want && scanned < budget && lru.head < lru.tail; scanned++) {
    const pos = lru.head;
    const k = String(Math.floor(pos / CHUNK));
    const pfn = ovGet(p.lru, k)![pos % CHUNK];
    lru.head = pos + 1;
    if ((pos + 1) % CHUNK === 0) ovDelete(p.lru, k);
    if (pfn < 0) continue;
    const fl = pcFlags(codeAt(m, pfn));
    if (fl & PC_REFERENCED) {
      setPcFlags(m, p, pfn, 0, PC_REFERENCED);
      lruAppend(m, p, pfn);
    } else if (fl & (PC_DIRTY | PC_WRITEBACK) || isPinned(m, pfn)) {
      lruAppend(m, p, pfn);
    } else {
      removePage(m, p, pfn);
      freed++;
    }
  }
  if (lru.head === lru.tail) {
    // Empty queue: drop a partly consumed chunk.
    const k = String(Math.floor(lru.head / CHUNK));
    if (lru.head % CHUNK !== 0) ovDelete(p.lru, k);
  }
  p.dp.stats.reclaimed += freed;
  m.dm.stats.reclaimed += freed;
  return freed;
}

/**
 * allocBlock with reclaim: on failure reclaim enough to reach the high watermark and retry once;
 * after success, if the zone fell below its low watermark, reclaim back up to high (kswapd).
 * Returns the first pfn or -1 (the caller reports the failure).
 */
export function allocWithReclaim(m: MemMut, p: PcMut, req: AllocRequest): number {
  let pfn = allocBlock(m, req);
  const movable = req.mt === 'MOVABLE' && !req.noCma;
  if (pfn < 0) {
    let want = 2 ** req.order;
    for (let zi = 0; zi < m.baseZones.length; zi++) want = Math.max(want, zoneRead(m, zi).watermark.high - usableFree(m, zi, movable) + 2 ** req.order);
    if (reclaimPages(m, p, want) > 0) pfn = allocBlock(m, req);
    if (pfn < 0) return -1;
  }
  const zi = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).zone;
  const z = zoneRead(m, zi);
  const usable = usableFree(m, zi, false);
  if (usable < z.watermark.low && p.dp.nrPages > 0) reclaimPages(m, p, z.watermark.high - usable);
  return pfn;
}

/** Both overlays of a simulation draft. */
export function muts(d: Draft<SimState>): { m: MemMut; p: PcMut } {
  return { m: mutMemory(d.memory), p: mutPagecache(d.pagecache) };
}
