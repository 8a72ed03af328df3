import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { isolateRange, migrateRange, pageState } from '../../../models/mm/contig.ts';
import { lookupPage } from '../../../models/pagecache/pageOps.ts';
import { mutPagecache } from '../../../models/pagecache/mutPagecache.ts';
import { DEFAULT_COSTS } from '../../../models/timing/costs.ts';
import type { SimState } from '../../../models/state.ts';
import { mutate, runChecked, simState } from '../memory/sim.ts';

// 16 MiB with a CMA area at pfn 2048..3071; movable allocations prefer CMA.
const A = 2048, B = 3072;
const base = () => simState({ memory: '16M', minFreeKbytes: 0, cmaFallback: 'first' }, {}, [{ start: A, pages: 1024 }]);
const pfnOf = (s: SimState, file: string, index: number) => {
  let pfn = -1;
  mutate(s, (d) => { pfn = lookupPage(mutPagecache(d.pagecache), file, index); });
  return pfn;
};
const inCma = (pfn: number) => pfn >= A && pfn < B;

describe('models/mm/pinPage', () => {
  it('a short-term pin makes the page busy for migration until unpinned (reference §3)', () => {
    let s = runChecked(base(), [
      { type: 'pagecache.fault', file: 'f', index: 0, count: 4 },
      { type: 'page.pin', id: 'gup', file: 'f', index: 2 },
    ]).state;
    const pinned = pfnOf(s, 'f', 2);
    expect(inCma(pinned)).to.equal(true);
    let out!: ReturnType<typeof migrateRange>;
    s = mutate(s, (d) => { isolateRange(d, A, B); out = migrateRange(d, A, B, { discardClean: false, costs: DEFAULT_COSTS }); });
    expect(out).to.deep.include({ migrated: 3, busy: 1, notMoved: [pinned] });
    s = runChecked(s, [{ type: 'page.unpin', id: 'gup' }]).state;
    s = mutate(s, (d) => { out = migrateRange(d, A, B, { discardClean: false, costs: DEFAULT_COSTS }); });
    expect(out).to.deep.include({ migrated: 1, busy: 0, remaining: 0 });
  });

  it('pins nest per page: the page stays pinned until every pin id is released', () => {
    const evs: SimEvent[] = [
      { type: 'memory.alloc', id: 'buf', kind: 'movable', order: 1 },
      { type: 'page.pin', id: 'p1', alloc: 'buf', index: 1 },
      { type: 'page.pin', id: 'p2', alloc: 'buf', index: 1 },
      { type: 'page.unpin', id: 'p1' },
    ];
    const s = runChecked(base(), evs).state;
    const serialPfn = Object.values(s.memory.pins).flatMap((sh) => Object.values(sh)).map((r) => r.pfn);
    expect(serialPfn).to.have.length(1);
    expect(pageState(s, serialPfn[0]).pins).to.equal(1);
    expect(() => runChecked(s, [{ type: 'memory.free', id: 'buf' }])).to.throw(/memory\.free: allocation 'buf' has a pinned page/);
    expect(() => runChecked(s, [{ type: 'page.pin', id: 'p2', alloc: 'buf' }])).to.throw(/pin id 'p2' is already held/);
  });

  it('a long-term pin (FOLL_LONGTERM) first migrates the page out of CMA (reference §4)', () => {
    let s = runChecked(base(), [{ type: 'pagecache.fault', file: 'f', index: 0, count: 4 }]).state;
    const before = pfnOf(s, 'f', 1);
    expect(inCma(before)).to.equal(true);
    s = runChecked(s, [{ type: 'page.pin', id: 'lt', file: 'f', index: 1, longterm: true }]).state;
    const after = pfnOf(s, 'f', 1);
    expect(inCma(after)).to.equal(false);
    expect(pageState(s, after)).to.include({ kind: 'pagecache', pins: 1 });
    expect(pageState(s, before).kind).to.equal('free');
    expect(s.pagecache.counts.nrPages).to.equal(4);
    // an anonymous folio moves as a unit
    s = runChecked(s, [{ type: 'memory.alloc', id: 'anon', kind: 'movable', order: 2 }, { type: 'page.pin', id: 'lt2', alloc: 'anon', index: 3, longterm: true }]).state;
    const rec = Object.values(s.memory.allocs).flatMap((sh) => Object.values(sh)).find((r) => r.id === 'anon')!;
    expect(inCma(rec.pfn)).to.equal(false);
    expect(pageState(s, rec.pfn + 3).pins).to.equal(1);
    // outside CMA a long-term pin leaves the page where it is
    const { state } = runChecked(simState({ memory: '16M' }), [{ type: 'pagecache.fault', file: 'g', index: 0 }, { type: 'page.pin', id: 'x', file: 'g', index: 0, longterm: true }]);
    expect(pageState(state, pfnOf(state, 'g', 0)).pins).to.equal(1);
  });

  it('a long-term pin that cannot leave CMA fails with page.pin.failed, and its unpin is accepted', () => {
    // Everything outside CMA is unmovable memory: nowhere to migrate to.
    const fill = [0, 1, 2].map((i): SimEvent => ({ type: 'memory.alloc', id: `u${i}`, kind: 'unmovable', order: 10 }));
    const { state, emitted } = runChecked(base(), [
      ...fill,
      { type: 'pagecache.fault', file: 'f', index: 0 },
      { type: 'page.pin', id: 'lt', file: 'f', index: 0, longterm: true },
    ]);
    const failed = emitted.find((e) => e.type === 'page.pin.failed');
    expect(failed).to.deep.include({ id: 'lt', reason: 'no free non-CMA page to migrate into' });
    expect(Object.values(state.memory.pins).flatMap((sh) => Object.values(sh))).to.deep.equal([{ pfn: -1, longterm: true }]);
    expect(state.memory.pageblocks.every((pb) => pb.pins === null)).to.equal(true);
    const after = runChecked(state, [{ type: 'page.unpin', id: 'lt' }]).state;
    expect(after.memory.pins).to.deep.equal({});
  });

  it('a pinned page is not reclaimed', () => {
    const s0 = simState({ memory: '16M', minFreeKbytes: 1024 });
    const { state } = runChecked(s0, [
      { type: 'pagecache.fault', file: 'old', index: 0, count: 2 },
      { type: 'page.pin', id: 'p', file: 'old', index: 0 },
      { type: 'pagecache.fault', file: 'new', index: 0, count: 4094 },
    ]);
    expect(state.pagecache.stats.reclaimed).to.be.greaterThan(0);
    expect(pfnOf(state, 'old', 0)).to.be.at.least(0);
    expect(pfnOf(state, 'old', 1)).to.equal(-1);
  });
});
