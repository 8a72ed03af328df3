import type { SimDraft } from '../state.ts';
import { delFree, freeBlock, setPageblockMt } from '../memory/buddy.ts';
import { mutMemory, pbIndexIn, pbRead, pbStartPfn, pbWrite, type MemMut } from '../memory/mutMemory.ts';
import { headOrder } from '../memory/pageCode.ts';
import { mutPagecache } from '../pagecache/mutPagecache.ts';
import { noteMigratetypeChange } from '../pagecache/reclaimIndex.ts';

function pbSpan(m: MemMut, startPfn: number, endPfn: number): [number, number] {
  if (!(endPfn > startPfn)) throw new RangeError(`empty range [0x${startPfn.toString(16)}, 0x${endPfn.toString(16)})`);
  return [pbIndexIn(m.banks, m.pbOrder, startPfn), pbIndexIn(m.banks, m.pbOrder, endPfn - 1)];
}

/**
 * start_isolate_page_range: every pageblock covering [startPfn, endPfn) becomes MIGRATE_ISOLATE,
 * remembering its migratetype; its free pages move to the isolate lists, which the allocator
 * never uses. Free blocks straddling the range's pageblock boundary are split (5.19+).
 * Throws when a pageblock is already isolated (the kernel returns -EBUSY).
 */
export function isolateRange(d: SimDraft, startPfn: number, endPfn: number): void {
  const m = mutMemory(d.memory);
  const [a, b] = pbSpan(m, startPfn, endPfn);
  for (let i = a; i <= b; i++) {
    if (pbRead(m, i).mt === 'ISOLATE') throw new Error(`isolateRange: pageblock at pfn 0x${pbStartPfn(m.banks, m.pbOrder, i).toString(16)} is already isolated`);
  }
  const p = mutPagecache(d.pagecache);
  for (let i = a; i <= b; i++) {
    const saved = pbRead(m, i).mt;
    noteMigratetypeChange(p, i, saved, 'ISOLATE');
    setPageblockMt(m, i, pbStartPfn(m.banks, m.pbOrder, i), 'ISOLATE');
    pbWrite(m, i).saved = saved;
  }
}

/**
 * undo_isolate_page_range: restore each isolated pageblock's migratetype and let its free pages
 * merge with their buddies again (free blocks of pageblock size and above are re-freed).
 */
export function undoIsolateRange(d: SimDraft, startPfn: number, endPfn: number): void {
  const m = mutMemory(d.memory);
  const [a, b] = pbSpan(m, startPfn, endPfn);
  const p = mutPagecache(d.pagecache);
  for (let i = a; i <= b; i++) {
    const pb = pbRead(m, i);
    if (pb.mt !== 'ISOLATE' || pb.saved === null) continue;
    noteMigratetypeChange(p, i, 'ISOLATE', pb.saved);
    const first = pbStartPfn(m.banks, m.pbOrder, i);
    setPageblockMt(m, i, first, pb.saved);
    pbWrite(m, i).saved = null;
  }
  for (let i = a; i <= b; i++) {
    const o = headOrder(pbRead(m, i).pages[0]);
    if (o >= m.pbOrder) {
      const first = pbStartPfn(m.banks, m.pbOrder, i);
      delFree(m, first, o);
      freeBlock(m, first, o);
    }
  }
}
