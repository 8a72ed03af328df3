/**
 * __rmqueue: take a block of 2^order pages of a migratetype from one zone, with the kernel's
 * fallbacks: CMA for movable allocations by the configured policy (reference §4), then stealing
 * from other ordinary migratetypes (__rmqueue_fallback), claiming the pageblock when enough of it
 * is free. CMA and ISOLATE pageblocks are never stolen; ISOLATE never gives out a page.
 */
import { addFree, delFree, GROUP_SHIFT, setCodes, setPageblockMt } from './buddy.ts';
import { hintKey, memStats, pbRead, pbStartPfn, pbWrite, zoneRead, type MemMut, type SplitStack } from './mutMemory.ts';
import { headCode, headOrder, isMovableKind, kindOf } from './pageCode.ts';
import { takeSplitRun } from './splitRun.ts';
import { MT_INDEX, type Migratetype } from './state.ts';

export type AllocMt = 'UNMOVABLE' | 'MOVABLE' | 'RECLAIMABLE';

/** Fallback order per requested type (mm/page_alloc.c `fallbacks[]`). */
const FALLBACKS: Readonly<Record<AllocMt, readonly AllocMt[]>> = {
  UNMOVABLE: ['RECLAIMABLE', 'MOVABLE'],
  MOVABLE: ['RECLAIMABLE', 'UNMOVABLE'],
  RECLAIMABLE: ['UNMOVABLE', 'MOVABLE'],
};

export interface AllocRequest {
  readonly mt: AllocMt;
  readonly order: number;
  /** Do not use CMA pageblocks (long-term pins, migration out of CMA). */
  readonly noCma?: boolean;
  /** Which watermark must hold after the allocation: 'min' (default) or 'none' (migration targets). */
  readonly watermark?: 'min' | 'none';
  /** Zone to use only (migration targets stay in the source zone when set). */
  readonly zone?: number;
}

/**
 * A free block of exactly `order` on the (zone, mt) list: in the lowest-addressed pageblock that has
 * one, the first in that pageblock's head list (deterministic: the list's order depends on data only).
 * Order bits found stale on the way are cleared (delFree leaves them set).
 */
function findHead(m: MemMut, zi: number, mt: Migratetype, order: number): number {
  const groups = zoneRead(m, zi).free[MT_INDEX[mt]].groups[order];
  const nPb = m.basePbs.length;
  const bit = 1 << order;
  const code = headCode(order);
  const hk = hintKey(zi, MT_INDEX[mt], order);
  const from = m.hints[hk];
  const top = splitTop(m, zi, mt, order);
  if (top >= 0) return top;
  for (let g = from >> GROUP_SHIFT; g < groups.length; g++) {
    if (groups[g] === 0) continue;
    const last = Math.min(nPb, (g + 1) << GROUP_SHIFT);
    for (let i = Math.max(from, g << GROUP_SHIFT); i < last; i++) {
      const pb = pbRead(m, i);
      if (pb.mt !== mt || pb.zone !== zi || (pb.orders & bit) === 0) continue;
      for (const off of pb.heads) {
        if (pb.pages[off] === code) {
          m.hints[hk] = i;
          return pbStartPfn(m.banks, m.pbOrder, i) + off;
        }
      }
      pbWrite(m, i).orders &= ~bit;
    }
  }
  throw new Error(`free list (${zoneRead(m, zi).name}, ${mt}, order ${order}) count is positive but no block was found`);
}

/**
 * What findHead would return for (zone, mt, order) when it is the top of the split stack, else -1:
 * the block is then the only one of its order on its list, in pageblock pbis[top], and the search
 * hint already points there, so the scan would look at that pageblock first and clear no bits.
 */
function splitTop(m: MemMut, zi: number, mt: Migratetype, order: number): number {
  const s = m.split;
  if (s === null || s.epoch !== m.epoch || s.zone !== zi || s.mt !== mt) return -1;
  const t = s.pfns.length - 1;
  if (t < 0 || s.orders[t] !== order) return -1;
  const pbi = s.pbis[t];
  if (m.hints[hintKey(zi, MT_INDEX[mt], order)] !== pbi) return -1;
  const pb = pbRead(m, pbi);
  return pb.mt === mt && pb.zone === zi && pb.pages[s.pfns[t] & (m.pbPages - 1)] === headCode(order) ? s.pfns[t] : -1;
}

/** Take the block at `head` (order `have`) and keep its first 2^want pages; give the rest back (expand). */
function takeSplit(m: MemMut, head: number, have: number, want: number): number {
  const pbi = pbIndexOfHead(m, head);
  const pb = pbRead(m, pbi);
  const zi = pb.zone, mt = pb.mt;
  // Taking the top keeps the rest of the stack valid; taking any other block starts a new one.
  const cur = m.split;
  const s = cur !== null && cur.epoch === m.epoch && cur.zone === zi && cur.mt === mt && cur.pfns[cur.pfns.length - 1] === head ? cur : null;
  if (s !== null) {
    s.pfns.pop(); s.orders.pop(); s.pbis.pop();
  }
  delFree(m, head, have);
  for (let o = have - 1; o >= want; o--) addFree(m, head + 2 ** o, o);
  noteSplit(m, s, zi, mt, head, pbi, have, want);
  return head;
}

/**
 * Keep the remainders just given back on the split stack when each is alone on its order's list
 * (the orders below `have` were empty: smallest() split the smallest block it had); otherwise
 * forget the stack.
 */
function noteSplit(m: MemMut, s: SplitStack | null, zi: number, mt: Migratetype, head: number, pbi: number, have: number, want: number): void {
  const f = zoneRead(m, zi).free[MT_INDEX[mt]];
  for (let o = want; o < have; o++) {
    if (f.blocks[o] !== 1) { m.split = null; return; }
  }
  if (s === null) s = m.split = { zone: zi, mt, epoch: 0, pfns: [], orders: [], pbis: [] };
  for (let o = have - 1; o >= want; o--) {
    s.pfns.push(head + 2 ** o);
    s.orders.push(o);
    s.pbis.push(o < m.pbOrder ? pbi : pbIndexOfHead(m, head + 2 ** o));
  }
  s.epoch = m.epoch;
}

function smallest(m: MemMut, zi: number, mt: Migratetype, order: number): number {
  const f = zoneRead(m, zi).free[MT_INDEX[mt]];
  for (let o = order; o <= m.maxOrder; o++) {
    if (f.blocks[o] > 0) return takeSplit(m, findHead(m, zi, mt, o), o, order);
  }
  return -1;
}

/** Worth claiming a whole pageblock for (can_steal_fallback, 6.15+ should_try_claim_block). */
const claimable = (m: MemMut, o: number, mt: AllocMt): boolean => o >= m.pbOrder || o >= m.pbOrder / 2 || mt !== 'MOVABLE';

/**
 * The pages of pageblock `pbi` that count toward claiming it for `mt`: its free pages, plus since
 * 4.12 the "alike" ones (steal_suitable_fallback, try_to_claim_block): for a movable request the
 * LRU pages, for another request the pages neither free nor LRU when the block is MOVABLE and none
 * otherwise (unmovable and reclaimable pages cannot be told apart).
 */
function claimPages(m: MemMut, pbi: number, mt: AllocMt): number {
  const pb = pbRead(m, pbi);
  let free = 0;
  let movable = 0;
  for (const c of pb.pages) {
    if (c < 0) free++;
    else if (isMovableKind(kindOf(c))) movable++;
  }
  if (m.cfg.claimCounts === 'free') return free;
  const alike = mt === 'MOVABLE' ? movable : pb.mt === 'MOVABLE' ? m.pbPages - free - movable : 0;
  return free + alike;
}

/** The smallest free block of at least `order` in pageblock `pbi` (first in its head list among equals). */
function smallestIn(m: MemMut, pbi: number, order: number): [number, number] {
  const pb = pbRead(m, pbi);
  let best = -1;
  let bestOrder = m.maxOrder + 1;
  for (const off of pb.heads) {
    const o = headOrder(pb.pages[off]);
    if (o >= order && o < bestOrder) { best = off; bestOrder = o; }
  }
  return [pbStartPfn(m.banks, m.pbOrder, pbi) + best, bestOrder];
}

/**
 * __rmqueue_fallback: take a block of another ordinary type, by the profile's `fallbackClaim`:
 * - every rule looks at the largest order first and claims whole pageblocks for a block of
 *   pageblock size or more, or for a smaller one when claimPages reaches half the pageblock
 *   (then takes the smallest block of the new type, as the retried __rmqueue_smallest does);
 * - 'move-free' (up to 6.8): a block not claimed still has its pageblock's free pages moved to the
 *   requesting type's list (move_freepages_block), and the smallest of them is taken;
 * - 'claim-or-take' (6.9-6.14): a block not claimed gives just the requested pages;
 * - 'claim-or-steal' (6.15+): a block not claimed is left alone and lower orders are tried;
 *   without a claim the smallest block of a fallback type is stolen.
 * A movable request for a block too small to claim takes the smallest fallback block. With
 * `cmaFirst` (3.5, MIGRATE_CMA first in fallbacks[MIGRATE_MOVABLE]) each order tries a CMA
 * block before the other types, taking it without claiming.
 */
function fallback(m: MemMut, zi: number, mt: AllocMt, order: number, cmaFirst = false): number {
  const z = zoneRead(m, zi);
  const rule = m.cfg.fallbackClaim;
  const typeWith = (o: number) => FALLBACKS[mt].find((ft) => z.free[MT_INDEX[ft]].blocks[o] > 0);
  for (let o = m.maxOrder; o >= order; o--) {
    if (cmaFirst && z.free[MT_INDEX.CMA].blocks[o] > 0) return takeSplit(m, findHead(m, zi, 'CMA', o), o, order);
    const ft = typeWith(o);
    if (ft === undefined) continue;
    if (!claimable(m, o, mt)) {
      if (cmaFirst) continue;
      break;
    }
    const head = findHead(m, zi, ft, o);
    const firstPbi = m.basePbs.length > 0 ? pbIndexOfHead(m, head) : 0;
    if (o >= m.pbOrder) {
      // The block covers whole pageblocks: take it off its list, claim them all, then expand.
      memStats(m).stolen += 1;
      delFree(m, head, o);
      const span = 2 ** (o - m.pbOrder);
      for (let j = 0; j < span; j++) pbWrite(m, firstPbi + j).mt = mt;
      for (let k = o - 1; k >= order; k--) addFree(m, head + 2 ** k, k);
      return head;
    }
    if (claimPages(m, firstPbi, mt) >= m.pbPages / 2) {
      memStats(m).stolen += 1;
      setPageblockMt(m, firstPbi, head - (head & (m.pbPages - 1)), mt);
      return smallest(m, zi, mt, order);
    }
    if (rule === 'claim-or-steal') continue;
    memStats(m).stolen += 1;
    if (rule === 'claim-or-take') return takeSplit(m, head, o, order);
    const [h, ho] = smallestIn(m, firstPbi, order);
    return takeSplit(m, h, ho, order);
  }
  // No claim: take the smallest block of a fallback type (__rmqueue_steal, find_smallest).
  for (let o = order; o <= m.maxOrder; o++) {
    const ft = typeWith(o);
    if (ft !== undefined) {
      memStats(m).stolen += 1;
      return takeSplit(m, findHead(m, zi, ft, o), o, order);
    }
  }
  return -1;
}

function pbIndexOfHead(m: MemMut, pfn: number): number {
  for (const b of m.banks) if (pfn >= b.startPfn && pfn < b.startPfn + b.nrPages) return b.firstPb + ((pfn - b.startPfn) >> m.pbOrder);
  return -1;
}

/** Free pages an allocation of this kind may count toward the watermark (CMA only for movable). */
export function usableFree(m: MemMut, zi: number, movable: boolean): number {
  const z = zoneRead(m, zi);
  return z.nrFree - z.free[MT_INDEX.ISOLATE].nrFree - (movable ? 0 : z.free[MT_INDEX.CMA].nrFree);
}

function rmqueue(m: MemMut, zi: number, req: AllocRequest): number {
  const { mt, order } = req;
  const cmaOk = mt === 'MOVABLE' && !req.noCma && zoneRead(m, zi).free[MT_INDEX.CMA].nrFree > 0;
  const policy = m.cfg.cmaFallback;
  let pfn = -1;
  if (cmaOk) {
    const z = zoneRead(m, zi);
    // 5.7+ (__rmqueue): CMA first when it holds more than half of the zone's free pages
    // (NR_FREE_PAGES, which does not count isolated free pages).
    const first = policy === 'first' || (policy === 'balance' && z.free[MT_INDEX.CMA].nrFree > (z.nrFree - z.free[MT_INDEX.ISOLATE].nrFree) / 2);
    if (first) pfn = smallest(m, zi, 'CMA', order);
  }
  if (pfn < 0) pfn = smallest(m, zi, mt, order);
  // 'balance' (5.7+) and 'after-movable' (4.1-5.6: __rmqueue_cma_fallback) take CMA before stealing.
  if (pfn < 0 && cmaOk && policy !== 'last' && policy !== 'fallback-list') pfn = smallest(m, zi, 'CMA', order);
  if (pfn < 0) pfn = fallback(m, zi, mt, order, cmaOk && policy === 'fallback-list');
  if (pfn < 0 && cmaOk && policy === 'last') pfn = smallest(m, zi, 'CMA', order);
  return pfn;
}

/**
 * Allocate 2^order pages as get_page_from_freelist does: zones highest first (zonelist order), the
 * fast path taking a zone only if its usable free pages stay at or above the low watermark, then
 * the slow path's min watermark (unless watermark 'none'). Returns the first pfn, or -1. The pages
 * get code 0 (being allocated); the caller sets their real codes and the counters; reclaim is the caller's (pagecache/reclaim.ts).
 */
export function allocBlock(m: MemMut, req: AllocRequest): number {
  const pfn = allocAny(m, req);
  // Code 0 = "being allocated": no longer looks free to buddy merging until the caller sets it.
  if (pfn >= 0) setCodes(m, pfn, 2 ** req.order, 0);
  return pfn;
}

/**
 * Up to `count` order-0 allocations of `req` in a row, as `count` calls of allocBlock would make
 * them (the same pfns in the same order, the same free lists, pageblocks and search hints after),
 * stopping at the first that fails (a failed allocBlock changes nothing). Returns the pfns.
 * Each allocation the rules send to a freshly split block takes the rest of it that the same
 * rules keep choosing in one step (extendRun); any other (a steal, a claim, a search) is allocBlock's.
 */
export function allocRun(m: MemMut, req: AllocRequest, count: number): number[] {
  if (req.order !== 0) throw new Error(`allocRun: order ${req.order} requests are allocated with allocBlock`);
  const out: number[] = [];
  while (out.length < count) {
    const pfn = allocBlock(m, req);
    if (pfn < 0) break;
    out.push(pfn);
    if (out.length < count) extendRun(m, req, count - out.length, out);
  }
  return out;
}

/**
 * After an order-0 allocBlock of `req` that split a block (m.split valid, on zone zi and list L):
 * take more pages off the split stack for as long as allocBlock would. allocAny would choose zi
 * again: the other zones are unchanged, and zi stays on the same side of the watermark that chose
 * it (the fast path's low, or the slow path's min). rmqueue would take list L again: L is the
 * request's own type while CMA does not come first (5.7+ 'balance' re-weighs CMA against the
 * zone's free pages at every page), or L is CMA while CMA comes first or every list rmqueue tries
 * before CMA is still empty. A block stolen from another type (fallback) is left to allocBlock.
 */
function extendRun(m: MemMut, req: AllocRequest, count: number, out: number[]): void {
  const s = m.split;
  if (s === null || s.epoch !== m.epoch) return;
  const zi = s.zone, L = s.mt as Migratetype;
  const z = zoneRead(m, zi);
  const cmaList = L === 'CMA';
  if (!cmaList && L !== req.mt) return;
  const movable = req.mt === 'MOVABLE' && !req.noCma;
  if (cmaList && !movable) return;
  if (req.watermark !== 'none') {
    const u0 = usableFree(m, zi, movable);
    const floor = u0 >= z.watermark.low ? z.watermark.low : z.watermark.min;
    count = Math.min(count, u0 - floor);
  }
  // No more than the split stack holds: allocRun calls this once per split block, so a bound
  // of the watermark headroom alone made a run of N pages cost N^2 / 2,048 steps.
  let most = 0;
  for (const o of s.orders) most += 2 ** o;
  count = Math.min(count, most);
  const policy = m.cfg.cmaFallback;
  const c0 = z.free[MT_INDEX.CMA].nrFree, t0 = z.nrFree, iso = z.free[MT_INDEX.ISOLATE].nrFree;
  const ownEmpty = z.free[MT_INDEX[req.mt]].nrFree === 0;
  let fallbacksEmpty = true;
  for (const ft of FALLBACKS[req.mt]) if (z.free[MT_INDEX[ft]].nrFree !== 0) fallbacksEmpty = false;
  // The t-th page may be taken while rmqueue would still choose L (for t = 1, 2, ..: what it
  // asks depends on t only, and once it says no it is asked no more).
  let may = 0;
  for (let t = 1; t <= count; t++) {
    // The zone's counts before the t-th page of this extension.
    const c = cmaList ? c0 - (t - 1) : c0, total = t0 - (t - 1);
    const cmaOk = movable && c > 0;
    const first = cmaOk && (policy === 'first' || (policy === 'balance' && c > (total - iso) / 2));
    const ok = !cmaList ? !first : cmaOk && (first || (ownEmpty && (policy === 'balance' || policy === 'after-movable')) || (ownEmpty && fallbacksEmpty && policy === 'last'));
    if (!ok) break;
    may = t;
  }
  if (may > 0) takeSplitRun(m, zi, L, may, out);
}

/** include/linux/mmzone.h enum zone_type, lowest first; other names rank as Normal. */
const ZONE_TYPES = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable'];
const zoneRank = (name: string): number => (ZONE_TYPES.includes(name) ? ZONE_TYPES.indexOf(name) : ZONE_TYPES.indexOf('Normal'));

/** zoneOrder per overlay: zone names are fixed at boot, and every allocation asks. */
const zoneOrders = new WeakMap<MemMut, readonly number[]>();

/** build_zonerefs_node: zone indices from the highest zone type down (ties in order of appearance). */
export function zoneOrder(m: MemMut): readonly number[] {
  let zs = zoneOrders.get(m);
  if (zs === undefined) {
    zs = m.baseZones.map((_, zi) => zi).sort((a, b) => zoneRank(zoneRead(m, b).name) - zoneRank(zoneRead(m, a).name) || a - b);
    zoneOrders.set(m, zs);
  }
  return zs;
}

/*
 * allocAny and extendRun make no closures: tsx (keepNames) names every function made at run
 * time, which cost this hot path 4 % of the memory benchmark.
 */
function allocAny(m: MemMut, req: AllocRequest): number {
  const zones = zoneOrder(m);
  if (req.watermark === 'none') {
    for (const zi of zones) {
      if (req.zone !== undefined && zi !== req.zone) continue;
      const pfn = rmqueue(m, zi, req);
      if (pfn >= 0) return pfn;
    }
    return -1;
  }
  const movable = req.mt === 'MOVABLE' && !req.noCma;
  const size = 2 ** req.order;
  // Fast path (ALLOC_WMARK_LOW), then the slow path (ALLOC_WMARK_MIN) over the zones the fast
  // path passed over; a zone it tried gives the same answer twice, so it is not tried again.
  for (const zi of zones) {
    if (req.zone !== undefined && zi !== req.zone) continue;
    if (usableFree(m, zi, movable) - size < zoneRead(m, zi).watermark.low) continue;
    const pfn = rmqueue(m, zi, req);
    if (pfn >= 0) return pfn;
  }
  for (const zi of zones) {
    if (req.zone !== undefined && zi !== req.zone) continue;
    const z = zoneRead(m, zi).watermark;
    const left = usableFree(m, zi, movable) - size;
    if (left >= z.low || left < z.min) continue;
    const pfn = rmqueue(m, zi, req);
    if (pfn >= 0) return pfn;
  }
  return -1;
}
