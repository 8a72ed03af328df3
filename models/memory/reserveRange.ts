import { produce, type Draft } from 'immer';
import { delFree, freeBlock, setPageblockMt } from './buddy.ts';
import { carveRange } from './carve.ts';
import { pbIndexIn, pbRead, pbWrite, zoneWrite, bankIndexOf, mutMemory, type MemMut } from './mutMemory.ts';
import { headCode, K_RESERVED, useCode } from './pageCode.ts';
import { internOwner } from './owners.ts';
import type { MemoryState } from './state.ts';
import { inOwnBatch } from '../overlay/sealAtCommit.ts';

/**
 * Boot-time reservation of [startPfn, startPfn + nrPages), which must be pageblock-aligned, inside
 * one bank, free, and not already reserved.
 * 'cma': the pageblocks become MIGRATE_CMA and their free pages go to the CMA free lists, lent to
 * movable allocations (cma_init_reserved_areas / init_cma_reserved_pageblock).
 * 'private': the pages leave the buddy allocator for good (RESERVED, owned by `owner`), never lent.
 */
export function reserveRange(memory: MemoryState, startPfn: number, nrPages: number, mode: 'cma' | 'private', owner = 'reserved'): MemoryState {
  const hex = (n: number) => `0x${n.toString(16)}`;
  const what = `reserveRange(${hex(startPfn)}, ${nrPages} pages, '${mode}')`;
  const pbPages = 2 ** memory.config.pageblockOrder;
  if (!Number.isInteger(startPfn) || !Number.isInteger(nrPages) || nrPages <= 0) throw new Error(`${what}: start and size must be integers, size > 0`);
  if (startPfn % pbPages !== 0 || nrPages % pbPages !== 0) throw new Error(`${what}: not aligned to the pageblock size (${pbPages} pages)`);
  if (mode !== 'cma' && mode !== 'private') throw new Error(`${what}: mode must be 'cma' or 'private'`);
  const bi = bankIndexOf(memory.banks, startPfn);
  const end = startPfn + nrPages;
  if (bi < 0) throw new Error(`${what}: start is outside every memory bank`);
  const bank = memory.banks[bi];
  if (end > bank.startPfn + bank.nrPages) throw new Error(`${what}: runs past the end of bank '${bank.name}' (${hex(bank.startPfn + bank.nrPages)})`);
  const firstPb = pbIndexIn(memory.banks, memory.config.pageblockOrder, startPfn);
  const nPb = nrPages / pbPages;
  for (let j = 0; j < nPb; j++) {
    const pb = memory.pageblocks[firstPb + j];
    if (pb.reserve !== null) throw new Error(`${what}: overlaps an earlier '${pb.reserve}' reservation at pfn ${hex(startPfn + j * pbPages)}`);
    if (pb.nrFree !== pbPages) throw new Error(`${what}: pageblock at pfn ${hex(startPfn + j * pbPages)} is not entirely free`);
  }
  // Its own batch: what the overlay built is frozen before produce finalises (see sealAtCommit).
  return produce(memory, (dm) => inOwnBatch(() => reserve(mutMemory(dm), dm)));

  function reserve(m: MemMut, dm: Draft<MemoryState>): void {
    if (mode === 'private') {
      const oi = internOwner(dm, owner);
      carveRange(m, startPfn, end, useCode(K_RESERVED, oi), false);
      for (let j = 0; j < nPb; j++) Object.assign(pbWrite(m, firstPb + j), { reserve: 'private', reserveOwner: oi });
      const z = zoneWrite(m, pbRead(m, firstPb).zone);
      z.managed -= nrPages;
      return;
    }
    for (let j = 0; j < nPb; j++) {
      setPageblockMt(m, firstPb + j, startPfn + j * pbPages, 'CMA');
      pbWrite(m, firstPb + j).reserve = 'cma';
    }
    zoneWrite(m, pbRead(m, firstPb).zone).cmaPages += nrPages;
    // Re-merge the pageblock-sized blocks inside the area (CMA merges with CMA only).
    for (let j = 0; j < nPb; j++) {
      const pfn = startPfn + j * pbPages;
      if (pbRead(m, firstPb + j).pages[0] === headCode(m.pbOrder)) {
        delFree(m, pfn, m.pbOrder);
        freeBlock(m, pfn, m.pbOrder);
      }
    }
  }
}
