/**
 * Page-cache pages entering, leaving and moving: the memory page code, the file's index map, the
 * per-pageblock slots and the LRU change together. Shared by the fault handler, reclaim and
 * migration (models/memory/migrateRange.ts).
 */
import type { Draft } from 'immer';
import { freeBlock, setCodes } from '../memory/buddy.ts';
import { addUsed } from '../memory/carve.ts';
import { codeAt, pbIndexIn, type MemMut } from '../memory/mutMemory.ts';
import { pcCode, pcFileId, pcFlags, PC_DIRTY, PC_WRITEBACK } from '../memory/pageCode.ts';
import { ovGet, ovOwn, ovPut } from '../memory/recOverlay.ts';
import { fileChunks, type PcMut } from './mutPagecache.ts';
import { CHUNK, type FileState } from './state.ts';

/** The file's id, registering the file on first use. */
export function fileIdOf(p: PcMut, name: string): number {
  const f = p.dp.files[name];
  if (f !== undefined) return f.id;
  const id = p.dp.fileNames.length;
  p.dp.fileNames.push(name);
  (p.dp.files as Record<string, FileState>)[name] = { id, nrPages: 0, chunks: {} };
  return id;
}

/** pfn caching (file, index), or -1. */
export function lookupPage(p: PcMut, name: string, index: number): number {
  if (p.dp.files[name] === undefined) return -1;
  const ch = ovGet(fileChunks(p, name), String(Math.floor(index / CHUNK)));
  return ch === undefined ? -1 : ch[index % CHUNK];
}

function setIndex(p: PcMut, name: string, index: number, pfn: number): void {
  const ov = fileChunks(p, name);
  const k = String(Math.floor(index / CHUNK));
  let ch = ovOwn(ov, k);
  if (ch === undefined) {
    ch = new Array(CHUNK).fill(-1);
    ovPut(ov, k, ch);
  }
  ch[index % CHUNK] = pfn;
}

function slotArr(m: MemMut, p: PcMut, pfn: number): number[] {
  const k = String(pbIndexIn(m.banks, m.pbOrder, pfn));
  let s = ovOwn(p.slots, k);
  if (s === undefined) {
    s = new Array(2 * m.pbPages).fill(-1);
    ovPut(p.slots, k, s);
  }
  return s;
}

function slotRead(m: MemMut, p: PcMut, pfn: number): { index: number; lruPos: number } {
  const s = ovGet(p.slots, String(pbIndexIn(m.banks, m.pbOrder, pfn)));
  const off = pfn & (m.pbPages - 1);
  if (s === undefined) throw new Error(`page cache: no slot for pfn 0x${pfn.toString(16)}`);
  return { index: s[2 * off], lruPos: s[2 * off + 1] };
}

function lruSet(p: PcMut, pos: number, pfn: number): void {
  const k = String(Math.floor(pos / CHUNK));
  let ch = ovOwn(p.lru, k);
  if (ch === undefined) {
    ch = new Array(CHUNK).fill(-1);
    ovPut(p.lru, k, ch);
  }
  ch[pos % CHUNK] = pfn;
}

/** Put the page at the LRU tail (newest) and record its position. */
export function lruAppend(m: MemMut, p: PcMut, pfn: number): void {
  const pos = p.dp.lru.tail;
  lruSet(p, pos, pfn);
  p.dp.lru.tail = pos + 1;
  slotArr(m, p, pfn)[2 * (pfn & (m.pbPages - 1)) + 1] = pos;
}

/** Make the (already allocated) page at pfn cache (file, index), clean, newest in the LRU. */
export function insertPage(m: MemMut, p: PcMut, name: string, index: number, pfn: number): void {
  const id = fileIdOf(p, name);
  setCodes(m, pfn, 1, pcCode(id, 0));
  addUsed(m, pfn, 'pagecache', 1);
  setIndex(p, name, index, pfn);
  slotArr(m, p, pfn)[2 * (pfn & (m.pbPages - 1))] = index;
  lruAppend(m, p, pfn);
  (p.dp.files[name] as { nrPages: number }).nrPages += 1;
  p.dp.nrPages += 1;
}

/** Drop the page at pfn from the cache and free it (it must not be under writeback). */
export function removePage(m: MemMut, p: PcMut, pfn: number): void {
  const c = codeAt(m, pfn);
  const name = p.dp.fileNames[pcFileId(c)];
  const { index, lruPos } = slotRead(m, p, pfn);
  setIndex(p, name, index, -1);
  if (lruPos >= p.dp.lru.head) lruSet(p, lruPos, -1);
  const fl = pcFlags(c);
  if (fl & PC_DIRTY) p.dp.nrDirty -= 1;
  if (fl & PC_WRITEBACK) p.dp.nrWriteback -= 1;
  (p.dp.files[name] as { nrPages: number }).nrPages -= 1;
  p.dp.nrPages -= 1;
  addUsed(m, pfn, 'pagecache', -1);
  freeBlock(m, pfn, 0);
}

/** Move the page at `from` to the allocated page `to` (migration): flags, index and LRU position follow. */
export function movePage(m: MemMut, p: PcMut, from: number, to: number): void {
  const c = codeAt(m, from);
  const name = p.dp.fileNames[pcFileId(c)];
  const { index, lruPos } = slotRead(m, p, from);
  setCodes(m, to, 1, c);
  addUsed(m, to, 'pagecache', 1);
  const s = slotArr(m, p, to);
  const off = to & (m.pbPages - 1);
  s[2 * off] = index;
  s[2 * off + 1] = lruPos;
  setIndex(p, name, index, to);
  if (lruPos >= p.dp.lru.head) lruSet(p, lruPos, to);
  addUsed(m, from, 'pagecache', -1);
  freeBlock(m, from, 0);
}

/** Set or clear page-cache flags on the page at pfn, keeping the dirty/writeback counts. */
export function setPcFlags(m: MemMut, p: PcMut, pfn: number, set: number, clear: number): void {
  const c = codeAt(m, pfn);
  const old = pcFlags(c);
  const nf = (old | set) & ~clear;
  if (nf === old) return;
  setCodes(m, pfn, 1, pcCode(pcFileId(c), nf));
  const d = (bit: number) => ((nf & bit) !== 0 ? 1 : 0) - ((old & bit) !== 0 ? 1 : 0);
  p.dp.nrDirty += d(PC_DIRTY);
  p.dp.nrWriteback += d(PC_WRITEBACK);
}

export type { Draft };
