/**
 * Buddy free lists over the overlay of mutMemory.ts. A free block of order o is a head page
 * (code -1 - o) plus tails; it is on the free list of its head pageblock's migratetype.
 * Blocks larger than a pageblock span pageblocks of that migratetype, or (mergeRule
 * 'keep-types', before 6.9) of several ordinary ones.
 */
import { eachAlignedBlock, findFreeBlock } from './blocks.ts';
import { FREE_TAIL, headCode, headOrder } from './pageCode.ts';
import { MT_INDEX, type Migratetype } from './state.ts';
import { bankIndexOf, groupsW, hintKey, pbIndexIn, pbRead, pbWrite, zoneWrite, type MemMut } from './mutMemory.ts';

/** Pageblocks per group in FreeArea.groups. */
export const GROUP_SHIFT = 6;

function countBlock(m: MemMut, pbi: number, mt: Migratetype, order: number, delta: 1 | -1): void {
  const pb = pbRead(m, pbi);
  const z = zoneWrite(m, pb.zone);
  const f = z.free[MT_INDEX[mt]];
  const n = delta * (1 << order);
  m.epoch++;
  if (delta > 0) {
    const k = hintKey(pb.zone, MT_INDEX[mt], order);
    if (pbi < m.hints[k]) m.hints[k] = pbi;
  }
  f.blocks[order] += delta;
  groupsW(m, pb.zone, MT_INDEX[mt], order)[pbi >> GROUP_SHIFT] += delta;
  f.nrFree += n;
  z.nrFree += n;
}

/** Put [pfn, pfn + 2^order) on the free lists as one block, without merging. */
export function addFree(m: MemMut, pfn: number, order: number): void {
  const pbi = pbIndexIn(m.banks, m.pbOrder, pfn);
  const mask = m.pbPages - 1;
  const n = 1 << order;
  if (order <= m.pbOrder) {
    const w = pbWrite(m, pbi);
    const off = pfn & mask;
    w.pages[off] = headCode(order);
    if (n > 1) w.pages.fill(FREE_TAIL, off + 1, off + n);
    w.heads.push(off);
    w.orders |= 1 << order;
    w.nrFree += n;
  } else {
    const span = n >> m.pbOrder;
    for (let j = 0; j < span; j++) {
      const w = pbWrite(m, pbi + j);
      w.pages.fill(FREE_TAIL);
      w.nrFree += m.pbPages;
    }
    const w0 = pbWrite(m, pbi);
    w0.pages[0] = headCode(order);
    w0.heads.push(0);
    w0.orders |= 1 << order;
  }
  countBlock(m, pbi, pbRead(m, pbi).mt, order, 1);
}

/** Take the free block headed at pfn off the free lists; its page codes are the caller's to set. */
export function delFree(m: MemMut, pfn: number, order: number): void {
  const pbi = pbIndexIn(m.banks, m.pbOrder, pfn);
  const off = pfn & (m.pbPages - 1);
  const w0 = pbWrite(m, pbi);
  // Offsets in heads are distinct; the block taken is most often one just pushed.
  const hi = w0.heads.lastIndexOf(off);
  if (hi < 0 || w0.pages[off] !== headCode(order)) throw new Error(`delFree: no free block of order ${order} at pfn 0x${pfn.toString(16)}`);
  w0.heads[hi] = w0.heads[w0.heads.length - 1];
  w0.heads.pop();
  w0.pages[off] = FREE_TAIL; // no longer a head; the caller gives the pages their codes
  // The order bit may now be stale; the allocator clears it when it finds no such head.
  if (w0.heads.length === 0) w0.orders = 0;
  countBlock(m, pbi, w0.mt, order, -1);
  if (order <= m.pbOrder) {
    w0.nrFree -= 1 << order;
  } else {
    const span = 1 << (order - m.pbOrder);
    for (let j = 0; j < span; j++) pbWrite(m, pbi + j).nrFree -= m.pbPages;
  }
}

/** Head pfn and order of the free block containing pfn, or null when pfn is not free. */
export function freeBlockAt(m: MemMut, pfn: number): { head: number; order: number } | null {
  return findFreeBlock(pfn, m.maxOrder, (q) => (bankIndexOf(m.banks, q) < 0 ? undefined : pbRead(m, pbIndexIn(m.banks, m.pbOrder, q)).pages[q & (m.pbPages - 1)]));
}

/**
 * Whether blocks of pageblocks of types `a` and `b` may merge (__free_one_page at pageblock order
 * and above): the same type, or two ordinary ones (migratetype_is_mergeable). CMA and ISOLATE never
 * merge with another type: refused since 5.18; before, ISOLATE was refused (4.1+) and CMA never met
 * another type at these orders because areas were aligned to MAX_ORDER.
 */
export function mergeable(a: Migratetype, b: Migratetype): boolean {
  if (a === b) return true;
  const ok = (t: Migratetype) => t === 'UNMOVABLE' || t === 'MOVABLE' || t === 'RECLAIMABLE';
  return ok(a) && ok(b);
}

/**
 * Free [pfn, pfn + 2^order) into the buddy allocator, merging with free buddies of equal order
 * inside the same bank. Across pageblocks (order >= pageblock order) merging follows mergeable();
 * the buddy's pageblocks take the freed block's migratetype from 6.9 (profile mergeRule 'retype'),
 * and keep their own before ('keep-types': the merged block then spans pageblocks of two ordinary
 * types and is listed under its head pageblock's type). Returns the head and order of the result.
 */
export function freeBlock(m: MemMut, pfn: number, order: number): { head: number; order: number } {
  const bank = m.banks[bankIndexOf(m.banks, pfn)];
  const bankEnd = bank.startPfn + bank.nrPages;
  const mt = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).mt;
  while (order < m.maxOrder) {
    const buddy = pfn ^ (1 << order);
    if (buddy < bank.startPfn || buddy + (1 << order) > bankEnd) break;
    const bpbi = pbIndexIn(m.banks, m.pbOrder, buddy);
    const bpb = pbRead(m, bpbi);
    if (bpb.pages[buddy & (m.pbPages - 1)] !== headCode(order)) break;
    if (order >= m.pbOrder) {
      if (!mergeable(mt, bpb.mt)) break;
      delFree(m, buddy, order);
      if (bpb.mt !== mt && m.cfg.mergeRule === 'retype') {
        const span = 1 << (order - m.pbOrder);
        for (let j = 0; j < span; j++) pbWrite(m, bpbi + j).mt = mt;
      }
    } else {
      delFree(m, buddy, order);
    }
    pfn = Math.min(pfn, buddy);
    order++;
  }
  addFree(m, pfn, order);
  return { head: pfn, order };
}

/** Free [start, end) inside one bank as the largest aligned blocks, each merging with its buddies. */
export function freeRange(m: MemMut, start: number, end: number): void {
  eachAlignedBlock(start, end, m.maxOrder, (pfn, o) => { freeBlock(m, pfn, o); });
}

/** Add [start, end) as free blocks without merging (used to give back split remainders). */
export function addFreeRange(m: MemMut, start: number, end: number): void {
  eachAlignedBlock(start, end, m.maxOrder, (pfn, o) => addFree(m, pfn, o));
}

/** Set the code of pages [pfn, pfn + n) (may span pageblocks). */
export function setCodes(m: MemMut, pfn: number, n: number, code: number): void {
  const mask = m.pbPages - 1;
  let p = pfn;
  const end = pfn + n;
  while (p < end) {
    const w = pbWrite(m, pbIndexIn(m.banks, m.pbOrder, p));
    const off = p & mask;
    const stop = Math.min(end - p, m.pbPages - off);
    w.pages.fill(code, off, off + stop);
    p += stop;
  }
}

/**
 * If a free block larger than a pageblock covers pageblock `pbi`, split it into pageblock-sized
 * blocks, so that the pageblock's free pages can change list on their own (the kernel does the
 * same in isolate_single_pageblock / move_freepages_block).
 */
export function splitAroundPageblock(m: MemMut, pbi: number, firstPfn: number): void {
  if (m.maxOrder <= m.pbOrder) return;
  const c0 = pbRead(m, pbi).pages[0];
  if (c0 >= 0 || (headOrder(c0) >= 0 && headOrder(c0) <= m.pbOrder)) return;
  for (let o = m.pbOrder + 1; o <= m.maxOrder; o++) {
    const head = firstPfn - (firstPfn & ((1 << o) - 1));
    if (bankIndexOf(m.banks, head) < 0) return;
    const hpbi = pbIndexIn(m.banks, m.pbOrder, head);
    if (pbRead(m, hpbi).pages[0] === headCode(o)) {
      delFree(m, head, o);
      const span = 1 << (o - m.pbOrder);
      for (let j = 0; j < span; j++) addFree(m, head + j * m.pbPages, m.pbOrder);
      return;
    }
  }
}

/** Change a pageblock's migratetype, moving its free blocks to the new type's lists. */
export function setPageblockMt(m: MemMut, pbi: number, firstPfn: number, mt: Migratetype): void {
  splitAroundPageblock(m, pbi, firstPfn);
  const pb = pbRead(m, pbi);
  if (pb.mt === mt) return;
  for (const off of pb.heads) countBlock(m, pbi, pb.mt, headOrder(pb.pages[off]), -1);
  const w = pbWrite(m, pbi);
  w.mt = mt;
  for (const off of w.heads) countBlock(m, pbi, mt, headOrder(w.pages[off]), 1);
}
