/**
 * The page cache as its meaning, not its representation, for state hashes (models/canonical.ts):
 * which pfn caches which index of which file, and the LRU's order. Index chunks, LRU positions,
 * per-pageblock slots and the reclaim index are how the model finds these quickly; they are left
 * out, so the hash stays the same whenever the representation changes and the meaning does not.
 */
import { recEntries, recGet } from '../memory/recOverlay.ts';
import { LRU_CHUNK, type PageCacheState } from './state.ts';

/**
 * Appends n entries (key + j, v + j) to `out`, runs of [key, v, count] (key omitted when `keyed`
 * is false; v = -1 stands for n entries of -1): it extends the last run when the key and v both
 * follow on, so the canonical form is the same however the entries were stored.
 */
function pushRun(out: number[], keyed: boolean, key: number, v: number, n: number): void {
  const len = out.length;
  if (len > 0) {
    const count = out[len - 1], last = out[len - 2];
    const follows = v < 0 ? last === v : last >= 0 && v === last + count;
    if (follows && (!keyed || key === out[len - 3] + count)) { out[len - 1] += n; return; }
  }
  if (keyed) out.push(key, v, n);
  else out.push(v, n);
}

export interface CanonicalFile {
  readonly id: number;
  readonly nrPages: number;
  /** [index, pfn, count]...: indices index..index+count-1 cached by pfns pfn..pfn+count-1, ascending, maximal. */
  readonly runs: readonly number[];
}

export interface CanonicalPageCache {
  readonly config: PageCacheState['config'];
  readonly fileNames: PageCacheState['fileNames'];
  readonly files: Readonly<Record<string, CanonicalFile>>;
  /** [pfn, count]... from the oldest entry to the newest, maximal; pfn -1: entries of pages that left the cache. */
  readonly lru: readonly number[];
  readonly counts: PageCacheState['counts'];
  readonly stats: PageCacheState['stats'];
  readonly writebackBusyUntil: number;
  readonly io: PageCacheState['io'];
  readonly bdi?: PageCacheState['bdi'];
}

function fileRuns(chunks: PageCacheState['files'][string]['chunks']): number[] {
  const keys = [...recEntries(chunks)].sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [, ch] of keys) for (let r = 0; r < ch.length; r += 3) pushRun(out, true, ch[r], ch[r + 1], ch[r + 2]);
  return out;
}

function lruRuns(lru: PageCacheState['lru']): number[] {
  const out: number[] = [];
  // Positions head .. at are written; a gap between runs is pages that left (-1).
  let at = lru.head;
  for (let k = Math.floor(lru.head / LRU_CHUNK); k * LRU_CHUNK < lru.tail; k++) {
    const ch = recGet(lru.chunks, k);
    if (ch === undefined) continue;
    for (let r = 0; r < ch.length; r += 3) {
      const lo = Math.max(at, ch[r]), hi = Math.min(lru.tail, ch[r] + ch[r + 2]);
      if (lo >= hi) continue;
      if (lo > at) pushRun(out, false, 0, -1, lo - at);
      pushRun(out, false, 0, ch[r + 1] + (lo - ch[r]), hi - lo);
      at = hi;
    }
  }
  if (lru.tail > at) pushRun(out, false, 0, -1, lru.tail - at);
  return out;
}

export function canonicalPageCache(pc: PageCacheState): CanonicalPageCache {
  const files: Record<string, CanonicalFile> = {};
  for (const name of Object.keys(pc.files)) {
    const f = pc.files[name];
    files[name] = { id: f.id, nrPages: f.nrPages, runs: fileRuns(f.chunks) };
  }
  return {
    config: pc.config, fileNames: pc.fileNames, files, lru: lruRuns(pc.lru),
    counts: pc.counts, stats: pc.stats, writebackBusyUntil: pc.writebackBusyUntil, io: pc.io,
    ...(pc.bdi !== undefined ? { bdi: pc.bdi } : {}),
  };
}
