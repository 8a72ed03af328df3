/**
 * Pages straight from the page allocator for DMA buffers: one contiguous block (dma-direct's
 * alloc_pages fallback) or many blocks of falling order (dma-iommu's __iommu_dma_alloc_pages,
 * which tries large orders first and steps down). Driver memory is unmovable: it never comes from
 * CMA pageblocks. Pages are tagged as taken by `owner` so the memory views show who holds them.
 */
import type { SimDraft } from '../state.ts';
import { allocBlock } from '../memory/allocator.ts';
import { setCodes } from '../memory/buddy.ts';
import { addUsed } from '../memory/carve.ts';
import { releaseRange } from '../mm/contig.ts';
import { mutMemory } from '../memory/mutMemory.ts';
import { internOwner } from '../memory/owners.ts';
import { K_TAKEN, useCode } from '../memory/pageCode.ts';
import { ERRNO } from '../cma/request.ts';
import { orderOf } from './dmaPlan.ts';

type D = SimDraft;

export type PagesResult =
  | { readonly ok: true; readonly pfns: number[]; readonly allocs: string[] }
  | { readonly ok: false; readonly errno: number; readonly note: string };

/** allocs entries are "pfn+pages", enough to give the pages back. */
const tag = (pfn: number, n: number): string => `${pfn}+${2 ** n}`;

/** Driver pages are unmovable kernel memory: never from CMA pageblocks, grouped with other unmovable pages. */
const DRIVER_PAGES = { mt: 'UNMOVABLE' } as const;

function take(d: D, owner: number, order: number): number {
  const m = mutMemory(d.memory);
  const pfn = allocBlock(m, { ...DRIVER_PAGES, order });
  if (pfn < 0) return -1;
  setCodes(m, pfn, 2 ** order, useCode(K_TAKEN, owner));
  addUsed(m, pfn, 'taken', 2 ** order);
  return pfn;
}

/**
 * `pages` pages below `limitPfn`: contiguous (one block of get_order(pages), the tail beyond
 * `pages` kept too, as alloc_pages does) or scattered. -ENOMEM when the allocator has nothing,
 * also when what it gave lies above the mask (dma_coherent_ok fails and the block is freed).
 */
export function takePages(d: D, owner: string, pages: number, contiguous: boolean, limitPfn: number): PagesResult {
  const maxOrder = d.memory.config.maxOrder;
  const oi = internOwner(d.memory, `dma:${owner}`);
  if (contiguous) {
    const order = orderOf(pages);
    if (order > maxOrder) return { ok: false, errno: ERRNO.ENOMEM, note: `order ${order} > MAX_ORDER ${maxOrder}` };
    const pfn = take(d, oi, order);
    if (pfn < 0) return { ok: false, errno: ERRNO.ENOMEM, note: `no free order-${order} block` };
    if (pfn + 2 ** order > limitPfn) {
      releaseRange(d, pfn, pfn + 2 ** order);
      return { ok: false, errno: ERRNO.ENOMEM, note: `block at pfn 0x${pfn.toString(16)} outside the DMA mask` };
    }
    return { ok: true, pfns: [pfn], allocs: [tag(pfn, order)] };
  }
  const pfns: number[] = [];
  const allocs: string[] = [];
  let left = pages;
  let order = Math.min(maxOrder, Math.floor(Math.log2(pages)));
  while (left > 0) {
    while (2 ** order > left) order--;
    const pfn = take(d, oi, order);
    if (pfn >= 0) {
      pfns.push(pfn);
      allocs.push(tag(pfn, order));
      left -= 2 ** order;
    } else if (order > 0) order--;
    else {
      freePages(d, allocs);
      return { ok: false, errno: ERRNO.ENOMEM, note: `page allocator exhausted after ${pages - left} of ${pages} pages` };
    }
  }
  return { ok: true, pfns, allocs };
}

export function freePages(d: D, allocs: readonly string[]): void {
  for (const a of allocs) {
    const [pfn, n] = a.split('+').map(Number);
    releaseRange(d, pfn, pfn + n);
  }
}
