/**
 * Race 6: a release racing a busy retry (reference §2: on -EBUSY cma_alloc tries again from
 * bitmap_no + mask + 1, forward only, and gives up when the search finds no free range).
 *
 * The shared area `buf` holds chunks at its first, second and fourth quarters; the free third
 * quarter is page cache, one page of it pinned for good. A 1 MiB request takes the third quarter,
 * fails -EBUSY on the pin, clears its bits and retries one page further, where only 255 free pages
 * remain before chunk 4. Chunk 4's owner releases it so that the release asks for the area's
 * bitmap lock at the very instant the request takes that lock to clear its failed attempt:
 * - release first (the default order): the release clears chunk 4's bits between the request's
 *   clear and its retry search, which finds the freed range and succeeds;
 * - clear first: the request keeps the lock from the clear into the retry search, finds nothing
 *   and fails -EBUSY, although the pages it needed were already free.
 * Expected: the explorer finds the failing order; `why` on the request's end names the release.
 */
import { alloc, bootRace, check, cmaInvariants, defineRace, dryRun, fileIndexAt, firstEvent, MS, settle } from './raceKit.ts';

const booted = bootRace({
  machine: { ram: '16M', cmaFallback: 'first' },
  cma: { lockMode: 'per-area', areas: [{ name: 'buf', size: '4M' }] },
});
const base = booted.cma.areas.buf.basePfn;
const chunks = settle(booted, [
  alloc(1, 'buf', 256, 0, 'display'), alloc(2, 'buf', 256, 10 * MS, 'gpu'), alloc(3, 'buf', 256, 20 * MS, 'isp'), alloc(4, 'buf', 256, 30 * MS, 'codec'),
  { event: { type: 'cma.release', chunk: 3 }, time: 40 * MS },
]);
/** Page cache fills the free quarter (CMA pageblocks first); its first page stays pinned. */
const cached = settle(chunks.state, [{ event: { type: 'pagecache.fault', file: 'data', index: 0, count: 2048 }, time: chunks.end }]);
const settled = settle(cached.state, [{ event: { type: 'page.pin', id: 'odirect', file: 'data', index: fileIndexAt(cached.state, 'data', base + 512) }, time: cached.end }]);
const t0 = settled.end + MS;
const request = alloc(5, 'buf', 256, t0, 'camera');
/** The request takes the bitmap lock to clear its failed attempt: the lock.acquired event that makes it retry. */
const clearAt = firstEvent(dryRun(settled, [request]), 'the clear of the failed attempt', (e, s) => e.event.type === 'cma.lock.acquired' && s.cma.requests[5]?.retries === 1).time;
/** cma_release frees the pages unlocked first, then asks for the lock: at clearAt. */
const releaseAt = clearAt - 256 * settled.state.cma.costs.releasePerPage;

export const race = defineRace({
  name: 'race6-release-vs-retry',
  description: 'Race 6: a release asks for the bitmap lock as a busy retry clears its attempt: the retry finds the freed range, or fails -EBUSY just before it is freed.',
  initial: settled.state,
  inject: [request, { event: { type: 'cma.release', chunk: 4 }, time: releaseAt }],
  checks: [
    cmaInvariants,
    check('request-succeeds', 'eventually', (s) => s.cma.requests[5]?.status === 'done', (s) => `request 5 ${s.cma.requests[5]?.status ?? 'missing'} (errno ${s.cma.requests[5]?.errno})`),
  ],
  outcome: (s) => {
    const r = s.cma.requests[5];
    return `request 5 ${r.status}${r.pfn !== null ? ` at area+${r.pfn - base}` : ''} after ${r.retries} retr${r.retries === 1 ? 'y' : 'ies'}, chunk 4 ${s.cma.chunks[4] ? 'held' : 'released'}`;
  },
});
