/**
 * The kernel-wide spinlocks that allocations in different CMA areas still share when each area
 * has its own mutex (per-area locks, 6.15+): the zone's free-list lock (zone->lock: isolating a
 * pageblock in set_migratetype_isolate, taking free pages in isolate_freepages_range, the buddy
 * work of allocating migration targets and freeing the pages migrated away) and the LRU lock
 * (lruvec->lru_lock: isolate_migratepages_block takes pages off the LRU, putback returns them).
 * Each is a FIFO server: a holder occupies it from max(now, busy-until) for its hold time, so a
 * second allocation waits only while another one's section is running. Spinlocks disable
 * preemption, so a hold does not stretch under CPU contention; the hold is part of the phase's
 * own cost (the per-page costs were measured with the locks taken), only the wait is added.
 */
export interface SharedLocks {
  /** Time (ns) each lock is busy until. */
  readonly zone: number;
  readonly lru: number;
}

export const FREE_SHARED_LOCKS: SharedLocks = Object.freeze({ zone: 0, lru: 0 });

/**
 * The holds of a phase of `cpuNs`, scaled down to fit it when they would exceed it: the locks are
 * taken inside the phase's own work, so a holder never waits for its own earlier section.
 */
export function withinPass(cpuNs: number, zoneNs: number, lruNs: number): [number, number] {
  const total = zoneNs + lruNs;
  if (total <= cpuNs) return [zoneNs, lruNs];
  const zone = Math.floor((zoneNs * cpuNs) / total);
  return [zone, Math.floor((lruNs * cpuNs) / total)];
}

/**
 * Take the LRU lock for `lruNs`, then the zone lock for `zoneNs`, from `now` (a migration pass
 * isolates its pages from the LRU, then allocates targets and frees sources in the buddy
 * allocator): returns the time spent waiting and sets each lock's busy-until. A hold of 0 takes
 * nothing.
 */
export function holdShared(locks: { zone: number; lru: number }, now: number, zoneNs: number, lruNs: number): number {
  let t = now, waited = 0;
  if (lruNs > 0) {
    const start = Math.max(t, locks.lru);
    waited += start - t;
    locks.lru = start + lruNs;
    t = start + lruNs;
  }
  if (zoneNs > 0) {
    const start = Math.max(t, locks.zone);
    waited += start - t;
    locks.zone = start + zoneNs;
  }
  return waited;
}
