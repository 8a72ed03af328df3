/**
 * Order-0 pages taken straight off the split stack (mutMemory.ts SplitStack), as a run: what
 * `count` order-0 allocations that each take the stack's top leave, without running the
 * allocator's search, takeSplit and the free-list counters once per page.
 *
 * Taking the top entry (head x, order o) for one page is: findHead (the search hint for order o
 * moves to x's pageblock; a search starting below it clears stale order bits on its way), delFree
 * (x off its pageblock's heads, the pageblock's order bits cleared when no head is left), expand
 * (x + 2^q for q = o-1..0 pushed as free blocks, each lowering its order's hint), and x gets code 0.
 * Each of those steps is done here on the pageblocks as the allocator does it, in the same order, so
 * the heads, order bits, hints and page codes come out the same; only the list counters (blocks,
 * groups, nrFree) and the epoch are settled once for the run, as nothing reads them in between.
 *
 * It relies on what the stack guarantees while its epoch holds: the top is the lowest-addressed
 * and smallest remainder, each entry is alone on its (zone, migratetype, order) list, and the
 * lists of the orders below the top are empty; and on delFree's habit of popping the last head
 * (an entry pushed later than every other head of its pageblock is its last). It checks each of
 * those before taking an entry and stops where one fails; the caller goes on page by page.
 */
import { GROUP_SHIFT } from './buddy.ts';
import { groupsW, hintKey, pbIndexIn, pbRead, pbWrite, zoneRead, zoneWrite, type MemMut } from './mutMemory.ts';
import { headCode } from './pageCode.ts';
import { MT_INDEX, type Migratetype } from './state.ts';

/**
 * Take up to `count` pages off the top of the split stack of (zone, mt), appending their pfns to
 * `out` (the caller's allocation rules choose the stack's top for each of the `count`). Returns
 * how many were taken.
 */
export function takeSplitRun(m: MemMut, zone: number, mt: Migratetype, count: number, out: number[]): number {
  const s = m.split;
  if (s === null || s.epoch !== m.epoch || s.zone !== zone || s.mt !== mt || s.pfns.length === 0) return 0;
  const mi = MT_INDEX[mt];
  const f = zoneRead(m, zone).free[mi];
  for (let o = 0; o < s.orders[s.orders.length - 1]; o++) if (f.blocks[o] !== 0) return 0;
  const mask = m.pbPages - 1;
  // Net list changes, settled at the end, per (order, pageblock group): every block taken or
  // given back lies inside one of the stack's entries, so in the groups they span.
  let g0 = Infinity, gN = -1;
  for (let t = 0; t < s.pbis.length; t++) {
    g0 = Math.min(g0, s.pbis[t] >> GROUP_SHIFT);
    gN = Math.max(gN, (s.pbis[t] + (s.orders[t] > m.pbOrder ? 2 ** (s.orders[t] - m.pbOrder) : 1) - 1) >> GROUP_SHIFT);
  }
  const nG = gN - g0 + 1;
  // dGroups[o * nG + (pbi >> GROUP_SHIFT) - g0]: the net change of order o's blocks in pbi's group.
  const dGroups = new Array<number>((m.maxOrder + 1) * nG).fill(0);
  let taken = 0;
  while (taken < count && s.pfns.length > 0) {
    const top = s.pfns.length - 1;
    const x: number = s.pfns[top], o: number = s.orders[top], pbi: number = s.pbis[top];
    if (!onList(m, pbi, o, zone, mt)) break;
    const off = x & mask;
    const pb = pbRead(m, pbi);
    if (pb.pages[off] !== headCode(o) || pb.heads[pb.heads.length - 1] !== off) break;
    // findHead
    const hk = hintKey(zone, mi, o);
    const h = m.hints[hk];
    if (h > pbi) break;
    if (h !== pbi) {
      clearStaleBits(m, zone, mt, o, Math.max(h, (pbi >> GROUP_SHIFT) << GROUP_SHIFT), pbi);
      m.hints[hk] = pbi;
    }
    // delFree, and the page's code 0 (being allocated)
    const w = pbWrite(m, pbi);
    w.heads.pop();
    if (w.heads.length === 0) w.orders = 0;
    w.pages[off] = 0;
    w.nrFree -= 1; // the block's pages leave, the remainders below come back
    dGroups[o * nG + (pbi >> GROUP_SHIFT) - g0] -= 1;
    s.pfns.pop(); s.orders.pop(); s.pbis.pop();
    // expand: the remainders, largest first (addFree)
    for (let q = o - 1; q >= 0; q--) {
      const y = x + 2 ** q;
      const b = q < m.pbOrder ? pbi : pbIndexIn(m.banks, m.pbOrder, y);
      const wb = b === pbi ? w : pbWrite(m, b);
      const yo = y & mask;
      wb.pages[yo] = headCode(q);
      wb.heads.push(yo);
      wb.orders |= 1 << q;
      dGroups[q * nG + (b >> GROUP_SHIFT) - g0] += 1;
      const qk = hintKey(zone, mi, q);
      if (b < m.hints[qk]) m.hints[qk] = b;
      s.pfns.push(y); s.orders.push(q); s.pbis.push(b);
    }
    out.push(x);
    taken++;
  }
  if (taken === 0) return 0;
  const z = zoneWrite(m, zone);
  const fw = z.free[mi];
  for (let o = 0; o <= m.maxOrder; o++) {
    for (let g = 0; g < nG; g++) {
      const d = dGroups[o * nG + g];
      if (d === 0) continue;
      fw.blocks[o] += d;
      groupsW(m, zone, mi, o)[g0 + g] += d;
    }
  }
  fw.nrFree -= taken;
  z.nrFree -= taken;
  // Every list change bumps the epoch; the stack, kept in step above, stays valid.
  m.epoch++;
  s.epoch = m.epoch;
  return taken;
}

/** Whether the free block of order o headed in pageblock pbi is on (zone, mt)'s list, and its remainders would be too. */
function onList(m: MemMut, pbi: number, o: number, zone: number, mt: Migratetype): boolean {
  const span = o > m.pbOrder ? 2 ** (o - m.pbOrder) : 1;
  for (let j = 0; j < span; j++) {
    const pb = pbRead(m, pbi + j);
    if (pb.mt !== mt || pb.zone !== zone) return false;
  }
  return true;
}

/**
 * What findHead's search does on its way from pageblock `from` to `to`, where the block it finds
 * is the only one of its list: a pageblock of that list with the order's bit set holds no such
 * head, so the bit is cleared.
 */
function clearStaleBits(m: MemMut, zone: number, mt: Migratetype, o: number, from: number, to: number): void {
  const bit = 1 << o;
  for (let i = from; i < to; i++) {
    const pb = pbRead(m, i);
    if (pb.mt === mt && pb.zone === zone && (pb.orders & bit) !== 0) pbWrite(m, i).orders &= ~bit;
  }
}
