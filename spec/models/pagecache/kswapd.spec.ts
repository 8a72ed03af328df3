import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import type { SimState } from '../../../models/state.ts';
import { produce, type Draft } from 'immer';
import { KSWAPD_SHORT_SLEEP_NS, type KswapdState } from '../../../models/pagecache/kswapd.ts';
import { wakeForAllocation } from '../../../models/pagecache/kswapdWake.ts';
import { mutMemory } from '../../../models/memory/mutMemory.ts';
import type { MemoryState } from '../../../models/memory/state.ts';
import { SWAP_CLUSTER_MAX } from '../../../models/pagecache/congestion.ts';
import { DEFAULT_COSTS } from '../../../models/timing/costs.ts';
import { fillPageCache, world } from '../cma/world.ts';

const MS = 1_000_000;

/** Free pages of the zone as kswapd counts them (no CMA here) and its watermarks. */
const zone = (s: SimState) => ({ free: s.memory.zones[0].nrFree, ...s.memory.zones[0].watermark });

/**
 * 64 MiB (watermarks min 256, low 320, high 384 pages) of clean page cache down to `above` pages over the low watermark, then at 1 ms one event
 * of `take` order-0 movable allocations (an anonymous fault burst), then `more` events.
 */
function run(kernel: SimConfig['kernel'], take: (s: SimState) => number, cpu?: SimConfig['cpu'], more: (s: SimState) => { at: number; e: SimEvent }[] = () => []) {
  const s0 = createInitialState({ machine: { memory: '64M' }, kernel, ...(cpu ? { cpu } : {}), pagecache: { dirtyExpireNs: null, dirtyBackgroundRatio: null } });
  const z0 = zone(s0);
  const s = fillPageCache(s0, z0.free - z0.low - 8);
  const { engine, violations } = world(s);
  const kswapd: number[] = [];
  let afterAlloc: ReturnType<typeof zone> | null = null;
  engine.events$.subscribe((env) => {
    if (env.event.type === 'pagecache.kswapd') kswapd.push(env.time);
    if (env.event.type === 'memory.alloc' && afterAlloc === null) afterAlloc = zone(engine.state.model);
  });
  engine.inject({ type: 'memory.alloc', id: 'burst', kind: 'movable', count: take(s) }, MS);
  for (const { at, e } of more(s)) engine.inject(e, at);
  engine.run();
  expect(violations).to.deep.equal([]);
  return { s, end: engine.state.model, kswapd, afterAlloc: afterAlloc! };
}

// mm/page_alloc.c __alloc_pages_slowpath and mm/vmscan.c wakeup_kswapd/kswapd/balance_pgdat/try_to_free_pages, v3.17.
describe('models/pagecache/kswapd: kswapd as a thread of its own (3.17)', () => {
  it('a zone crossing min before kswapd has run puts the allocating thread in direct reclaim, SWAP_CLUSTER_MAX at a time', () => {
    // One CPU shared with 3 busy threads at HZ 100: kswapd, woken at 1 ms after a sleep of 1 ms, has
    // too little lag to preempt and waits for the running thread's quantum to end at a tick.
    const past = (s: SimState) => zone(s).free - zone(s).min + 100; // 100 pages below min
    const r = run('3.17', past, { cpus: 1, load: 3, hz: 100 });
    const k = r.end.pagecache.kswapd!;
    expect(r.kswapd[0]).to.equal(10 * MS); // the first tick after 1 ms + the 7.5 ms slice
    // The burst took every page it asked for: the ones below min each came from direct reclaim.
    expect(r.afterAlloc.free).to.be.below(r.afterAlloc.min + SWAP_CLUSTER_MAX);
    expect(k.stats.directCalls).to.be.at.least(Math.ceil(100 / SWAP_CLUSTER_MAX));
    expect(k.stats.directReclaimed).to.equal(k.stats.directCalls * SWAP_CLUSTER_MAX);
    // kswapd then balanced the zone to its high watermark in batches and went to sleep.
    expect(k.stats.batches).to.be.above(1);
    expect(zone(r.end).free).to.be.at.least(zone(r.end).high);
    expect(k.state).to.equal('asleep');
  });

  it('inline kswapd (6.1 profile, or kswapd: inline) restores high inside the allocation: no direct reclaim, no thread', () => {
    const past = (s: SimState) => zone(s).free - zone(s).min + 100;
    for (const kernel of ['6.1', { version: '3.17', kswapd: 'inline' }] as const) {
      const r = run(kernel, past, { cpus: 1, load: 3, hz: 100 });
      expect(r.end.pagecache.kswapd).to.equal(undefined);
      expect(r.kswapd).to.deep.equal([]);
      expect(r.afterAlloc.free).to.be.at.least(r.afterAlloc.low - 1);
    }
  });

  it('with a CPU free kswapd runs at once, each batch after the CPU time of the last (reclaim costs)', () => {
    const past = (s: SimState) => zone(s).free - zone(s).low + 16; // below low, above min: no direct reclaim
    const r = run('3.17', past);
    const k = r.end.pagecache.kswapd!;
    expect(k.stats.directCalls).to.equal(0);
    expect(r.kswapd[0]).to.equal(MS);
    // Clean unreferenced pages at the LRU head: each batch scans and frees SWAP_CLUSTER_MAX pages.
    const batchNs = SWAP_CLUSTER_MAX * (DEFAULT_COSTS.reclaimScanPerPage + DEFAULT_COSTS.reclaimFreePerPage);
    expect(r.kswapd[1] - r.kswapd[0]).to.equal(batchNs);
    expect(k.stats.reclaimed).to.equal(k.stats.batches * SWAP_CLUSTER_MAX);
    expect(zone(r.end).free).to.be.at.least(zone(r.end).high);
    expect(zone(r.end).free).to.be.below(zone(r.end).high + SWAP_CLUSTER_MAX);
  });

  it('after its short sleep (HZ/10) kswapd balances again on its own when the zone fell below high but not low', () => {
    const past = (s: SimState) => zone(s).free - zone(s).low + 16;
    // At 50 ms, after kswapd balanced to [high, high + 32) and slept, take 40 pages: below high, above low, no wakeup.
    const dip = () => [{ at: 50 * MS, e: { type: 'memory.alloc', id: 'dip', kind: 'movable', count: 40 } as SimEvent }];
    const r = run('3.17', past, undefined, dip);
    const k = r.end.pagecache.kswapd!;
    const slept = r.kswapd.filter((t) => t < 50 * MS).pop()!;
    // The end of the short sleep finds the zone below high: kswapd runs again then.
    expect(r.kswapd).to.include(slept + KSWAPD_SHORT_SLEEP_NS);
    expect(k.stats.wakeups).to.equal(2);
    expect(zone(r.end).free).to.be.at.least(zone(r.end).high);
  });
});

// Linux v3.17 mm/page_alloc.c __alloc_pages_nodemask: get_page_from_freelist (the fast path, low
// watermark) tries every zone of the zonelist; only if all fail does __alloc_pages_slowpath call
// wake_all_kswapds.
describe('models/pagecache/kswapdWake: which allocations wake kswapd (3.17)', () => {
  const twoZones = () => createInitialState({ machine: { banks: [{ size: '8M', zone: 'DMA32' }, { base: '8M', size: '8M', zone: 'Normal' }], minFreeKbytes: 1024 } });
  const asleep = () => ({ state: 'asleep', stats: { wakeups: 0 } }) as unknown as Draft<KswapdState>;
  /** The state after `take` order-0 unmovable pages (Normal first, then DMA32). */
  const after = (take: number) => {
    const { engine } = world(twoZones());
    engine.inject({ type: 'memory.alloc', id: 'x', kind: 'unmovable', count: take }, 0);
    engine.run();
    return engine.state.model.memory;
  };
  /** kswapd, asleep, after wakeForAllocation for a movable page in `mem`. */
  const wake = (mem: MemoryState) => {
    const k = asleep();
    produce(mem, (d) => { wakeForAllocation(mutMemory(d), k, true); });
    return k;
  };

  // The model's allocator, too, takes from Normal down to its low watermark, then from DMA32.
  it('one zone below low and another at it: the fast path takes the page from the other, no wake', () => {
    const s = twoZones();
    const [dma, normal] = s.memory.zones;
    const m = after(normal.nrFree - normal.watermark.low + dma.nrFree - dma.watermark.low + 1);
    expect(m.zones[1].nrFree).to.be.below(normal.watermark.low);
    expect(m.zones[0].nrFree).to.be.at.least(dma.watermark.low);
    const k = wake(m);
    expect(k.state).to.equal('asleep');
    expect(k.stats.wakeups).to.equal(0);
  });

  it('every zone below low: the slow path wakes kswapd', () => {
    const s = twoZones();
    const [dma, normal] = s.memory.zones;
    // Below low the slow path takes from Normal down to min, then from DMA32.
    const m = after(normal.nrFree - normal.watermark.min + dma.nrFree - dma.watermark.low + 1);
    expect(m.zones[0].nrFree).to.be.below(dma.watermark.low);
    expect(m.zones[1].nrFree).to.be.below(normal.watermark.low);
    const k = wake(m);
    expect(k.state).to.equal('woken');
    expect(k.stats.wakeups).to.equal(1);
  });
});
