/** Pure reads of the page cache (committed state or a draft). */
import { pbIndexIn } from '../memory/mutMemory.ts';
import { K_PAGECACHE, kindOf, pcFileId } from '../memory/pageCode.ts';
import type { SimState } from '../state.ts';
import { recEntries, recGet } from '../memory/recOverlay.ts';
import { extentPfn, extentPfnsIn } from './extents.ts';
import { CHUNK, LRU_CHUNK } from './state.ts';

export interface PageCacheInfo {
  readonly file: string;
  readonly index: number;
  /** Position in the LRU queue (smaller = older). */
  readonly lruPos: number;
}

/** Which file page the page at pfn caches, or null when it is not a page-cache page. */
export function pagecacheOf(s: Pick<SimState, 'memory' | 'pagecache'>, pfn: number): PageCacheInfo | null {
  const mem = s.memory;
  const pbi = pbIndexIn(mem.banks, mem.config.pageblockOrder, pfn);
  const off = pfn & (2 ** mem.config.pageblockOrder - 1);
  const c = mem.pageblocks[pbi].pages[off];
  if (kindOf(c) !== K_PAGECACHE) return null;
  const slots = recGet(s.pagecache.slots, pbi)!;
  return { file: s.pagecache.fileNames[pcFileId(c)], index: slots[2 * off], lruPos: slots[2 * off + 1] };
}

/** The LRU's entries oldest first: the pfn at each position, -1 where the page left the cache. */
export function lruEntries(s: Pick<SimState, 'pagecache'>): number[] {
  const { head, tail, chunks } = s.pagecache.lru;
  const out: number[] = [];
  for (let pos = head; pos < tail; pos++) {
    const ch = recGet(chunks, Math.floor(pos / LRU_CHUNK));
    out.push(ch === undefined ? -1 : extentPfn(ch, pos));
  }
  return out;
}

/** pfns caching pages of `file`, in index order. */
export function filePfns(s: Pick<SimState, 'pagecache'>, file: string): number[] {
  const f = s.pagecache.files[file];
  if (f === undefined) return [];
  const chunks = [...recEntries(f.chunks)].sort((a, b) => a[0] - b[0]);
  return chunks.flatMap(([k, ch]) => extentPfnsIn(ch, k * CHUNK, (k + 1) * CHUNK));
}

/** pfn caching page `index` of `file`, or -1. */
export function pfnOfFilePage(s: Pick<SimState, 'pagecache'>, file: string, index: number): number {
  const f = s.pagecache.files[file];
  const ch = f === undefined ? undefined : recGet(f.chunks, Math.floor(index / CHUNK));
  return ch === undefined ? -1 : extentPfn(ch, index);
}
