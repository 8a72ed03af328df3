/**
 * Page-cache pages entering, leaving and moving: the memory page code, the file's index map, the
 * per-pageblock slots and the LRU change together. Shared by the fault handler, reclaim and
 * migration (models/mm/migrateRange.ts).
 */
import { freeBlock, setCodes } from '../memory/buddy.ts';
import { addUsed } from '../memory/carve.ts';
import { freeRun } from '../memory/freeRun.ts';
import { codeAt, pbIndexIn, pbRead, pbWrite, zoneWrite, type MemMut } from '../memory/mutMemory.ts';
import { pcCode, pcFileId, pcFlags, PC_DIRTY, PC_REFERENCED, PC_WRITEBACK } from '../memory/pageCode.ts';
import { ovDelete, ovGet, ovOwn, ovPut, recGet, type RecOverlay } from '../memory/recOverlay.ts';
import { counts, fileRead, fileWrite, lru, lruChunks, type PcMut } from './mutPagecache.ts';
import { freeableFlags, isPinned, noteFreeable, noteFreeableIn, noteReferenced } from './reclaimIndex.ts';
import { extentAt, extentNextKey, extentPfn, extentRunEnd, extentRunsIn, extentSet, extentWrite } from './extents.ts';
import { CHUNK, LRU_CHUNK } from './state.ts';

function nameOf(p: PcMut, id: number): string {
  return p.names !== null ? p.names[id] : p.base.fileNames[id];
}

/** The file's id, registering the file on first use. */
export function fileIdOf(p: PcMut, name: string): number {
  return fileRead(p, name)?.id ?? fileWrite(p, name).w.id;
}

/** pfn caching (file, index), or -1. */
export function lookupPage(p: PcMut, name: string, index: number): number {
  const owned = p.files.get(name);
  const k = Math.floor(index / CHUNK);
  const f = owned === undefined ? p.base.files[name] : undefined;
  const ch = owned !== undefined ? ovGet(owned.ov, k) : f === undefined ? undefined : recGet(f.chunks, k);
  return ch === undefined ? -1 : extentPfn(ch, index);
}

/** The first cached index of the file in [from, end), or end: one search per chunk, not a lookup per index. */
export function nextCachedIndex(p: PcMut, name: string, from: number, end: number): number {
  const owned = p.files.get(name);
  const base = owned === undefined ? p.base.files[name] : undefined;
  if (owned === undefined && base === undefined) return end;
  for (let i = from; i < end;) {
    const k = Math.floor(i / CHUNK);
    const ch = owned !== undefined ? ovGet(owned.ov, k) : recGet(base!.chunks, k);
    const at = ch === undefined ? -1 : extentNextKey(ch, i);
    if (at >= 0) return Math.min(at, end);
    i = (k + 1) * CHUNK;
  }
  return end;
}

/**
 * Call f(pfn, n) for each run of cached pages of [index, index + count) of the file (consecutive
 * indices cached at pfn .. pfn+n-1), in index order, reading each index chunk once. f may drop
 * the pages it is given (evict), not others.
 */
export function eachCachedRun(p: PcMut, name: string, index: number, count: number, f: (pfn: number, n: number) => void): void {
  const owned = p.files.get(name);
  const base = owned === undefined ? p.base.files[name] : undefined;
  if (owned === undefined && base === undefined) return;
  const end = index + count;
  for (let i = index; i < end;) {
    const k = Math.floor(i / CHUNK);
    const stop = Math.min(end, (k + 1) * CHUNK);
    const ch = owned !== undefined ? ovGet(owned.ov, k) : recGet(base!.chunks, k);
    if (ch !== undefined) {
      const runs = extentRunsIn(ch, i, stop);
      for (let r = 0; r < runs.length; r += 2) f(runs[r], runs[r + 1]);
    }
    i = stop;
  }
}

/**
 * Map (file, index) to pfn, or unmap it (pfn -1). A chunk left with no mapped index is dropped,
 * so a file's map holds only chunks with cached pages, however far the file was read.
 */
function setIndex(p: PcMut, name: string, index: number, pfn: number): void {
  setExtent(fileWrite(p, name).ov, CHUNK, index, pfn, 1);
}

/**
 * In a chunked map of extents (a file's indices, or LRU positions) with `size` keys a chunk: map
 * keys key .. key+n-1 (all in one chunk) to pfn .. pfn+n-1, or unmap them (pfn -1); drops a chunk
 * left empty.
 */
function setExtent(ov: RecOverlay<number[]>, size: number, key: number, pfn: number, n: number): void {
  const k = Math.floor(key / size);
  let ch = ovOwn(ov, k);
  if (ch === undefined) {
    if (pfn < 0) return;
    ch = [] as number[];
    ovPut(ov, k, ch);
  }
  extentSet(ch, key, pfn, n);
  if (ch.length === 0) ovDelete(ov, k);
}

/** setExtent of keys key .. key+n-1 to pfn + 0 .. (pfn -1: unmap them), spanning chunks: one write per chunk. */
function setExtentSpan(ov: RecOverlay<number[]>, size: number, key: number, pfn: number, n: number): void {
  for (let k = 0; k < n;) {
    const e = Math.min(n, k + size - ((key + k) % size));
    setExtent(ov, size, key + k, pfn < 0 ? -1 : pfn + k, e - k);
    k = e;
  }
}

/** setExtent of key + k to pages[k] for every k (-1: unmap), a run of consecutive pfns in one chunk at a time. */
function setExtents(ov: RecOverlay<number[]>, size: number, key: number, pages: readonly number[]): void {
  for (let k = 0; k < pages.length;) {
    const stop = Math.min(pages.length, k + (size - ((key + k) % size)));
    let e = k + 1;
    if (pages[k] < 0) while (e < stop && pages[e] < 0) e++;
    else while (e < stop && pages[e] === pages[k] + (e - k)) e++;
    setExtent(ov, size, key + k, pages[k] < 0 ? -1 : pages[k], e - k);
    k = e;
  }
}

/**
 * Record that pages pfn .. pfn+n-1 (one pageblock) cache file indices index + 0 .. and sit at LRU
 * positions lruPos + 0 .. , or forget them (index -1): the slots of pageblock pbi, as extents
 * keyed by page offset (w = 2). Drops a pageblock's slots left empty.
 */
function slotWrite(m: MemMut, p: PcMut, pbi: number, pfn: number, n: number, index: number, lruPos: number): void {
  let s = ovOwn(p.slots, pbi);
  if (s === undefined) {
    if (index < 0) return;
    s = [] as number[];
    ovPut(p.slots, pbi, s);
  }
  extentWrite(s, 2, pfn & (m.pbPages - 1), n, index, lruPos);
  if (s.length === 0) ovDelete(p.slots, pbi);
}

/** Value j of the page-cache page at pfn's slot (0: file index, 1: LRU position). */
function slotValue(m: MemMut, p: PcMut, pbi: number, pfn: number, j: 0 | 1): number {
  const s = ovGet(p.slots, pbi);
  const v = s === undefined ? -1 : extentAt(s, pfn & (m.pbPages - 1), 2, j);
  if (v < 0) throw new Error(`page cache: no slot for pfn 0x${pfn.toString(16)}`);
  return v;
}

function slotRead(m: MemMut, p: PcMut, pfn: number): { index: number; lruPos: number } {
  const pbi = pbIndexIn(m.banks, m.pbOrder, pfn);
  return { index: slotValue(m, p, pbi, pfn, 0), lruPos: slotValue(m, p, pbi, pfn, 1) };
}

function lruSet(p: PcMut, pos: number, pfn: number): void {
  setExtent(lruChunks(p), LRU_CHUNK, pos, pfn, 1);
}

/** Name of the file the page-cache page at pfn caches. */
export function fileNameOf(m: MemMut, p: PcMut, pfn: number): string {
  return nameOf(p, pcFileId(codeAt(m, pfn)));
}

/** Index in its file of the page-cache page at pfn. */
export function fileIndexOf(m: MemMut, p: PcMut, pfn: number): number {
  return slotRead(m, p, pfn).index;
}

/** Put the page at pfn (caching file index `index`) at the LRU tail (newest) and record its position. */
function lruPut(m: MemMut, p: PcMut, pfn: number, index: number): void {
  const l = lru(p);
  const pos = l.tail;
  lruSet(p, pos, pfn);
  l.tail = pos + 1;
  slotWrite(m, p, pbIndexIn(m.banks, m.pbOrder, pfn), pfn, 1, index, pos);
}

/** Put the page-cache page at pfn at the LRU tail (newest) and record its position. */
export function lruAppend(m: MemMut, p: PcMut, pfn: number): void {
  lruPut(m, p, pfn, slotValue(m, p, pbIndexIn(m.banks, m.pbOrder, pfn), pfn, 0));
}

/**
 * How many of the pages pfn, pfn+1, .. (at most `max`) lruAppendRun may move as one: they share
 * pfn's pageblock and its slot run, so their file indices follow one another.
 */
export function lruRunRoom(m: MemMut, p: PcMut, pfn: number, max: number): number {
  const off = pfn & (m.pbPages - 1);
  const end = extentRunEnd(ovGet(p.slots, pbIndexIn(m.banks, m.pbOrder, pfn)) ?? [], off, 2);
  return Math.max(1, Math.min(max, end - off));
}

/** lruAppend of pfn, pfn+1, .. pfn+n-1 in that order, n within lruRunRoom: one LRU and one slot write per chunk. */
export function lruAppendRun(m: MemMut, p: PcMut, pfn: number, n: number): void {
  const pbi = pbIndexIn(m.banks, m.pbOrder, pfn);
  const index = slotValue(m, p, pbi, pfn, 0);
  const l = lru(p);
  const pos = l.tail;
  setExtentSpan(lruChunks(p), LRU_CHUNK, pos, pfn, n);
  l.tail = pos + n;
  slotWrite(m, p, pbi, pfn, n, index, pos);
}

/** Make the (already allocated) page at pfn cache (file, index), clean, newest in the LRU. */
export function insertPage(m: MemMut, p: PcMut, name: string, index: number, pfn: number): void {
  const id = fileIdOf(p, name);
  setCodes(m, pfn, 1, pcCode(id, 0));
  addUsed(m, pfn, 'pagecache', 1);
  setIndex(p, name, index, pfn);
  lruPut(m, p, pfn, index);
  fileWrite(p, name).w.nrPages += 1;
  counts(p).nrPages += 1;
  if (!isPinned(m, pfn)) noteFreeable(m, p, pfn, 1);
}

/**
 * insertPage for pages[k] at file index index + k, k = 0..n-1, in that order, with the same result;
 * the work is done per chunk and per run of physically consecutive pages in one pageblock.
 */
export function insertRun(m: MemMut, p: PcMut, name: string, index: number, pages: readonly number[]): void {
  const n = pages.length;
  if (n === 0) return;
  // Written below anyway, so registered here (fileIdOf would register it the same way).
  const f = fileWrite(p, name);
  const code = pcCode(f.w.id, 0);
  setExtents(f.ov, CHUNK, index, pages);
  const l = lru(p);
  const pos0 = l.tail;
  lruSetRun(p, pos0, pages);
  l.tail = pos0 + n;
  const mask = m.pbPages - 1;
  for (let k = 0; k < n;) {
    // pages[k..e) are consecutive pfns inside one pageblock
    const first = pages[k];
    const room = m.pbPages - (first & mask);
    let e = k + 1;
    while (e < n && e - k < room && pages[e] === first + (e - k)) e++;
    const run = e - k;
    setCodes(m, first, run, code);
    addUsed(m, first, 'pagecache', run);
    const pbi = pbIndexIn(m.banks, m.pbOrder, first);
    slotWrite(m, p, pbi, first, run, index + k, pos0 + k);
    const pins = pbRead(m, pbi).pins;
    let freeable = 0;
    for (let j = 0; j < run; j++) if (pins === null || !((pins[String((first + j) & mask)] ?? 0) > 0)) freeable++;
    if (freeable > 0) noteFreeable(m, p, first, freeable);
    k = e;
  }
  f.w.nrPages += n;
  counts(p).nrPages += n;
}

/** lruSet(pos + k, pages[k]) for every k, a run of consecutive pfns in one chunk at a time. */
function lruSetRun(p: PcMut, pos: number, pages: readonly number[]): void {
  setExtents(lruChunks(p), LRU_CHUNK, pos, pages);
}

/**
 * Drop the page at pfn from the cache and free it (it must not be under writeback). With `freeIt`
 * false the caller frees it (with a run of pages: memory/freeRun.ts runFreer).
 */
export function removePage(m: MemMut, p: PcMut, pfn: number, freeIt = true): void {
  removeRun(m, p, pfn, 1, freeIt);
}

/** Pinned pages among the n pages from page offset `off` of a pageblock with these pins. */
function pinnedIn(pins: Readonly<Record<string, number>> | null, off: number, n: number): number {
  if (pins === null) return 0;
  let k = 0;
  for (let j = 0; j < n; j++) if ((pins[String(off + j)] ?? 0) > 0) k++;
  return k;
}

/**
 * How many of the pages pfn, pfn+1, .. (at most `max`, within one pageblock) have pfn's page code
 * (the same file and flags) and, with `byPin`, pfn's pin state: a run setPcFlagsRun and removeRun
 * may take as one.
 */
export function sameCodeRun(m: MemMut, pfn: number, max: number, byPin: boolean): number {
  const pb = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn));
  const off = pfn & (m.pbPages - 1);
  const c = pb.pages[off];
  const room = Math.min(max, m.pbPages - off);
  let n = 1;
  while (n < room && pb.pages[off + n] === c) n++;
  if (!byPin || pb.pins === null) return n;
  const pinned = pinnedIn(pb.pins, off, 1);
  let k = 1;
  while (k < n && pinnedIn(pb.pins, off + k, 1) === pinned) k++;
  return k;
}

/**
 * Split pages pfn .. pfn+n-1 into sameCodeRun runs, in pfn order, and call f(pfn, n, flags) for
 * each: the page-cache flags of a run are one value. f may drop or change the run it is given.
 */
export function eachCodeRun(m: MemMut, pfn: number, n: number, byPin: boolean, f: (pfn: number, n: number, flags: number) => void): void {
  for (let j = 0; j < n;) {
    const r = sameCodeRun(m, pfn + j, n - j, byPin);
    f(pfn + j, r, pcFlags(codeAt(m, pfn + j)));
    j += r;
  }
}

/**
 * removePage of pfn, pfn+1, .. pfn+n-1 in that order, with the same result: the pages share one
 * page code (sameCodeRun) and one slot run (lruRunRoom), so the maps, the reclaim index and the
 * counts change once for the run, and the pages are freed as one run (freeRun: the free lists
 * freeing them one by one in pfn order leaves).
 */
export function removeRun(m: MemMut, p: PcMut, pfn: number, n: number, freeIt = true): void {
  // The pageblock is looked up once: this runs for every run reclaim frees.
  const pbi = pbIndexIn(m.banks, m.pbOrder, pfn);
  const pb = pbRead(m, pbi);
  const off = pfn & (m.pbPages - 1);
  const c = pb.pages[off];
  const name = nameOf(p, pcFileId(c));
  const index = slotValue(m, p, pbi, pfn, 0), lruPos = slotValue(m, p, pbi, pfn, 1);
  slotWrite(m, p, pbi, pfn, n, -1, -1);
  const f = fileWrite(p, name);
  setExtentSpan(f.ov, CHUNK, index, -1, n);
  // Positions before the head are left as they are (their chunk goes once consumed).
  const head = lru(p).head;
  if (lruPos + n > head) setExtentSpan(lruChunks(p), LRU_CHUNK, Math.max(lruPos, head), -1, lruPos + n - Math.max(lruPos, head));
  const fl = pcFlags(c);
  if (freeableFlags(fl, false)) {
    const freeable = n - pinnedIn(pb.pins, off, n);
    if (freeable > 0) noteFreeableIn(m, p, pbi, -freeable);
  }
  if (fl & PC_REFERENCED) noteReferenced(p, lruPos, -1, n);
  const cn = counts(p);
  if (fl & PC_DIRTY) cn.nrDirty -= n;
  if (fl & PC_WRITEBACK) cn.nrWriteback -= n;
  f.w.nrPages -= n;
  cn.nrPages -= n;
  zoneWrite(m, pb.zone).used.pagecache -= n;
  if (freeIt) freeRun(m, pfn, n);
}

/**
 * Move the page at `from` to the allocated page `to` (migration): flags, index and LRU position
 * follow. With `freeFrom` false the caller frees `from` (with a run of sources: memory/freeRun.ts).
 */
export function movePage(m: MemMut, p: PcMut, from: number, to: number, freeFrom = true): void {
  const c = codeAt(m, from);
  const name = nameOf(p, pcFileId(c));
  const { index, lruPos } = slotRead(m, p, from);
  setCodes(m, to, 1, c);
  addUsed(m, to, 'pagecache', 1);
  slotWrite(m, p, pbIndexIn(m.banks, m.pbOrder, from), from, 1, -1, -1);
  slotWrite(m, p, pbIndexIn(m.banks, m.pbOrder, to), to, 1, index, lruPos);
  setIndex(p, name, index, to);
  if (lruPos >= lru(p).head) lruSet(p, lruPos, to);
  // The LRU position and flags stay; the pageblock (CMA or not) and pins may differ.
  const fl = pcFlags(c);
  if (freeableFlags(fl, isPinned(m, from))) noteFreeable(m, p, from, -1);
  if (freeableFlags(fl, isPinned(m, to))) noteFreeable(m, p, to, 1);
  addUsed(m, from, 'pagecache', -1);
  if (freeFrom) freeBlock(m, from, 0);
}

/** +1 when `bit` was set from `old` to `nf`, -1 when cleared, else 0. Top-level: a closure per call costs an allocation on this hot path. */
function bitDelta(old: number, nf: number, bit: number): number {
  return ((nf & bit) !== 0 ? 1 : 0) - ((old & bit) !== 0 ? 1 : 0);
}

/** Set or clear page-cache flags on the page at pfn, keeping the dirty/writeback counts. */
export function setPcFlags(m: MemMut, p: PcMut, pfn: number, set: number, clear: number): void {
  setPcFlagsRun(m, p, pfn, 1, set, clear);
}

/**
 * setPcFlags on pfn, pfn+1, .. pfn+n-1, with the same result: the pages share one page code
 * (sameCodeRun) and, when the referenced bit changes, one slot run (lruRunRoom), so the codes are
 * written in one pass and the counts and the reclaim index change once.
 */
export function setPcFlagsRun(m: MemMut, p: PcMut, pfn: number, n: number, set: number, clear: number): void {
  // The pageblock is looked up once: dirtying, writeback and reclaim run this for every run.
  const pbi = pbIndexIn(m.banks, m.pbOrder, pfn);
  const pb = pbRead(m, pbi);
  const off = pfn & (m.pbPages - 1);
  const c = pb.pages[off];
  const old = pcFlags(c);
  const nf = (old | set) & ~clear;
  if (nf === old) return;
  const pages = pbWrite(m, pbi).pages;
  const nc = pcCode(pcFileId(c), nf);
  for (let j = 0; j < n; j++) pages[off + j] = nc;
  const cn = counts(p);
  cn.nrDirty += n * bitDelta(old, nf, PC_DIRTY);
  cn.nrWriteback += n * bitDelta(old, nf, PC_WRITEBACK);
  const fd = (freeableFlags(nf, false) ? 1 : 0) - (freeableFlags(old, false) ? 1 : 0);
  if (fd !== 0) {
    const unpinned = n - pinnedIn(pb.pins, off, n);
    if (unpinned > 0) noteFreeableIn(m, p, pbi, fd * unpinned);
  }
  const rd = bitDelta(old, nf, PC_REFERENCED);
  if (rd !== 0) noteReferenced(p, slotValue(m, p, pbi, pfn, 1), rd, n);
}

