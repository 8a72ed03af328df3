/**
 * What each event reads and writes, for the explorer's partial-order reduction: two events at the
 * same instant need both orders explored only if one writes what the other reads or writes.
 * Footprints are derived from the event and the state it would run in, and err on the side of
 * dependence: a missing conflict would hide orderings, an extra one only costs runs.
 *
 * Resources: `req:<id>`, `chunk:<id>`, `area:<name>` (allocator state and counters), `lock:<name>`,
 * `pfn` ranges [lo, hi), `buddy` (the page allocator's free lists: every allocation and free),
 * `pagecache` (cached pages, LRU, dirty/writeback state), `pins` (page pin counts), `cma:ids`
 * (request id allocation), `tid:<pid>` (the caller thread ids of a pid's requests in flight), and
 * `*` (everything: events this table does not know).
 */
import type { SimEvent } from '../events/index.ts';
import { allocMutexOf, bitmapLockOf, GLOBAL_MUTEX, ownerOfTag } from './cma/locks.ts';
import type { SimState } from './state.ts';

export interface FootprintRes {
  readonly key: string;
  readonly lo?: number;
  readonly hi?: number;
}

export interface EventFootprint {
  readonly reads: readonly FootprintRes[];
  readonly writes: readonly FootprintRes[];
}

/** `*` stands for every resource (events whose footprint is unknown). */
export function overlaps(a: FootprintRes, b: FootprintRes): boolean {
  if (a.key === '*' || b.key === '*') return true;
  if (a.key !== b.key) return false;
  if (a.lo === undefined || b.lo === undefined) return true;
  return a.lo < (b.hi ?? Infinity) && b.lo < (a.hi ?? Infinity);
}

function conflict(xs: readonly FootprintRes[], ys: readonly FootprintRes[]): boolean {
  for (const x of xs) for (const y of ys) if (overlaps(x, y)) return true;
  return false;
}

/** Two events are dependent when one writes what the other reads or writes. */
export function dependent(a: EventFootprint, b: EventFootprint): boolean {
  return conflict(a.writes, b.writes) || conflict(a.writes, b.reads) || conflict(a.reads, b.writes);
}

const NONE: EventFootprint = { reads: [], writes: [] };
const EVERYTHING: EventFootprint = { reads: [], writes: [{ key: '*' }] };
const k = (key: string): FootprintRes => ({ key });

/** Locks an area's allocations and releases may take, whatever the lock mode. */
function areaLocks(area: string): FootprintRes[] {
  return [k(`lock:${GLOBAL_MUTEX}`), k(`lock:${bitmapLockOf(area)}`), k(`lock:${allocMutexOf(area)}`)];
}

function areaRes(s: SimState, area: string): FootprintRes[] {
  const a = s.cma.areas[area];
  const range = a ? [{ key: 'pfn', lo: a.basePfn, hi: a.basePfn + a.count }] : [];
  return [k(`area:${area}`), ...areaLocks(area), ...range];
}

/**
 * A request's next step may search and reserve in its area, take or hand off locks, isolate and
 * migrate its candidate (moving pages into free memory anywhere, dropping page cache, reading pins).
 */
function requestStep(s: SimState, id: number): EventFootprint {
  const r = s.cma.requests[id];
  if (!r) return { reads: [], writes: [k(`req:${id}`), k('cma:ids')] };
  const areas = r.areas.slice(r.areaIndex);
  return {
    reads: [k('pins')],
    // A request that ends frees its caller thread id (cma.threads), which a new request of that pid picks.
    writes: [k(`req:${id}`), k(`tid:${r.pid}`), ...areas.flatMap((a) => areaRes(s, a)), k('buddy'), k('pagecache'), k(`chunk:${id}`)],
  };
}

function chunkStep(s: SimState, id: number): EventFootprint {
  const c = s.cma.chunks[id] ?? null;
  const rel = s.cma.releases[id] ?? null;
  const area = c?.area ?? rel?.area;
  return { reads: [], writes: [k(`chunk:${id}`), k(`req:${id}`), ...(area ? areaRes(s, area) : []), k('buddy')] };
}

/** The footprint of `e` if it ran next in state `s`. */
export function footprint(e: SimEvent, s: SimState): EventFootprint {
  switch (e.type) {
    case 'cma.alloc.request': {
      const id = e.id ?? s.cma.nextRequestId;
      const areas = e.areas ?? (e.area !== undefined ? [e.area] : s.cma.areaOrder.filter((n) => s.cma.areas[n].isDefault));
      return { reads: [k('pins')], writes: [k(`req:${id}`), k('cma:ids'), k(`tid:${e.pid}`), ...areas.flatMap((a) => areaRes(s, a)), k('buddy'), k('pagecache')] };
    }
    case 'cma.search.done':
    case 'cma.isolated':
    case 'cma.migration':
    case 'cma.finished':
    case 'cma.attempt.failed':
      return requestStep(s, e.request);
    case 'cma.lock.acquired': {
      const owner = ownerOfTag(e.owner);
      const step = owner.kind === 'request' ? requestStep(s, owner.id) : chunkStep(s, owner.id);
      return { reads: step.reads, writes: [...step.writes, k(`lock:${e.lock}`)] };
    }
    case 'cma.release':
      return e.chunk !== undefined ? chunkStep(s, e.chunk) : EVERYTHING; // by range: any chunk may match
    case 'cma.release.freed':
      return chunkStep(s, e.chunk);
    case 'cma.pin':
    case 'cma.unpin':
      return { reads: [], writes: [k(`chunk:${e.chunk}`)] };
    case 'cma.defrag': {
      const chunks = Object.values(s.cma.chunks).filter((c) => c.area === e.area).map((c) => k(`chunk:${c.id}`));
      return { reads: [], writes: [...areaRes(s, e.area), ...chunks, k('buddy')] };
    }
    case 'cma.defrag.moved':
      return { reads: [], writes: [k(`chunk:${e.chunk}`), k(`req:${e.chunk}`), ...areaRes(s, e.area), k('buddy')] };
    // Notifications and trace records change no state (models/cma/handlers.ts, models/traceHandlers.ts).
    case 'cma.alloc.done':
    case 'cma.release.done':
    case 'cma.pinned':
    case 'cma.defrag.move':
    case 'cma.warning':
      return NONE;
    case 'memory.alloc':
    case 'memory.free':
      return { reads: [], writes: [k('buddy'), k('pagecache'), k('allocs')] };
    case 'page.pin':
    case 'page.unpin':
      return { reads: [], writes: [k('pins'), k('pagecache'), k('buddy'), k('allocs')] };
    case 'pagecache.fault':
    case 'pagecache.evict':
      return { reads: [], writes: [k('pagecache'), k('buddy')] };
    case 'pagecache.dirty':
    case 'pagecache.writeback.start':
    case 'pagecache.writeback.done':
      return { reads: [], writes: [k('pagecache')] };
    case 'memory.alloc.failed':
    case 'page.pin.failed':
    case 'pagecache.fault.failed':
      return NONE;
    default:
      return e.type.startsWith('trace.') ? NONE : EVERYTHING;
  }
}
