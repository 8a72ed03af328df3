/**
 * The kernel-wide locks that allocations in different CMA areas still share when each area has
 * its own mutex (per-area locks, 6.15+, commit 24ac6fb6e364 "mm/cma: using per-CMA locks to
 * improve concurrent allocation performance"). Per page: the zone's free-list lock (zone->lock:
 * isolating a pageblock in set_migratetype_isolate, taking free pages in isolate_freepages_range,
 * the buddy work of allocating migration targets and freeing the pages migrated away) and the LRU
 * lock (lruvec->lru_lock: isolate_migratepages_block takes pages off the LRU, putback returns
 * them); both belong to one node, so areas on different nodes do not share them. Once per
 * alloc_contig_range, whatever the node: the two global drain mutexes (see holdDrain).
 * Each is a FIFO server: a holder occupies it from max(now, busy-until) for its hold time, so a
 * second allocation waits only while another one's section is running. Spinlocks disable
 * preemption, so a hold does not stretch under CPU contention; the hold is part of the phase's
 * own cost (the per-page costs were measured with the locks taken), only the wait is added.
 */
export interface SharedLocks {
  /** Time (ns) each lock is busy until. */
  readonly zone: number;
  readonly lru: number;
  /**
   * The global drain mutexes (pcpu_drain_mutex, then lru_add_drain_all's own), taken as one: the
   * holds reserved and not yet over, as [begin, end) pairs flattened and sorted by begin. A hold is
   * reserved when its allocation isolates, before it starts, so a later reservation may fall
   * before an earlier one.
   */
  readonly drain: readonly number[];
}

export const FREE_SHARED_LOCKS: SharedLocks = Object.freeze({ zone: 0, lru: 0, drain: Object.freeze([]) as readonly number[] });

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

/**
 * The drain of alloc_contig_range, `ns` of it from `start`, under the kernel's global drain
 * mutexes: returns the time spent waiting and sets the busy-until. In 6.15 (mm/page_alloc.c,
 * mm/swap.c) alloc_contig_range isolates its pageblocks, then drain_all_pages(zone) runs under the
 * global pcpu_drain_mutex (a caller naming a zone blocks on it rather than skipping the drain),
 * then __alloc_contig_migrate_range calls lru_cache_disable, whose __lru_add_drain_all(true) takes
 * the global mutex of lru_add_drain_all and, being forced, never skips the drain because another
 * caller's generation already covered it. Every caller takes the two mutexes in that order; the
 * model takes them as one server held for the whole drain, which gives a queued caller at most
 * the wait of the two sections back to back (at least that of the longer one, when they pipeline).
 * The model applies this to any lockMode 'per-area' run, whatever the profile's version: older
 * kernels get the 6.15 serialisation and cost.
 * The model reserves each hold when its allocation isolates, before the drain starts, and puts it
 * in the first gap at or after its own start that fits it: a mutex serves whoever reaches it
 * first, so a drain that starts earlier than one already reserved does not wait for it. `now` (no
 * later than `start`) drops the holds already over, which keeps the state small. Unlike the
 * spinlocks these are mutexes, whose holder can be preempted: the hold is the drain's wall time
 * (the caller's).
 */
export function holdDrain(locks: { drain: readonly number[] | number }, now: number, start: number, ns: number): number {
  if (ns <= 0) return 0;
  // States saved before the drain mutexes were modelled lack them; before the holds were kept, a busy-until.
  const kept = locks.drain ?? [];
  const held = typeof kept === 'number' ? [0, kept] : kept;
  const next: number[] = [];
  let t = start, placed = false;
  for (let i = 0; i < held.length; i += 2) {
    const b = held[i], e = held[i + 1];
    if (e <= now) continue;
    if (!placed && e > t) {
      if (b >= t + ns) {
        next.push(t, t + ns);
        placed = true;
      } else t = e;
    }
    next.push(b, e);
  }
  if (!placed) next.push(t, t + ns);
  locks.drain = next;
  return t - start;
}
