/**
 * Copy-once write access to the page cache inside a draft (see models/memory/mutMemory.ts): the
 * small records (counts, stats, LRU head/tail, one file) are copied into plain objects on first
 * write in a draft and assigned back, so the hot path writes plain properties, not proxies; what
 * was copied is frozen at the batch's commit (models/overlay). Reducers see PageCacheState
 * readonly (SimDraft): this overlay is the only writable view of it.
 */
import { isDraft, original, type Draft } from 'immer';
import { copyArray, copyRecord } from '../overlay/copyArray.ts';
import { sealAtCommit, type SealCtx } from '../overlay/sealAtCommit.ts';
import { groupedOverlay, recOverlay, type Grouped, type RecOverlay } from '../memory/recOverlay.ts';
import type { FileState, IoRun, LruState, PageCacheCounts, PageCacheState, PageCacheStats, ReclaimIndex } from './state.ts';

type W<T> = { -readonly [K in keyof T]: T[K] };
export type LruW = W<LruState>;
export type FileW = W<FileState>;
/** A file being written in this draft: its record and its chunk overlay. */
export interface FileMut {
  readonly w: FileW;
  readonly ov: RecOverlay<number[]>;
}
export type ReclaimW = W<ReclaimIndex> & { refChunks: Record<number, number>; pbFreeable: Record<number, readonly number[]> };

export interface PcMut {
  readonly dp: Draft<PageCacheState>;
  readonly base: PageCacheState;
  /** Per-pageblock slots. */
  readonly slots: RecOverlay<number[]>;
  lruW: LruW | null;
  lruOv: RecOverlay<number[]> | null;
  countsW: W<PageCacheCounts> | null;
  reclaimW: ReclaimW | null;
  /** Overlay on reclaimW.pbFreeable (made with reclaimW). */
  pbFreeOv: RecOverlay<number[]> | null;
  statsW: W<PageCacheStats> | null;
  names: string[] | null;
  /** File name -> I/O runs (io.ts), copied on first write. */
  ioW: Record<string, readonly IoRun[]> | null;
  readonly files: Map<string, FileMut>;
}

const cache = new WeakMap<object, PcMut>();

/**
 * The overlay for this page-cache draft (created on first use; its copies are frozen when the
 * batch commits, see models/overlay/sealAtCommit.ts). `_ctx` is not used (callers that pass it compile).
 */
export function mutPagecache(dp: PageCacheState, _ctx?: SealCtx): PcMut {
  let p = cache.get(dp);
  if (p === undefined) {
    if (!isDraft(dp)) throw new Error('mutPagecache: expected an immer draft of PageCacheState');
    const base = original(dp as Draft<PageCacheState>) as PageCacheState;
    const d = dp as Draft<PageCacheState>;
    const made: PcMut = { dp: d, base, slots: groupedOverlay(base.slots as Grouped<number[]>, (c) => { (d as { slots: unknown }).slots = c; }), lruW: null, lruOv: null, countsW: null, reclaimW: null, pbFreeOv: null, statsW: null, names: null, ioW: null, files: new Map() };
    cache.set(dp, made);
    sealAtCommit(() => sealPagecache(made));
    p = made;
  }
  return p;
}

/** Freeze the records this overlay copied (its chunk maps, recOverlay, seal themselves; none of it holds a draft). */
function sealPagecache(p: PcMut): void {
  if (p.lruW !== null) Object.freeze(p.lruW);
  for (const { w } of p.files.values()) Object.freeze(w);
  if (p.reclaimW !== null) {
    Object.freeze(p.reclaimW.refChunks);
    Object.freeze(p.reclaimW.pbFreeable);
  }
  for (const o of [p.countsW, p.reclaimW, p.statsW, p.names, p.ioW]) if (o !== null) Object.freeze(o);
}

/** The LRU queue's head/tail, writable. */
export function lru(p: PcMut): LruW {
  if (p.lruW === null) {
    const b = p.base.lru;
    const w: LruW = { head: b.head, tail: b.tail, chunks: b.chunks };
    p.lruW = w;
    p.lruOv = groupedOverlay(b.chunks as Grouped<number[]>, (top) => { w.chunks = top; });
    (p.dp as { lru: LruState }).lru = w;
  }
  return p.lruW;
}

export function lruChunks(p: PcMut): RecOverlay<number[]> {
  lru(p);
  return p.lruOv!;
}

export function counts(p: PcMut): W<PageCacheCounts> {
  if (p.countsW === null) {
    p.countsW = { ...p.base.counts };
    (p.dp as { counts: PageCacheCounts }).counts = p.countsW;
  }
  return p.countsW;
}

/** The reclaim index (state.ts ReclaimIndex), writable. */
export function reclaimIndex(p: PcMut): ReclaimW {
  if (p.reclaimW === null) {
    const b = p.base.reclaim;
    p.reclaimW = { freeable: b.freeable, freeableCma: b.freeableCma, refChunks: copyRecord(b.refChunks), pbFreeable: copyRecord(b.pbFreeable) };
    p.pbFreeOv = recOverlay(p.reclaimW.pbFreeable);
    (p.dp as { reclaim: ReclaimIndex }).reclaim = p.reclaimW;
  }
  return p.reclaimW;
}

export function stats(p: PcMut): W<PageCacheStats> {
  if (p.statsW === null) {
    p.statsW = { ...p.base.stats };
    (p.dp as { stats: PageCacheStats }).stats = p.statsW;
  }
  return p.statsW;
}

/** The I/O runs of `file` (io.ts), or undefined when it has none. */
export function ioRead(p: PcMut, file: string): readonly IoRun[] | undefined {
  return (p.ioW ?? p.base.io)[file];
}

/**
 * File name -> I/O runs, writable. A run list is never edited once stored (io.ts builds new ones,
 * frozen), so only this record is copied: every fault writes it, and through the draft each
 * first read of a file's list in a batch made an immer proxy of it.
 */
export function ioWrite(p: PcMut): Record<string, readonly IoRun[]> {
  if (p.ioW === null) {
    p.ioW = copyRecord(p.base.io);
    (p.dp as { io: PageCacheState['io'] }).io = p.ioW;
  }
  return p.ioW;
}

/** File id -> name, writable (appended to when a file is first seen). */
export function fileNames(p: PcMut): string[] {
  if (p.names === null) {
    p.names = copyArray(p.base.fileNames);
    (p.dp as { fileNames: readonly string[] }).fileNames = p.names;
  }
  return p.names;
}

/** The file record without copying it, or undefined. */
export function fileRead(p: PcMut, name: string): FileState | undefined {
  return p.files.get(name)?.w ?? p.base.files[name];
}

/** The writable file record and its chunk overlay, creating the file when `create`. */
export function fileWrite(p: PcMut, name: string): FileMut {
  let f = p.files.get(name);
  if (f !== undefined) return f;
  const b = p.base.files[name];
  let w: FileW;
  if (b === undefined) {
    const names = fileNames(p);
    w = { id: names.length, nrPages: 0, chunks: {} };
    names.push(name);
  } else {
    w = { id: b.id, nrPages: b.nrPages, chunks: b.chunks };
  }
  (p.dp.files as Record<string, FileState>)[name] = w;
  const fw = w;
  f = { w, ov: groupedOverlay((b === undefined ? {} : b.chunks) as Grouped<number[]>, (top) => { fw.chunks = top; }) };
  p.files.set(name, f);
  return f;
}
