/** Pure reads of the page cache (committed state or a draft). */
import { pbIndexIn } from '../memory/mutMemory.ts';
import { K_PAGECACHE, kindOf, pcFileId } from '../memory/pageCode.ts';
import type { SimState } from '../state.ts';
import { recGet } from '../memory/recOverlay.ts';
import { CHUNK } from './state.ts';

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

/** pfn caching page `index` of `file`, or -1. */
export function pfnOfFilePage(s: Pick<SimState, 'pagecache'>, file: string, index: number): number {
  const f = s.pagecache.files[file];
  const ch = f === undefined ? undefined : recGet(f.chunks, Math.floor(index / CHUNK));
  return ch === undefined ? -1 : ch[index % CHUNK];
}
