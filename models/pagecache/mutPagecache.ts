/** Copy-once overlays on the page cache's chunked records (see models/memory/recOverlay.ts). */
import { isDraft, type Draft } from 'immer';
import { recOverlay, type RecOverlay } from '../memory/recOverlay.ts';
import type { PageCacheState } from './state.ts';

export interface PcMut {
  readonly dp: Draft<PageCacheState>;
  readonly slots: RecOverlay<number[]>;
  readonly lru: RecOverlay<number[]>;
  readonly files: Map<string, RecOverlay<number[]>>;
}

const cache = new WeakMap<object, PcMut>();

export function mutPagecache(dp: Draft<PageCacheState>): PcMut {
  let p = cache.get(dp);
  if (p !== undefined) return p;
  if (!isDraft(dp)) throw new Error('mutPagecache: expected an immer draft of PageCacheState');
  p = { dp, slots: recOverlay(dp.slots), lru: recOverlay(dp.lru.chunks), files: new Map() };
  cache.set(dp, p);
  return p;
}

/** Overlay on one file's chunks; the file must exist. */
export function fileChunks(p: PcMut, name: string): RecOverlay<number[]> {
  let o = p.files.get(name);
  if (o === undefined) {
    o = recOverlay(p.dp.files[name].chunks);
    p.files.set(name, o);
  }
  return o;
}
