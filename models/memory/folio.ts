/** Allocations (memory.alloc) as units of pages: looked up from a page, moved by migration. */
import { freeBlock, setCodes } from './buddy.ts';
import { addUsed } from './carve.ts';
import { codeAt, type MemMut } from './mutMemory.ts';
import { K_ANON, K_RECLAIMABLE, K_UNMOVABLE, kindOf, refOf } from './pageCode.ts';
import { shardGet, shardSet } from './shardedMap.ts';
import type { AllocRecord } from './state.ts';

export interface Folio {
  /** First pfn and number of pages of the unit containing the page. */
  readonly pfn: number;
  readonly n: number;
  readonly order: number;
  /** Allocation serial, or -1 for taken/reserved/page-cache pages. */
  readonly serial: number;
}

/** The allocation unit holding the in-use page at pfn (code `c`). Taken/reserved runs end at the pageblock. */
export function folioOf(m: MemMut, pfn: number, c = codeAt(m, pfn)): Folio {
  const k = kindOf(c);
  if (k === K_UNMOVABLE || k === K_RECLAIMABLE || k === K_ANON) {
    const serial = refOf(c);
    const rec = shardGet<AllocRecord>(m.dm.allocs, serial);
    if (rec === undefined) throw new Error(`page at pfn 0x${pfn.toString(16)} names allocation serial ${serial}, which does not exist`);
    return { pfn: rec.pfn, n: 2 ** rec.order, order: rec.order, serial };
  }
  const pbEnd = pfn - (pfn & (m.pbPages - 1)) + m.pbPages;
  let e = pfn + 1;
  while (e < pbEnd && codeAt(m, e) === c) e++;
  return { pfn, n: e - pfn, order: 0, serial: -1 };
}

/** Move an anonymous folio to the block allocated at `to` and free its old pages (unless `freeFrom` is false: the caller's). */
export function moveFolio(m: MemMut, f: Folio, to: number, freeFrom = true): void {
  const c = codeAt(m, f.pfn);
  const rec = shardGet<AllocRecord>(m.dm.allocs, f.serial)!;
  setCodes(m, to, f.n, c);
  shardSet(m.dm.allocs, f.serial, { ...rec, pfn: to });
  addUsed(m, to, 'anon', f.n);
  addUsed(m, f.pfn, 'anon', -f.n);
  if (freeFrom) freeBlock(m, f.pfn, f.order);
}
