/**
 * Race 2: a page-cache fault at the instant a range is isolated (reference §3 step 1: once its
 * pageblocks are MIGRATE_ISOLATE the page allocator must not hand out their free pages).
 *
 * The shared area `cam` is full of page cache except for a hole inside the first candidate range.
 * With CMA-first fallback a read fault would take exactly those free pages. The fault lands at
 * the very instant the 1 MiB request isolates its range:
 * - fault first: its pages come from the hole, inside the range; isolation follows and migration
 *   drops them (clean page cache, discardClean) before the range is taken;
 * - isolation first: the hole is isolated, and the fault is served from pages outside the range.
 * Expected: the invariant "an isolated pageblock never gives out a page" holds in every ordering,
 * the request always succeeds, and both placements of the fault are reached.
 */
import type { SimState } from '../../models/state.ts';
import { filePfns } from '../../models/mm/contig.ts';
import { alloc, bootRace, check, cmaInvariants, defineRace, dryRun, fileIndexAt, firstEvent, isolateNeverAllocates, MS, settle } from './raceKit.ts';

const booted = bootRace({
  machine: { ram: '16M', cmaFallback: 'first' },
  cma: { lockMode: 'per-area', areas: [{ name: 'cam', size: '4M' }] },
});
const base = booted.cma.areas.cam.basePfn;
const filled = settle(booted, [{ event: { type: 'pagecache.fault', file: 'data', index: 0, count: 1024 }, time: 0 }]);
/** Evict the cached pages at [base + 128, base + 192): a free hole inside the first candidate. */
const hole = Array.from({ length: 64 }, (_, i) => fileIndexAt(filled.state, 'data', base + 128 + i));
const settled = settle(filled.state, hole.map((index) => ({ event: { type: 'pagecache.evict', file: 'data', index }, time: filled.end })));
const t0 = Math.max(filled.end, settled.end) + MS;
const request = alloc(1, 'cam', 256, t0, 'camera');
const isolatingAt = firstEvent(dryRun(settled, [request]), 'isolation', (_e, s) => s.cma.requests[1]?.status === 'isolating').time;

/** pfns of the racing fault's pages, relative to the area base. */
function latePages(s: SimState): number[] {
  return filePfns(s, 'late').map((p) => p - base);
}
const inCandidate = (s: SimState): boolean => latePages(s).some((p) => p >= 0 && p < 256);

export const race = defineRace({
  name: 'race2-fault-during-isolation',
  description: 'Race 2: a page-cache fault at the instant of isolation never gets a page from the isolated range, in any ordering.',
  initial: settled.state,
  inject: [request, { event: { type: 'pagecache.fault', file: 'late', index: 0, count: 32 }, time: isolatingAt }],
  checks: [
    cmaInvariants,
    isolateNeverAllocates,
    check('request-succeeds', 'eventually', (s) => s.cma.requests[1]?.status === 'done'),
    check('fault-took-the-hole-before-isolation', 'sometimes', inCandidate),
    check('fault-served-elsewhere', 'sometimes', (s) => latePages(s).length === 32 && !inCandidate(s) && s.cma.requests[1]?.status === 'isolating'),
  ],
  outcome: (s) => {
    const late = latePages(s);
    const inArea = late.filter((p) => p >= 0 && p < s.cma.areas.cam.count).length;
    const r = s.cma.requests[1];
    return `request ${r.status} at area+${(r.pfn ?? base) - base}; fault pages still cached ${late.length}/32 (in cam ${inArea}); migrated+dropped ${r.attempts.reduce((n, a) => n + a.migrated + a.dropped, 0)}`;
  },
});
