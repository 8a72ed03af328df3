import { expect } from 'chai';
import { produce } from 'immer';
import { mutMemory } from '../../../models/memory/mutMemory.ts';
import { mutPagecache } from '../../../models/pagecache/mutPagecache.ts';
import type { SimEvent } from '../../../events/index.ts';
import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import type { SimState } from '../../../models/state.ts';
import { decompose } from '../../../lib/report/decomposition.ts';
import {
  BLKDEV_MAX_RQ, CONGESTION_TIMEOUT_NS, congestionClearsAt, congestionOff, congestionOn, firstDirtyBatch, initialBdi, submitWrites, throttleDirectReclaim,
} from '../../../models/pagecache/congestion.ts';
import type { BdiState } from '../../../models/pagecache/state.ts';
import { fillPageCache, world } from '../cma/world.ts';

const MS = 1_000_000;

// block/blk-core.c v3.17, blk_queue_congestion_threshold: on at nr - nr/8 + 1, off below nr - nr/8 - nr/16 - 1;
// include/linux/blkdev.h v3.17: BLKDEV_MAX_RQ 128.
describe('models/pagecache/congestion: the request queue of block/blk-core.c (3.17)', () => {
  it('a queue of 128 requests is congested from 113 requests in flight until fewer than 103 are', () => {
    expect(BLKDEV_MAX_RQ).to.equal(128);
    expect(congestionOn(128)).to.equal(113);
    expect(congestionOff(128)).to.equal(103);
    // 113 one-page requests submitted at 0, the device writing one every ms.
    const bdi = { ...initialBdi(), writes: [] as number[] };
    for (let i = 0; i < 112; i++) submitWrites(bdi, 0, i * MS, 1, MS, 4096);
    expect(bdi.congested).to.equal(false);
    submitWrites(bdi, 0, 112 * MS, 1, MS, 4096);
    expect(bdi.congested).to.equal(true);
    // 113 in flight: the 11th completion leaves 102, below 103.
    expect(congestionClearsAt(bdi, 0)).to.equal(11 * MS);
    expect(congestionClearsAt(bdi, 10 * MS)).to.equal(11 * MS); // 103 left at 10 ms: still congested
    expect(congestionClearsAt(bdi, 11 * MS)).to.equal(null);
  });

  it('a run is one request per 512 KiB (BLK_DEF_MAX_SECTORS), each done when its last page is written', () => {
    const bdi = { ...initialBdi(), writes: [] as number[] };
    submitWrites(bdi, 0, 0, 300, 10, 4096);
    expect(bdi.writes).to.deep.equal([1280, 2560, 3000]);
    // Submitting later forgets what completed before.
    submitWrites(bdi, 2600, 3000, 1, 10, 4096);
    expect(bdi.writes).to.deep.equal([3000, 3010]);
  });
});

/**
 * 16 MiB, a 4 MiB CMA area, every cached page dirty and no flusher of its own (writeback only on
 * request), `requests` one-page writeback runs queued at 0 outside the area, the device writing a
 * page every `perPage` ns; then 512 pages asked of the area. Reclaim finds nothing clean to free,
 * so the migration targets run the allocating thread into direct reclaim.
 */
function congestedRun(requests: number, perPage: number, kernel: SimConfig['kernel'] = '3.17'): { r: RequestRecord; isolated: number; passes: number[]; s: SimState } {
  const s0 = createInitialState({
    machine: { memory: '16M' }, cma: { areas: [{ name: 'v', size: '4M' }] }, kernel,
    pagecache: { dirtyExpireNs: null, dirtyBackgroundRatio: null, writebackPerPageNs: perPage },
  });
  const s = fillPageCache(s0, 3_300);
  const events: SimEvent[] = [{ type: 'pagecache.dirty', file: 'f', index: 0, count: 3_300 }];
  // Writeback runs of one page each (one request each), every other page from the end of the file, outside the area.
  for (let i = 0; i < requests; i++) events.push({ type: 'pagecache.writeback.start', file: 'f', index: 3_299 - 2 * i, count: 1 });
  events.push({ type: 'cma.alloc.request', id: 1, requester: 'dev', pid: 100, count: 512, align: 9 });
  const { engine, violations } = world(s);
  const passes: number[] = [];
  let isolated = -1;
  engine.events$.subscribe((env) => {
    if (env.event.type === 'cma.migration') passes.push(env.time);
    if (env.event.type === 'cma.isolated' && isolated < 0) isolated = env.time;
  });
  for (const e of events) engine.inject(e, 0);
  engine.run();
  expect(violations).to.deep.equal([]);
  return { r: engine.state.model.cma.requests[1] as RequestRecord, isolated, passes, s: engine.state.model };
}

describe('models: 3.17 direct reclaim sleeps on a congested device (mm/vmscan.c shrink_inactive_list, mm/backing-dev.c wait_iff_congested)', () => {
  it('on a congested queue, direct reclaim for a migration target sleeps until the congestion clears', () => {
    // 120 requests in flight, one finishing every ms: congested until the 18th completes (102 left).
    const { r, isolated, passes } = congestedRun(120, MS);
    const at = r.attempts[0];
    expect(at.failed).to.be.above(0); // the targets ran into direct reclaim, which found nothing clean
    expect(isolated + at.throttleWaitNs!).to.equal(18 * MS);
    expect(passes[0]).to.be.at.least(18 * MS);
    expect(decompose(r).throttleWait).to.equal(at.throttleWaitNs);
    // Later passes start after the queue cleared: they do not sleep.
    expect(passes.length).to.be.above(1);
  });

  it('on an uncongested queue it does not sleep', () => {
    // 100 requests in flight: below the 113 that congest a queue of 128.
    const { r, passes } = congestedRun(100, MS);
    expect(r.attempts[0].failed).to.be.above(0);
    expect(r.attempts[0].throttleWaitNs).to.equal(undefined);
    expect(decompose(r).throttleWait).to.equal(0);
    expect(passes[0]).to.be.below(18 * MS - 5 * MS);
  });

  it('is a switch: reclaimThrottle none, or a profile without the throttle, neither sleeps nor keeps the queue', () => {
    // 3.17's background writeback keeps the queue too (flusher.ts): without the throttle, reclaim does not sleep on it.
    const noSleep = congestedRun(120, MS, { version: '3.17', reclaimThrottle: 'none' });
    expect(noSleep.r.attempts[0].throttleWaitNs).to.equal(undefined);
    expect(noSleep.s.pagecache.bdi?.reclaimWaits).to.equal(false);
    const off = congestedRun(120, MS, { version: '3.17', reclaimThrottle: 'none', backgroundWriteback: 'per-run' });
    expect(off.r.attempts[0].throttleWaitNs).to.equal(undefined);
    expect(off.s.pagecache.bdi).to.equal(undefined);
    const later = congestedRun(120, MS, '6.1');
    expect(later.r.attempts[0].throttleWaitNs).to.equal(undefined);
    expect(later.s.pagecache.bdi).to.equal(undefined);
    expect(createInitialState({ machine: { memory: '16M' }, kernel: '3.17' }).pagecache.bdi).to.deep.equal(initialBdi());
  });
});

describe('models/pagecache/congestion: throttleDirectReclaim', () => {
  const congested = (): BdiState => {
    const bdi = { ...initialBdi(), writes: [] as number[] };
    for (let i = 0; i < 120; i++) submitWrites(bdi, 0, i * 1_000 * MS, 1, 1_000 * MS, 4096); // a page a second
    return bdi;
  };
  it('each shrink_inactive_list call sleeps at most HZ/10: 64 entries scanned are two calls, 200 ms', () => {
    expect(CONGESTION_TIMEOUT_NS).to.equal(100 * MS);
    const th = { at: 0, ns: 0 };
    throttleDirectReclaim(congested(), th, 0, 64);
    expect(th.ns).to.equal(200 * MS);
    throttleDirectReclaim(congested(), th, 0, 1);
    expect(th.ns).to.equal(300 * MS); // the next reclaim sleeps from where the last left off
  });
  it('without a batch all dirty or under writeback the zone is not flagged congested: no sleep', () => {
    const th = { at: 0, ns: 0 };
    throttleDirectReclaim(congested(), th, -1, 64);
    expect(th.ns).to.equal(0);
  });
  it('the zone is flagged from the call whose batch was all dirty: only that call and the later ones sleep', () => {
    const th = { at: 0, ns: 0 };
    throttleDirectReclaim(congested(), th, 1, 32); // the dirty batch lies beyond the one call made
    expect(th.ns).to.equal(0);
    throttleDirectReclaim(congested(), th, 1, 96); // calls 0, 1, 2: the second and third sleep
    expect(th.ns).to.equal(200 * MS);
  });
});

describe('models/pagecache/congestion: firstDirtyBatch', () => {
  // 16 MiB, 600 cached pages of one file in LRU order from index 0; pages [from, to) dirtied.
  const batchOf = (from: number, to: number, limit = Infinity): number => {
    let s = fillPageCache(createInitialState({ machine: { memory: '16M' }, kernel: '3.17', pagecache: { dirtyExpireNs: null, dirtyBackgroundRatio: null } }), 600);
    const { engine } = world(s);
    if (to > from) engine.inject({ type: 'pagecache.dirty', file: 'f', index: from, count: to - from }, 0);
    engine.run();
    s = engine.state.model;
    let out = -2;
    produce(s, (d) => { out = firstDirtyBatch(mutMemory(d.memory), mutPagecache(d.pagecache), limit); });
    return out;
  };
  it('finds the first batch of 32 from the LRU head whose pages are all dirty, not any 32 dirty pages in a row', () => {
    expect(batchOf(0, 0)).to.equal(-1);
    expect(batchOf(0, 32)).to.equal(0);
    expect(batchOf(16, 48)).to.equal(-1); // 32 dirty in a row, but split across batches 0 and 1
    expect(batchOf(64, 600)).to.equal(2);
    expect(batchOf(64, 600, 64)).to.equal(-1); // beyond the entries it may look at
  });
});
