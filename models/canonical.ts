import { canonicalPageCache } from './pagecache/canonical.ts';
import type { SimState } from './state.ts';

/**
 * The state as state hashes see it (Model.canonical): each aggregate's meaning, without the
 * indexes and layouts that only make it fast, so a change of representation that keeps the
 * behaviour keeps every hash in logs and explorer outcomes. The page cache is projected
 * (models/pagecache/canonical.ts); the other slices are their own canonical form.
 */
export function canonicalState(s: SimState): unknown {
  return { ...s, pagecache: canonicalPageCache(s.pagecache) };
}
