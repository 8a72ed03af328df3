/**
 * Race 5's world: cm_free of one chunk and cm_alloc of another arrive at the same instant in the
 * shared area `buf`, whose free part is full of page cache (so the allocation has to migrate).
 * Lock modes (models/cma/locks.ts):
 * - 'series' (the 2010-2011 patches): one mutex around the whole cm_alloc() and the whole
 *   cm_free(): whoever comes second waits for all of the other's work;
 * - 'per-area' (6.15+): the release clears its bits under the area's bitmap lock only, and the
 *   allocation holds that lock just for its search; migration runs under the area's alloc_mutex.
 */
import type { SimState } from '../../models/state.ts';
import { alloc, bootRace, check, cmaInvariants, defineRace, MS, settle, type Race } from './raceKit.ts';

export type Race5Mode = 'series' | 'per-area';

/** Allocation latency of request 2 and completion of the release, in µs. */
export function latencies(s: SimState): { alloc: number | null; release: boolean } {
  const r = s.cma.requests[2];
  return { alloc: r?.finishedAt != null ? r.finishedAt - r.submittedAt : null, release: s.cma.chunks[1] === undefined };
}

export function race5(lockMode: Race5Mode): Race {
  const booted = bootRace({
    machine: { ram: '16M', cmaFallback: 'first' },
    cma: { lockMode, areas: [{ name: 'buf', size: '4M' }] },
  });
  const settled = settle(booted, [
    alloc(1, 'buf', 512, 0, 'codec'),
    { event: { type: 'pagecache.fault', file: 'data', index: 0, count: 512 }, time: 50 * MS },
  ]);
  const t0 = settled.end + MS;
  return defineRace({
    name: `race5-free-vs-alloc-${lockMode}`,
    description: `Race 5 (${lockMode} locking): a release and an allocation at the same instant; both orders are correct, they differ in latency.`,
    initial: settled.state,
    inject: [
      { event: { type: 'cma.release', chunk: 1 }, time: t0 },
      alloc(2, 'buf', 256, t0, 'camera'),
    ],
    checks: [
      cmaInvariants,
      check('alloc-succeeds', 'eventually', (s) => s.cma.requests[2]?.status === 'done'),
      check('release-completes', 'eventually', (s) => s.cma.chunks[1] === undefined && Object.keys(s.cma.releases).length === 0),
    ],
    outcome: (s) => {
      const r = s.cma.requests[2];
      const l = latencies(s);
      return `alloc ${r.status} after ${l.alloc === null ? '?' : (l.alloc / 1000).toFixed(1)}us (lock wait ${(r.phases.lockWait / 1000).toFixed(1)}us), release ${l.release ? 'done' : 'pending'}`;
    },
  });
}
