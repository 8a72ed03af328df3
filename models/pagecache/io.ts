/**
 * I/O in flight on page-cache pages, so a waiter knows when the device finishes a page: the
 * writeback the flusher queued (PG_writeback, cleared by pagecache.writeback.done) and the reads
 * that faulted pages in (PG_locked until the read completes, as filemap_read_folio /
 * readahead leave a new folio locked until its bio ends). Runs are kept per file name; a read run
 * is forgotten lazily once its time has passed, a write run when its writeback.done is reduced.
 */
import type { MemMut } from '../memory/mutMemory.ts';
import { ioRead, ioWrite, type PcMut } from './mutPagecache.ts';
import { fileIndexOf, fileNameOf } from './pageOps.ts';
import { defaultWritebackPerPageNs } from './writeback.ts';
import type { IoRun } from './state.ts';

/*
 * A file's run list is only ever replaced whole (never edited in place), and is frozen when built
 * with its runs (committed state is frozen; mutPagecache's io record is sealed at commit, so immer
 * does not walk it to freeze them). The lists are read as plain data, never through immer
 * proxies (a file read long ago keeps hundreds of runs, and every migrated page of it asks).
 */
const sealed = (runs: IoRun[]): readonly IoRun[] => Object.freeze(runs);

/**
 * The latest end of any run in a list. A list is never changed once built (noteIo and writeDone
 * build new ones), so the figure is memoised by identity: a migration asks for every page of a
 * file, and once a file's reads are all over it is answered without walking its runs.
 */
const lastEnds = new WeakMap<readonly IoRun[], number>();
function lastEndOf(runs: readonly IoRun[]): number {
  let end = lastEnds.get(runs);
  if (end === undefined) {
    end = -Infinity;
    for (const r of runs) if (r.doneAt > end) end = r.doneAt;
    lastEnds.set(runs, end);
  }
  return end;
}

/** Record `count` pages of `file` from `index` with I/O of kind `op` ending at `doneAt`; drops read and ref runs already over. */
export function noteIo(p: PcMut, now: number, file: string, op: IoRun['op'], index: number, count: number, doneAt: number, from?: number): void {
  const kept: IoRun[] = [];
  const runs = ioRead(p, file);
  if (runs !== undefined) for (const r of runs) if (r.op === 'write' || r.doneAt > now) kept.push(r);
  kept.push(Object.freeze(from === undefined ? { op, index, count, doneAt } : { op, index, count, doneAt, from }));
  ioWrite(p)[file] = sealed(kept);
}

/** Folios one read gathers, each holding a reference, before copying them (PAGEVEC_SIZE, include/linux/pagevec.h, v6.1). */
export const READ_BATCH = 15;

/**
 * The transient references of a read: filemap_read gathers up to READ_BATCH cached folios with a
 * reference each (filemap_get_pages), copies them to user space and drops the references
 * (mm/filemap.c, v6.1). So batch k of the run [index, index + count) is held from
 * now + k * B to now + (k + 1) * B, B = READ_BATCH * copyNs. A migration that meets such a page
 * finds an extra reference and fails it for that pass (folio_migrate_mapping: -EAGAIN). Batches
 * read in from the device are left out: they are locked until the read completes (startRead),
 * which a migration waits for anyway.
 */
export function holdReadRefs(p: PcMut, now: number, file: string, index: number, count: number, reads: readonly (readonly [number, number])[], copyNs: number): void {
  const span = READ_BATCH * copyNs;
  if (span === 0) return;
  for (let k = 0, s = index; s < index + count; k++, s += READ_BATCH) {
    const e = Math.min(index + count, s + READ_BATCH);
    let read = 0;
    for (const [i, n] of reads) read += Math.max(0, Math.min(e, i + n) - Math.max(s, i));
    if (read < e - s) noteIo(p, now, file, 'ref', s, e - s, now + (k + 1) * span, now + k * span);
  }
}

/**
 * A read the device has not measured: the kernel keeps one bandwidth figure for a device before it
 * has measured one, INIT_BW = 100 MB/s (mm/backing-dev.c, see writeback.ts), and none for reads,
 * so a page read in takes as long as one written back: 39,063 ns for 4 KiB.
 */
export function defaultReadPerPageNs(pageSize: number): number {
  return defaultWritebackPerPageNs(pageSize);
}

/**
 * A fault read the runs `reads` ([index, count] pairs) of `file` in: readahead submits them as one
 * request and the pages stay locked until it completes (the read's end I/O unlocks them), after
 * count * readPerPageNs. Reads are not queued behind writeback: the block layer dispatches reads
 * first (deadline and mq-deadline expire reads after 500 ms, writes after 5 s). Returns when the
 * read completes.
 */
export function startRead(p: PcMut, now: number, file: string, reads: readonly (readonly [number, number])[]): number {
  let pages = 0;
  for (const [, n] of reads) pages += n;
  const doneAt = now + pages * p.base.config.readPerPageNs;
  if (doneAt > now) for (const [i, n] of reads) noteIo(p, now, file, 'read', i, n, doneAt);
  return doneAt;
}

/** Forget the write run of `file` [index, index + count) that ends now (its writeback.done). */
export function writeDone(p: PcMut, now: number, file: string, index: number, count: number): void {
  const runs = ioRead(p, file);
  if (runs === undefined) return;
  const i = runs.findIndex((r) => r.op === 'write' && r.index === index && r.count === count && r.doneAt === now);
  if (i < 0) return;
  if (runs.length === 1) delete ioWrite(p)[file];
  else ioWrite(p)[file] = sealed(runs.filter((_, k) => k !== i));
}

/**
 * When the `op` I/O on the page at pfn ends: the earliest run covering it that ends at or after
 * `now` (a run ending now has not been reduced yet; a read or reference ending now is over), or
 * null when none is in flight.
 */
export function ioDoneAt(m: MemMut, p: PcMut, pfn: number, op: IoRun['op'], now: number): number | null {
  const runs = ioRead(p, fileNameOf(m, p, pfn));
  if (runs === undefined) return null;
  const last = lastEndOf(runs);
  if (last < now || (last === now && op !== 'write')) return null;
  const index = fileIndexOf(m, p, pfn);
  let best: number | null = null;
  for (const r of runs) {
    if (r.op !== op || index < r.index || index >= r.index + r.count) continue;
    const ends = op === 'write' ? r.doneAt >= now : r.doneAt > now && (r.from ?? 0) <= now;
    if (ends && (best === null || r.doneAt < best)) best = r.doneAt;
  }
  return best;
}
