/**
 * kswapd as a thread of its own (kernel profile field `kswapd: 'thread'`, the 3.17 profile), as
 * mm/vmscan.c and mm/page_alloc.c of v3.17 run it:
 *
 * - Woken: the allocation fast path takes a zone only while it stays at or above its low
 *   watermark; when that fails, __alloc_pages_slowpath calls wake_all_kswapds, and wakeup_kswapd
 *   wakes the thread only if it sleeps on kswapd_wait and the zone is not balanced
 *   (zone_balanced: zone_watermark_ok_safe at the high watermark with alloc_flags 0, so free CMA
 *   pages do not count). The allocation itself goes on at the min watermark (gfp_to_alloc_flags).
 * - It must get a CPU: it is a nice-0 kernel thread, woken like any other (models/timing/sched.ts
 *   rule 3 on its own run clock, or at once under the fair-share stretch of cpu.ts).
 * - It reclaims in batches: balance_pgdat -> kswapd_shrink_zone -> shrink_zone ->
 *   shrink_inactive_list isolates SWAP_CLUSTER_MAX pages at a time, and balance_pgdat stops once
 *   every zone is balanced at its high watermark (pgdat_balanced). Each batch is one
 *   `pagecache.kswapd` event; its CPU (entries scanned and pages freed at the cost model's reclaim
 *   costs) is charged to kswapd's own clock, and the next batch comes when that CPU time is over.
 *   A batch that frees nothing ends the run and kswapd sleeps until woken again: the zone counts
 *   as balanced once it is not reclaimable (pgdat_balanced's special case for !zone_reclaimable,
 *   which the kernel decides after scanning six times the zone's reclaimable pages in vain).
 * - It sleeps: kswapd_try_to_sleep sleeps HZ/10 (schedule_timeout), and if the zones are no longer
 *   balanced at its end (prepare_kswapd_sleep) it balances again without being woken; otherwise it
 *   sleeps until wakeup_kswapd. A batch whose pages were all dirty on a congested device flags the
 *   zone congested (shrink_inactive_list, global reclaim); finding the zones balanced clears the
 *   flag (balance_pgdat, kswapd_shrink_zone).
 *
 * What the allocating thread does below min (direct reclaim, the throttles) is reclaim.ts's.
 * Simplifications: one kswapd for the machine (one node); one flag for all zones (the model has
 * one LRU); a batch reclaims up to SWAP_CLUSTER_MAX pages, looking at up to `scanPerPage` entries
 * a page, not the priority-scaled scan of shrink_zone (which can overshoot the high watermark);
 * kswapd's CPU does not stretch the allocating thread's run queue.
 */
import { isDraft, original, type Draft } from 'immer';
import type { SimEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import type { SimDraft } from '../state.ts';
import type { PageCacheState } from './state.ts';
import { cpuTime } from '../timing/cpu.ts';
import { onCpuAt, runFor, schedOf, wakeAt, type RunClock } from '../timing/sched.ts';
import { SWAP_CLUSTER_MAX } from './congestion.ts';
import { balanced, flagsZone } from './kswapdWake.ts';
import { muts, reclaimPages, type ReclaimTally } from './reclaim.ts';

/** kswapd_try_to_sleep's short sleep, schedule_timeout(HZ/10): 100 ms whatever HZ (mm/vmscan.c, 3.17). */
export const KSWAPD_SHORT_SLEEP_NS = 100_000_000;

export interface KswapdStats {
  /** wakeup_kswapd calls that woke it (plus the ends of short sleeps that found work). */
  readonly wakeups: number;
  readonly batches: number;
  readonly scanned: number;
  readonly reclaimed: number;
  /** Direct reclaim calls (try_to_free_pages) by allocating threads, and what they scanned and freed. */
  readonly directCalls: number;
  readonly directScanned: number;
  readonly directReclaimed: number;
}

export interface KswapdState {
  /** Bumped whenever kswapd starts running or goes to sleep: a `pagecache.kswapd` event carrying an older value is stale. */
  readonly gen: number;
  /** asleep on kswapd_wait; woken (by an allocation of the event being reduced, not yet on a CPU); running its batches. */
  readonly state: 'asleep' | 'woken' | 'running';
  /** Its thread under the tick scheduler (sched.ts): when its quantum ends and its last CPU work ended (asleep: when it went to sleep). */
  readonly clock: RunClock;
  /** ZONE_CONGESTED (3.17): a reclaim batch found only dirty or writeback pages on a congested device. */
  readonly zoneCongested: boolean;
  readonly stats: KswapdStats;
}

export function initialKswapd(): KswapdState {
  return {
    gen: 0, state: 'asleep', clock: { quantumEnd: 0, lastEnd: 0 }, zoneCongested: false,
    stats: { wakeups: 0, batches: 0, scanned: 0, reclaimed: 0, directCalls: 0, directScanned: 0, directReclaimed: 0 },
  };
}

/** After every event: a kswapd woken during it gets a CPU (sched.ts rule 3) and its first batch is scheduled then. */
export function afterEvent(d: SimDraft, ctx: Ctx): void {
  // Whether the profile has a kswapd thread is read from the state before the event: reading
  // d.pagecache would make an immer proxy for every event, most of which never touch the page cache.
  const before = (isDraft(d) ? original(d as object) : d) as SimDraft;
  if (before.pagecache.kswapd === undefined) return;
  const k = (d.pagecache as Draft<PageCacheState>).kswapd;
  if (k === undefined || k.state !== 'woken') return;
  const s = schedOf(d.cma.cpu);
  const start = s === null ? ctx.now : wakeAt(s, k.clock, ctx.now);
  if (s !== null) k.clock = onCpuAt(s, start);
  k.state = 'running';
  k.gen++;
  ctx.schedule(kswapdEvent(k.gen), start - ctx.now);
}

const kswapdEvent = (gen: number): SimEvent => ({ type: 'pagecache.kswapd', gen });

/** Sleep from `at`: briefly when the zones are balanced (then a check at the end of the short sleep), or until woken when reclaim gave up. */
function sleep(k: Draft<KswapdState>, ctx: Ctx, at: number, gaveUp: boolean): void {
  k.state = 'asleep';
  k.gen++;
  if (!gaveUp) k.zoneCongested = false;
  k.clock = { quantumEnd: k.clock.quantumEnd, lastEnd: at };
  if (!gaveUp) ctx.schedule(kswapdEvent(k.gen), at - ctx.now + KSWAPD_SHORT_SLEEP_NS);
}

/**
 * The `pagecache.kswapd` event: a batch of a running kswapd, or the end of its short sleep. A
 * batch on balanced zones puts it to sleep; otherwise it reclaims up to SWAP_CLUSTER_MAX pages and
 * the next batch comes after their CPU time on kswapd's clock. A short sleep that ends on zones
 * not balanced runs it again.
 */
export function kswapdStep(d: SimDraft, gen: number, ctx: Ctx): void {
  if (d.pagecache.kswapd === undefined || gen !== d.pagecache.kswapd.gen) return;
  const { m, p } = muts(d, ctx);
  const k = p.dp.kswapd!;
  if (k.state === 'asleep') {
    if (!balanced(m)) {
      k.state = 'woken';
      k.stats.wakeups++;
    }
    return;
  }
  if (k.state !== 'running') return;
  if (balanced(m)) return sleep(k, ctx, ctx.now, false);
  const tally: ReclaimTally = { scanned: 0, freed: 0, dirtyBatch: -1 };
  reclaimPages(m, p, SWAP_CLUSTER_MAX, false, false, tally);
  if (flagsZone(p, ctx.now, tally.dirtyBatch!, tally.scanned)) k.zoneCongested = true;
  k.stats.batches++;
  k.stats.scanned += tally.scanned;
  k.stats.reclaimed += tally.freed;
  const c = d.cma.costs;
  const ns = tally.scanned * c.reclaimScanPerPage + tally.freed * c.reclaimFreePerPage;
  const s = schedOf(d.cma.cpu);
  let wall: number;
  if (s === null) wall = cpuTime(d.cma.cpu, ns);
  else {
    const out = runFor(s, k.clock, ctx.now, ns);
    k.clock = out.clock;
    wall = out.wall;
  }
  if (tally.freed === 0) return sleep(k, ctx, ctx.now + wall, true);
  ctx.schedule(kswapdEvent(k.gen), wall);
}
