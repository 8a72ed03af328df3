/**
 * Pure reads over a memory state (committed or a draft). They never write and never use the
 * overlay, so they are safe anywhere; cost is proportional to the range asked about.
 */
import { findFreeBlock } from './blocks.ts';
import { bankIndexOf, pbIndexIn, pbStartPfn } from './mutMemory.ts';
import { K_ANON, K_PAGECACHE, K_RECLAIMABLE, K_RESERVED, K_TAKEN, K_UNMOVABLE, KIND_NAMES, kindOf, pcFileId, pcFlags, PC_DIRTY, PC_WRITEBACK, refOf, type PageKindName } from './pageCode.ts';
import { shardGet } from './shardedMap.ts';
import { MIGRATETYPES, MT_INDEX, type BankState, type MemoryState, type Migratetype, type ZoneCounters } from './state.ts';

export type MemoryLike = MemoryState | { readonly memory: MemoryState };

/** What the allocator knows about one page. */
export interface PageInfo {
  readonly pfn: number;
  readonly kind: PageKindName;
  readonly migratetype: Migratetype;
  /** For free pages: order of the buddy block containing the page; its head pfn. */
  readonly freeOrder: number | null;
  readonly freeHead: number | null;
  /** Allocation id (memory.alloc), owner tag of taken/reserved pages, or file name of page cache. */
  readonly owner: string | null;
  /** Page-cache file id (index into pagecache.fileNames) and dirty/writeback flags. */
  readonly fileId: number | null;
  readonly dirty: boolean;
  readonly writeback: boolean;
  readonly pins: number;
}

/** Per-zone counters in pages (/proc/meminfo CmaTotal/CmaFree, MemFree, ...). */
export interface ZoneCountersView extends ZoneCounters {
  readonly name: string;
  readonly managed: number;
  readonly free: number;
  readonly cmaTotal: number;
  readonly cmaFree: number;
  readonly freeByMigratetype: Readonly<Record<Migratetype, number>>;
  readonly watermarkLow: number;
}

export function memOf(x: MemoryLike): MemoryState {
  return 'pageblocks' in x ? x : x.memory;
}

/** Index of the pageblock holding pfn (index into MemoryState.pageblocks). Throws outside every bank. */
export function pageblockOf(x: MemoryLike, pfn: number): number {
  const m = memOf(x);
  return pbIndexIn(m.banks, m.config.pageblockOrder, pfn);
}

/** [startPfn, endPfn) of pageblock index i. */
export function pageblockRange(x: MemoryLike, i: number): { startPfn: number; endPfn: number } {
  const m = memOf(x);
  const s = pbStartPfn(m.banks, m.config.pageblockOrder, i);
  return { startPfn: s, endPfn: s + 2 ** m.config.pageblockOrder };
}

export function bankOf(x: MemoryLike, pfn: number): BankState | null {
  const m = memOf(x);
  const i = bankIndexOf(m.banks, pfn);
  return i < 0 ? null : m.banks[i];
}

export function migratetypeOf(x: MemoryLike, pfn: number): Migratetype {
  const m = memOf(x);
  return m.pageblocks[pageblockOf(m, pfn)].mt;
}

function codeOf(m: MemoryState, pfn: number): number {
  return m.pageblocks[pageblockOf(m, pfn)].pages[pfn & (2 ** m.config.pageblockOrder - 1)];
}

/** The free block containing pfn, or null. */
export function freeBlockOf(x: MemoryLike, pfn: number): { head: number; order: number } | null {
  const m = memOf(x);
  return findFreeBlock(pfn, m.config.maxOrder, (q) => (bankIndexOf(m.banks, q) < 0 ? undefined : codeOf(m, q)));
}

/** Everything the memory model knows about one page. */
export function pageState(x: MemoryLike, pfn: number): PageInfo {
  const m = memOf(x);
  const pbi = pageblockOf(m, pfn);
  const pb = m.pageblocks[pbi];
  const off = pfn & (2 ** m.config.pageblockOrder - 1);
  const c = pb.pages[off];
  const k = kindOf(c);
  const fb = c < 0 ? freeBlockOf(m, pfn) : null;
  let owner: string | null = null;
  if (k === K_UNMOVABLE || k === K_RECLAIMABLE || k === K_ANON) owner = shardGet(m.allocs, refOf(c))?.id ?? null;
  else if (k === K_TAKEN || k === K_RESERVED) owner = m.owners[refOf(c)] ?? null;
  const isPc = k === K_PAGECACHE;
  return {
    pfn,
    kind: KIND_NAMES[k],
    migratetype: pb.mt,
    freeOrder: fb?.order ?? null,
    freeHead: fb?.head ?? null,
    owner,
    fileId: isPc ? pcFileId(c) : null,
    dirty: isPc && (pcFlags(c) & PC_DIRTY) !== 0,
    writeback: isPc && (pcFlags(c) & PC_WRITEBACK) !== 0,
    pins: pb.pins?.[off] ?? 0,
  };
}

/** Free pages in [start, end). Whole free pageblocks are counted without scanning. */
export function freePagesIn(x: MemoryLike, start: number, end: number): number {
  const m = memOf(x);
  const pbPages = 2 ** m.config.pageblockOrder;
  let n = 0;
  let pfn = start;
  while (pfn < end) {
    const pb = m.pageblocks[pageblockOf(m, pfn)];
    const off = pfn & (pbPages - 1);
    const stop = Math.min(end - pfn, pbPages - off);
    if (pb.nrFree === pbPages) n += stop;
    else if (pb.nrFree > 0) for (let k = 0; k < stop; k++) if (pb.pages[off + k] < 0) n++;
    pfn += stop;
  }
  return n;
}

/**
 * test_pages_isolated: every page of [start, end) is free and in an ISOLATE pageblock.
 * finPfn is the first pfn that is not, or endPfn when all are.
 */
export function testPagesIsolated(x: MemoryLike, startPfn: number, endPfn: number): { ok: boolean; finPfn: number } {
  const m = memOf(x);
  const pbPages = 2 ** m.config.pageblockOrder;
  let pfn = startPfn;
  while (pfn < endPfn) {
    const pb = m.pageblocks[pageblockOf(m, pfn)];
    const off = pfn & (pbPages - 1);
    const stop = Math.min(endPfn - pfn, pbPages - off);
    if (pb.mt !== 'ISOLATE') return { ok: false, finPfn: pfn };
    if (pb.nrFree !== pbPages) {
      for (let k = 0; k < stop; k++) if (pb.pages[off + k] >= 0) return { ok: false, finPfn: pfn + k };
    }
    pfn += stop;
  }
  return { ok: true, finPfn: endPfn };
}

/** Free pages in CMA pageblocks, all zones (/proc/meminfo CmaFree). */
export function cmaFreePages(x: MemoryLike): number {
  return memOf(x).zones.reduce((s, z) => s + z.free[MT_INDEX.CMA].nrFree, 0);
}

/** Pages in CMA pageblocks, all zones (/proc/meminfo CmaTotal). */
export function cmaTotalPages(x: MemoryLike): number {
  return memOf(x).zones.reduce((s, z) => s + z.cmaPages, 0);
}

/** Free pages of every migratetype, all zones (MemFree). */
export function totalFreePages(x: MemoryLike): number {
  return memOf(x).zones.reduce((s, z) => s + z.nrFree, 0);
}

export function zoneCounters(x: MemoryLike): ZoneCountersView[] {
  return memOf(x).zones.map((z) => ({
    name: z.name,
    managed: z.managed,
    free: z.nrFree,
    cmaTotal: z.cmaPages,
    cmaFree: z.free[MT_INDEX.CMA].nrFree,
    freeByMigratetype: Object.fromEntries(MIGRATETYPES.map((t) => [t, z.free[MT_INDEX[t]].nrFree])) as Record<Migratetype, number>,
    ...z.used,
    watermarkLow: z.watermark.low,
  }));
}

