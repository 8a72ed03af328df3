/**
 * Race 1: a short-term pin between isolation and migration (reference §3 step 3, §4: short-term
 * pins are the classic cause of -EBUSY).
 *
 * Page cache fills the shared area `cam`; a 1 MiB cma_alloc picks the area's first range and
 * isolates it. A get_user_pages-style pin on the page cache page at the range's first pfn lands at
 * the very instant isolation completes, so the explorer decides which runs first:
 * - pin first: the first migration pass finds the page pinned, five passes make no progress,
 *   alloc_contig_range returns -EBUSY and cma_alloc retries at the next candidate (one page
 *   further), which succeeds;
 * - isolation first: the first pass migrates the page, the pin lands on its new copy, and the
 *   allocation succeeds at the first candidate.
 * Expected: exactly these two outcomes, no invariant violated.
 */
import { alloc, bootRace, cmaInvariants, check, dryRun, fileIndexAt, firstEvent, isolateNeverAllocates, MS, defineRace, settle } from './raceKit.ts';

const booted = bootRace({
  machine: { ram: '16M', cmaFallback: 'first' },
  cma: { lockMode: 'per-area', areas: [{ name: 'cam', size: '4M' }] },
});
const base = booted.cma.areas.cam.basePfn;
/** Fill the area with clean page cache (CMA pageblocks first, reference §4). */
const settled = settle(booted, [{ event: { type: 'pagecache.fault', file: 'data', index: 0, count: 1024 }, time: 0 }]);
const t0 = settled.end + MS;
const request = alloc(1, 'cam', 256, t0, 'camera');
const isolatedAt = firstEvent(dryRun(settled, [request]), 'isolation of the first candidate', (e) => e.event.type === 'cma.isolated').time;
const pinned = fileIndexAt(settled.state, 'data', base);

export const race = defineRace({
  name: 'race1-pin-during-isolation',
  description: 'Race 1: a short-term pin at the instant isolation completes: -EBUSY and a retry at the next candidate, or success at the first one.',
  initial: settled.state,
  inject: [
    request,
    { event: { type: 'page.pin', id: 'gup', file: 'data', index: pinned }, time: isolatedAt },
    { event: { type: 'page.unpin', id: 'gup' }, time: isolatedAt + 200 * MS },
  ],
  checks: [
    cmaInvariants,
    isolateNeverAllocates,
    check('request-succeeds', 'eventually', (s) => s.cma.requests[1]?.status === 'done'),
    check('ebusy-then-retry', 'sometimes', (s) => s.cma.requests[1]?.status === 'done' && s.cma.requests[1].retries === 1 && s.cma.requests[1].pfn === base + 1),
    check('first-candidate', 'sometimes', (s) => s.cma.requests[1]?.status === 'done' && s.cma.requests[1].retries === 0 && s.cma.requests[1].pfn === base),
  ],
  outcome: (s) => {
    const r = s.cma.requests[1];
    return `${r.status} at area+${(r.pfn ?? base) - base} after ${r.retries} retr${r.retries === 1 ? 'y' : 'ies'} (${r.attempts.map((a) => (a.result === 0 ? 'ok' : a.result)).join(', ')})`;
  },
});
