import type { SimDraft } from '../state.ts';
import { freeRange, setCodes } from './buddy.ts';
import { addUsed, carveRange } from './carve.ts';
import { codeAt, mutMemory, pbIndexIn, pbRead } from './mutMemory.ts';
import { K_RESERVED, K_TAKEN, KIND_NAMES, kindOf, useCode } from './pageCode.ts';
import { internOwner } from './owners.ts';

/**
 * The last step of alloc_contig_range: take the pages of [startPfn, endPfn) out of the buddy
 * allocator, splitting free blocks that straddle the ends, and mark them owned by `owner`
 * (e.g. 'cma:video'). Pages of a private reservation are re-tagged. Throws, naming the pfn,
 * when a page is in use: call testPagesIsolated first.
 */
export function takeRange(d: SimDraft, startPfn: number, endPfn: number, owner: string): void {
  const m = mutMemory(d.memory);
  const oi = internOwner(d.memory, owner);
  try {
    carveRange(m, startPfn, endPfn, useCode(K_TAKEN, oi), true);
  } catch (e) {
    throw new Error(`takeRange(0x${startPfn.toString(16)}, 0x${endPfn.toString(16)}, '${owner}'): ${(e as Error).message}`);
  }
}

/**
 * free_contig_range / cma_release: give taken pages back. In a private reservation they become
 * reserved again; elsewhere they return to the buddy free lists as their pageblock's migratetype
 * (CMA for shared areas), merging with free buddies. Throws when a page is not taken.
 */
export function releaseRange(d: SimDraft, startPfn: number, endPfn: number): void {
  const m = mutMemory(d.memory);
  let pfn = startPfn;
  while (pfn < endPfn) {
    const c = codeAt(m, pfn);
    if (kindOf(c) !== K_TAKEN) {
      throw new Error(`releaseRange(0x${startPfn.toString(16)}, 0x${endPfn.toString(16)}): page at pfn 0x${pfn.toString(16)} is not taken (${KIND_NAMES[kindOf(c)]})`);
    }
    // Run of taken pages up to the pageblock end: one pageblock is one reservation kind.
    const pbFirst = pfn - (pfn & (m.pbPages - 1));
    const pb = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn));
    const last = Math.min(endPfn, pbFirst + m.pbPages);
    let stop = pfn + 1;
    while (stop < last && kindOf(pb.pages[stop - pbFirst]) === K_TAKEN) stop++;
    addUsed(m, pfn, 'taken', pfn - stop);
    if (pb.reserve === 'private') {
      setCodes(m, pfn, stop - pfn, useCode(K_RESERVED, pb.reserveOwner));
      addUsed(m, pfn, 'reserved', stop - pfn);
    } else {
      freeRange(m, pfn, stop);
    }
    pfn = stop;
  }
}
