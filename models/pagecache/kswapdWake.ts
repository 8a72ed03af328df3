/**
 * What allocations and reclaim do to the kswapd thread of kswapd.ts (kept apart from it, which
 * runs reclaim.ts): wake it, and flag the zone congested.
 */
import type { Draft } from 'immer';
import { usableFree } from '../memory/allocator.ts';
import { zoneRead, type MemMut } from '../memory/mutMemory.ts';
import { congestionClearsAt, SWAP_CLUSTER_MAX } from './congestion.ts';
import type { KswapdState } from './kswapd.ts';
import type { PcMut } from './mutPagecache.ts';

/** Whether every zone is at or above its high watermark without free CMA pages (pgdat_balanced, order 0). */
export function balanced(m: MemMut): boolean {
  for (let zi = 0; zi < m.baseZones.length; zi++) if (usableFree(m, zi, false) < zoneRead(m, zi).watermark.high) return false;
  return true;
}

/**
 * wake_all_kswapds for an allocation (movable: free CMA pages count) about to take a page. In
 * 3.17 (mm/page_alloc.c __alloc_pages_nodemask) the fast path, get_page_from_freelist at the low
 * watermark, takes the page from the first zone of the zonelist that passes it; only when every
 * zone fails does __alloc_pages_slowpath run wake_all_kswapds, whose wakeup_kswapd skips a zone
 * already balanced. So kswapd is woken when every zone is below its low watermark in the
 * allocation's view, some zone is not balanced, and kswapd sleeps. The `pagecache.kswapd` event is
 * scheduled after the event (afterEvent).
 */
export function wakeForAllocation(m: MemMut, k: Draft<KswapdState>, movable: boolean): void {
  if (k.state !== 'asleep') return;
  for (let zi = 0; zi < m.baseZones.length; zi++) if (usableFree(m, zi, movable) >= zoneRead(m, zi).watermark.low) return;
  if (balanced(m)) return;
  k.state = 'woken';
  k.stats.wakeups++;
}

/**
 * Whether reclaim that scanned `scanned` entries from the LRU head, whose first batch all dirty or
 * under writeback was `dirtyBatch` (firstDirtyBatch, -1: none), flags the zone congested at `t`:
 * that batch was scanned and the device is write congested (shrink_inactive_list, 3.17).
 */
export function flagsZone(p: PcMut, t: number, dirtyBatch: number, scanned: number): boolean {
  const bdi = p.dp.bdi;
  return bdi !== undefined && dirtyBatch >= 0 && dirtyBatch < Math.ceil(scanned / SWAP_CLUSTER_MAX) && congestionClearsAt(bdi, t) !== null;
}
