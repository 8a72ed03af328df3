/**
 * Invariants of the page cache against the memory model's page codes. The full walk
 * (`checkPageCacheInvariants`, O(pages + LRU)) and the incremental check (`checkPageCacheSince`,
 * O(what the step changed)) share the per-pageblock check and the order of the count checks, so
 * they report the same first violation.
 */
import { bankIndexOf, pbStartPfn } from '../memory/mutMemory.ts';
import { K_PAGECACHE, kindOf, pcFileId, pcFlags, PC_DIRTY, PC_WRITEBACK } from '../memory/pageCode.ts';
import { recEntries, recGet } from '../memory/recOverlay.ts';
import type { MemoryState } from '../memory/state.ts';
import { extentPages, extentPfn } from '../pagecache/extents.ts';
import { CHUNK, LRU_CHUNK, type PageCacheState } from '../pagecache/state.ts';
import type { SimState } from '../state.ts';
import { appendedOnly, changedIndices, changedKeys, eachChunkChange } from './diff.ts';
import type { Violation } from './violation.ts';

const hex = (n: number) => `0x${n.toString(16)}`;

/** What one page code adds to the page-cache counts (n, dirty, writeback, per file), with `sign`. */
interface Counts { n: number; dirty: number; wb: number; readonly perFile: number[]; readonly ids: Set<number> | null }

function count(t: Counts, c: number, sign: number): void {
  if (kindOf(c) !== K_PAGECACHE) return;
  t.n += sign;
  const fl = pcFlags(c);
  if (fl & PC_DIRTY) t.dirty += sign;
  if (fl & PC_WRITEBACK) t.wb += sign;
  const id = pcFileId(c);
  t.perFile[id] = (t.perFile[id] ?? 0) + sign;
  t.ids?.add(id);
}

/** Indices a file chunk maps to a page (the sum of its extents' counts). */
function mappedIn(ch: readonly number[] | undefined): number {
  return ch === undefined ? 0 : extentPages(ch);
}

/**
 * The pfn each key of chunk k (of `size` keys: file indices or LRU positions) maps to (-1: none),
 * as lookups see it: what a page's check reads.
 */
function chunkPfns(k: number, ch: readonly number[] | undefined, size = CHUNK): number[] {
  const out = new Array<number>(size).fill(-1);
  if (ch !== undefined) for (let j = 0; j < size; j++) out[j] = extentPfn(ch, k * size + j);
  return out;
}

/** The counts the page cache's own counters are compared with, as the pages and maps say. */
export interface PcTotals {
  readonly n: number;
  readonly dirty: number;
  readonly wb: number;
  /** Pages per file id, as the page codes say. */
  readonly perFile: readonly number[];
  /** Indices mapped per file id, as the file chunks say. */
  readonly mapped: readonly number[];
  /** LRU entries in [head, tail) naming a page. */
  readonly live: number;
}

export type PageCacheCheck = { readonly violation: Violation; readonly totals?: undefined } | { readonly violation: null; readonly totals: PcTotals };

/**
 * Every page-cache page of pageblock i is where its file index and its LRU position say; with
 * `offsets` (ascending), just those pages.
 */
function checkPageblock(s: SimState, i: number, offsets: readonly number[] | null = null): Violation | null {
  const mem = s.memory;
  const pc = s.pagecache;
  const pb = mem.pageblocks[i];
  const first = pbStartPfn(mem.banks, mem.config.pageblockOrder, i);
  const slots = recGet(pc.slots, i);
  const n = offsets === null ? pb.pages.length : offsets.length;
  for (let j = 0; j < n; j++) {
    const k = offsets === null ? j : offsets[j];
    const c = pb.pages[k];
    if (kindOf(c) !== K_PAGECACHE) continue;
    const pfn = first + k;
    const id = pcFileId(c);
    const name = pc.fileNames[id];
    if (name === undefined || pc.files[name]?.id !== id) return { invariant: 'pagecache-file', message: `page ${hex(pfn)} names file id ${id}, which does not exist`, pfn, pageblock: i };
    if (slots === undefined) return { invariant: 'pagecache-slot', message: `page ${hex(pfn)} has no page-cache slot`, pfn, pageblock: i };
    const index = slots[2 * k];
    const lruPos = slots[2 * k + 1];
    const ch = recGet(pc.files[name].chunks, Math.floor(index / CHUNK));
    const mappedTo = ch === undefined ? undefined : extentPfn(ch, index);
    if (mappedTo !== pfn) return { invariant: 'pagecache-index', message: `page ${hex(pfn)} caches ${name}:${index}, but the file maps that index to ${mappedTo}`, pfn, pageblock: i };
    if (lruPos < pc.lru.head || lruPos >= pc.lru.tail || lruEntry(pc, lruPos) !== pfn) {
      return { invariant: 'pagecache-lru', message: `page ${hex(pfn)} is not at its LRU position ${lruPos} [${pc.lru.head}, ${pc.lru.tail})`, pfn, pageblock: i };
    }
  }
  return null;
}

/** The counters against the totals: totals, then the files in `ids` (ascending), then the LRU. */
function checkCounts(pc: PageCacheState, t: PcTotals, ids: Iterable<number>): Violation | null {
  if (t.n !== pc.counts.nrPages) return { invariant: 'pagecache-count', message: `page cache counts ${pc.counts.nrPages} pages, memory holds ${t.n}` };
  if (t.dirty !== pc.counts.nrDirty) return { invariant: 'pagecache-count', message: `page cache counts ${pc.counts.nrDirty} dirty pages, pages say ${t.dirty}` };
  if (t.wb !== pc.counts.nrWriteback) return { invariant: 'pagecache-count', message: `page cache counts ${pc.counts.nrWriteback} pages under writeback, pages say ${t.wb}` };
  for (const id of ids) {
    const f = pc.files[pc.fileNames[id]];
    const pages = t.perFile[id] ?? 0;
    if (f.nrPages !== pages) return { invariant: 'pagecache-count', message: `file ${pc.fileNames[id]} counts ${f.nrPages} pages, memory holds ${pages}` };
    if (t.mapped[id] !== f.nrPages) return { invariant: 'pagecache-index', message: `file ${pc.fileNames[id]} maps ${t.mapped[id]} indices, counts ${f.nrPages} pages` };
  }
  if (t.live !== t.n) return { invariant: 'pagecache-lru', message: `LRU holds ${t.live} live entries for ${t.n} pages` };
  return null;
}

/** The pfn at LRU position pos, or -1. */
function lruEntry(pc: PageCacheState, pos: number): number {
  const ch = recGet(pc.lru.chunks, Math.floor(pos / LRU_CHUNK));
  return ch === undefined ? -1 : extentPfn(ch, pos);
}

/** The full walk: every page of memory, every file chunk, the whole LRU. */
export function walkPageCache(s: SimState): PageCacheCheck {
  const { memory: mem, pagecache: pc } = s;
  const t: Counts = { n: 0, dirty: 0, wb: 0, perFile: new Array<number>(pc.fileNames.length).fill(0), ids: null };
  for (let i = 0; i < mem.pageblocks.length; i++) {
    const v = checkPageblock(s, i);
    if (v !== null) return { violation: v };
    for (const c of mem.pageblocks[i].pages) count(t, c, 1);
  }
  const mapped = pc.fileNames.map((name) => {
    let m = 0;
    for (const [, ch] of recEntries(pc.files[name].chunks)) m += mappedIn(ch);
    return m;
  });
  let live = 0;
  for (const [k, ch] of recEntries(pc.lru.chunks)) {
    const px = chunkPfns(k, ch, LRU_CHUNK);
    for (let j = 0; j < LRU_CHUNK; j++) {
      const pos = k * LRU_CHUNK + j;
      if (px[j] >= 0 && pos >= pc.lru.head && pos < pc.lru.tail) live++;
    }
  }
  const totals: PcTotals = { n: t.n, dirty: t.dirty, wb: t.wb, perFile: t.perFile, mapped, live };
  const v = checkCounts(pc, totals, pc.fileNames.keys());
  return v !== null ? { violation: v } : { violation: null, totals };
}

export function checkPageCacheInvariants(s: SimState): Violation | null {
  return walkPageCache(s).violation;
}

/** Head or tail moves longer than this are recounted by walking the LRU instead of position by position. */
const MAX_LRU_SLIDE = 1 << 16;

/**
 * The page-cache invariants of `b`, given that `a` passed them with totals `ta`: the same first
 * violation as the full walk of `b`, at the cost of what the step changed (pageblocks, slots,
 * file chunks, LRU chunks and the stretch the LRU's head and tail moved over).
 */
export function checkPageCacheSince(a: SimState, b: SimState, ta: PcTotals): PageCacheCheck {
  const pa = a.pagecache, pb = b.pagecache;
  const ma: MemoryState = a.memory, mb: MemoryState = b.memory;
  if (pa === pb && ma.pageblocks === mb.pageblocks) return { violation: null, totals: ta };
  if (ma.banks !== mb.banks || ma.config !== mb.config || ma.pageblocks.length !== mb.pageblocks.length || !appendedOnly(pa.fileNames, pb.fileNames)) return walkPageCache(b);
  const filesChanged = changedKeys(pa.files, pb.files);
  for (const name of filesChanged) {
    if (pb.files[name] === undefined || (pa.files[name] !== undefined && pa.files[name].id !== pb.files[name].id)) return walkPageCache(b);
  }
  const slide = Math.abs(pa.lru.head - pb.lru.head) + Math.abs(pa.lru.tail - pb.lru.tail);
  if (slide > MAX_LRU_SLIDE) return walkPageCache(b);

  // The pages to look at, by pageblock: those whose code or slot changed, and those named by
  // file and LRU entries that changed (a page's check reads nothing else that can change here).
  const look = new Map<number, Set<number>>();
  const add = (i: number, k: number) => {
    let o = look.get(i);
    if (o === undefined) look.set(i, (o = new Set()));
    o.add(k);
  };
  const ids = new Set<number>();
  const t: Counts = { n: ta.n, dirty: ta.dirty, wb: ta.wb, perFile: ta.perFile.slice(), ids };
  for (const i of changedIndices(ma.pageblocks, mb.pageblocks)) {
    const x = ma.pageblocks[i].pages, y = mb.pageblocks[i].pages;
    if (x === y) continue;
    for (let k = 0; k < y.length; k++) {
      if (x[k] === y[k]) continue;
      add(i, k);
      count(t, x[k], -1);
      count(t, y[k], 1);
    }
  }
  if (pa.slots !== pb.slots) {
    eachChunkChange(pa.slots, pb.slots, (i, x, y) => {
      const len = Math.max(x?.length ?? 0, y?.length ?? 0) >> 1;
      for (let k = 0; k < len; k++) if (x?.[2 * k] !== y?.[2 * k] || x?.[2 * k + 1] !== y?.[2 * k + 1]) add(i, k);
    });
  }
  const pbo = mb.config.pageblockOrder;
  const addPfn = (pfn: number | undefined) => {
    if (pfn === undefined || pfn < 0) return;
    const bi = bankIndexOf(mb.banks, pfn);
    if (bi >= 0) add(mb.banks[bi].firstPb + ((pfn - mb.banks[bi].startPfn) >> pbo), (pfn - mb.banks[bi].startPfn) & (2 ** pbo - 1));
  };

  // Pages the file maps and their counts.
  const mapped = ta.mapped.slice();
  for (const name of filesChanged) {
    const fa = pa.files[name], fb = pb.files[name];
    ids.add(fb.id);
    if (mapped[fb.id] === undefined) mapped[fb.id] = 0;
    if (fa === undefined) {
      for (const [k, ch] of recEntries(fb.chunks)) { mapped[fb.id] += mappedIn(ch); for (const x of chunkPfns(k, ch)) addPfn(x); }
      continue;
    }
    eachChunkChange(fa.chunks, fb.chunks, (k, x, y) => {
      mapped[fb.id] += mappedIn(y) - mappedIn(x);
      const px = chunkPfns(k, x), py = chunkPfns(k, y);
      for (let j = 0; j < CHUNK; j++) if (px[j] !== py[j]) { addPfn(px[j]); addPfn(py[j]); }
    });
  }

  // The LRU: entries that changed, and the stretches the head and tail moved over (in or out of [head, tail)).
  let live = ta.live;
  const inA = (pos: number) => pos >= pa.lru.head && pos < pa.lru.tail;
  const inB = (pos: number) => pos >= pb.lru.head && pos < pb.lru.tail;
  const step = (pos: number, ea: number, eb: number) => {
    live += (inB(pos) && eb >= 0 ? 1 : 0) - (inA(pos) && ea >= 0 ? 1 : 0);
  };
  if (pa.lru.chunks !== pb.lru.chunks) {
    eachChunkChange(pa.lru.chunks, pb.lru.chunks, (key, x, y) => {
      const px = chunkPfns(key, x, LRU_CHUNK), py = chunkPfns(key, y, LRU_CHUNK);
      for (let j = 0; j < LRU_CHUNK; j++) {
        const ea = px[j], eb = py[j];
        if (ea === eb) continue;
        step(key * LRU_CHUNK + j, ea, eb);
        addPfn(ea);
        addPfn(eb);
      }
    });
  }
  // Each position once: the two stretches overlap when the head passes the old tail.
  const stretches = [[pa.lru.head, pb.lru.head], [pa.lru.tail, pb.lru.tail]].map(([p, q]) => [Math.min(p, q), Math.max(p, q)]).sort((x, y) => x[0] - y[0]);
  let from = -Infinity;
  for (const [lo, hi] of stretches) {
    for (let pos = Math.max(lo, from); pos < hi; pos++) {
      const ea = lruEntry(pa, pos), eb = lruEntry(pb, pos);
      addPfn(ea);
      // A changed entry was counted above.
      if (ea === eb) step(pos, ea, eb);
    }
    from = Math.max(from, hi);
  }

  for (const i of [...look.keys()].sort((x, y) => x - y)) {
    const v = checkPageblock(b, i, [...look.get(i)!].sort((x, y) => x - y));
    if (v !== null) return { violation: v };
  }

  const totals: PcTotals = { n: t.n, dirty: t.dirty, wb: t.wb, perFile: t.perFile, mapped, live };
  const v = checkCounts(pb, totals, [...ids].sort((x, y) => x - y));
  return v !== null ? { violation: v } : { violation: null, totals };
}
