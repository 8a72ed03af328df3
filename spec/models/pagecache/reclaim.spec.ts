import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { lookupPage } from '../../../models/pagecache/pageOps.ts';
import { mutPagecache } from '../../../models/pagecache/mutPagecache.ts';
import type { SimState } from '../../../models/state.ts';
import { mutate, runChecked, simState, withoutFlusher } from '../memory/sim.ts';

// 16 MiB = 4096 pages; min_free_kbytes 1024 => watermarks min 256, low 320, high 384 pages.
const machine = () => simState({ memory: '16M', minFreeKbytes: 1024 });
const fault = (file: string, index: number, count: number): SimEvent => ({ type: 'pagecache.fault', file, index, count });
const cached = (s: SimState, file: string, from: number, to: number): boolean[] => {
  const out: boolean[] = [];
  mutate(s, (d) => { const p = mutPagecache(d.pagecache); for (let i = from; i < to; i++) out.push(lookupPage(p, file, i) >= 0); });
  return out;
};
const fill: SimEvent[] = [fault('a', 0, 1000), fault('b', 0, 1000), fault('c', 0, 1000)];

describe('models/pagecache/reclaim', () => {
  it('reclaims the oldest pages first when free memory drops below the low watermark', () => {
    const { state } = runChecked(machine(), [...fill, fault('d', 0, 1000)]);
    const a = cached(state, 'a', 0, 1000);
    const gone = a.indexOf(true);
    expect(gone).to.be.greaterThan(100);
    expect(a.slice(gone).every(Boolean)).to.equal(true); // a prefix of 'a' went, oldest first
    expect(cached(state, 'b', 0, 1000).every(Boolean)).to.equal(true);
    expect(state.pagecache.stats.reclaimed).to.equal(gone);
    expect(state.memory.zones[0].nrFree).to.be.within(320, 384 + 32);
  });

  it('gives referenced pages a second chance (mark_page_accessed)', () => {
    const { state } = runChecked(machine(), [...fill, fault('a', 0, 100), fault('d', 0, 1000)]);
    const a = cached(state, 'a', 0, 1000);
    expect(a.slice(0, 100).every(Boolean)).to.equal(true);
    expect(a[100]).to.equal(false);
    expect(state.pagecache.stats.hits).to.equal(100);
  });

  it('skips dirty pages', () => {
    const { state } = runChecked(withoutFlusher(machine()), [...fill, { type: 'pagecache.dirty', file: 'a', index: 0, count: 100 }, fault('d', 0, 1000)]);
    const a = cached(state, 'a', 0, 1000);
    expect(a.slice(0, 100).every(Boolean)).to.equal(true);
    expect(a[100]).to.equal(false);
    expect(state.pagecache.counts.nrDirty).to.equal(100);
  });

  it('fails clearly when nothing can be reclaimed', () => {
    const evs: SimEvent[] = [];
    for (const [f, n] of [['a', 1000], ['b', 1000], ['c', 1000], ['d', 800]] as const) evs.push(fault(f, 0, n), { type: 'pagecache.dirty', file: f, index: 0, count: n });
    const before = runChecked(withoutFlusher(machine()), evs).state;
    expect(before.pagecache.counts.nrDirty).to.equal(before.pagecache.counts.nrPages);
    // Kernel allocations take the rest down to the min watermark (free ends at 256 pages).
    const kmem = Array.from({ length: 200 }, (_, i): SimEvent => ({ type: 'memory.alloc', id: `k${i}`, kind: 'unmovable', order: 0 }));
    const { state, emitted } = runChecked(before, [...kmem, fault('e', 0, 1)]);
    const failed = emitted.filter((e) => e.type.endsWith('.failed'));
    expect(failed.map((e) => e.type)).to.include.members(['pagecache.fault.failed', 'memory.alloc.failed']);
    expect(failed.find((e) => e.type === 'pagecache.fault.failed')).to.deep.include({ file: 'e', index: 0, reason: 'no free page after reclaim' });
    expect(state.pagecache.stats.reclaimed).to.equal(before.pagecache.stats.reclaimed);
    expect(state.memory.zones[0].nrFree).to.equal(256); // refused below the min watermark
  });

  it('wakes kswapd by the allocation\'s own view: free CMA pages count for movable requests only', () => {
    // 1024 CMA pages, 'last' policy: page cache fills the 3072 other pages first.
    const s0 = simState({ memory: '16M', minFreeKbytes: 1024, cmaFallback: 'last' }, {}, [{ start: 2048, pages: 1024 }]);
    const { state } = runChecked(s0, [fault('a', 0, 2900), fault('a', 2900, 100)]);
    expect(state.pagecache.stats.reclaimed).to.equal(0); // 1024 free CMA pages keep movable requests above low
    const after = runChecked(state, [{ type: 'memory.alloc', id: 'k', kind: 'unmovable' }]).state;
    // the unmovable request sees only non-CMA free pages (< low): kswapd reclaims them up to high
    expect(after.pagecache.stats.reclaimed).to.be.greaterThan(0);
    expect(after.memory.zones[0].nrFree - after.memory.zones[0].free[3].nrFree).to.equal(384 - 1); // high, then the page taken
  });

  it('direct reclaim for an unmovable request passes over CMA pages (vmscan skip_cma)', () => {
    // 'first': the oldest page cache sits in CMA, the newest outside; memory is full.
    // skip_cma exists from 6.5 until its 6.11 revert: the 6.6 profile.
    const s0 = simState({ memory: '16M', minFreeKbytes: 0, cmaFallback: 'first' }, {}, [{ start: 2048, pages: 1024 }], '6.6');
    const full = runChecked(s0, [fault('cma', 0, 1024), fault('rest', 0, 3072)]).state;
    const kmem = Array.from({ length: 10 }, (_, i): SimEvent => ({ type: 'memory.alloc', id: `k${i}`, kind: 'unmovable' }));
    const { state, emitted } = runChecked(full, kmem);
    // kswapd reclaims the oldest (CMA) pages, useless to these requests; direct reclaim then passes
    // over CMA pages and frees the oldest pages outside CMA. Without skipping, it would free a CMA
    // page and the request would fail.
    expect(emitted.some((e) => e.type === 'memory.alloc.failed')).to.equal(false);
    expect(cached(state, 'rest', 0, 1)).to.deep.equal([false]);
    expect(cached(state, 'cma', 1000, 1024).every(Boolean)).to.equal(true);
  });

  it('writes dirty pages back after dirtyExpireNs, then they are reclaimable', () => {
    const s0 = simState({ memory: '16M', minFreeKbytes: 1024 }, { dirtyExpireNs: 1000, writebackPerPageNs: 100 });
    let r = runChecked(s0, [fault('a', 0, 10), { type: 'pagecache.dirty', file: 'a', index: 0, count: 10 }], { until: 1500 });
    expect(r.state.pagecache.counts).to.deep.equal({ nrPages: 10, nrDirty: 0, nrWriteback: 10 });
    r.engine.run();
    const done = r.engine.state.model;
    expect(done.pagecache.counts).to.deep.equal({ nrPages: 10, nrDirty: 0, nrWriteback: 0 });
    expect(r.engine.now).to.equal(1 + 1000 + 10 * 100); // dirtied at t=1, expire, then 10 pages of I/O
    const ev = runChecked(done, [{ type: 'pagecache.evict', file: 'a', index: 0, count: 10 }]).state;
    expect(ev.pagecache.counts.nrPages).to.equal(0);
    expect(ev.memory.zones[0].nrFree).to.equal(4096);
  });
});
