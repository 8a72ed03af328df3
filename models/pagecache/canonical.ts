/**
 * The page cache as its meaning, not its representation, for state hashes (models/canonical.ts):
 * which pfn caches which index of which file, and the LRU's order. Index chunks, LRU positions,
 * per-pageblock slots and the reclaim index are how the model finds these quickly; they are left
 * out, so the hash stays the same whenever the representation changes and the meaning does not.
 */
import { recEntries, recGet } from '../memory/recOverlay.ts';
import { CHUNK, LRU_CHUNK, type PageCacheState } from './state.ts';

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
}

function fileRuns(chunks: PageCacheState['files'][string]['chunks']): number[] {
  const keys = [...recEntries(chunks)].sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [k, ch] of keys) for (let j = 0; j < CHUNK; j++) if (ch[j] >= 0) pushRun(out, true, k * CHUNK + j, ch[j], 1);
  return out;
}

function lruRuns(lru: PageCacheState['lru']): number[] {
  const out: number[] = [];
  let ck = -1;
  let ch: readonly number[] | undefined;
  for (let pos = lru.head; pos < lru.tail; pos++) {
    const k = Math.floor(pos / LRU_CHUNK);
    if (k !== ck) { ch = recGet(lru.chunks, k); ck = k; }
    pushRun(out, false, 0, ch?.[pos % LRU_CHUNK] ?? -1, 1);
  }
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
  };
}
