import { expect } from 'chai';
import type { SimState } from '../../../models/state.ts';
import { boot, fillPageCache, req, world } from './world.ts';

/** Run one 512-page allocation on a machine full of clean page cache; latency and pages reclaimed. */
function allocOnFullMachine(costs: Record<string, number>): { latency: number; reclaimed: number; migrated: number } {
  // discardClean off: every in-use page of the range needs a target page, and memory is full, so
  // each target is found by reclaim (kswapd woken by the allocation, then direct reclaim).
  const s: SimState = fillPageCache(boot({ discardClean: false, costs, areas: [{ name: 'v', size: '4M' }] }), 4096, 'f', true);
  const before = s.pagecache.stats.reclaimed;
  const { engine, violations } = world(s);
  engine.inject(req({ area: 'v', count: 512, align: 9 }), 0);
  engine.run();
  expect(violations).to.deep.equal([]);
  const r = engine.state.model.cma.requests[1];
  expect(r.status).to.equal('done');
  return { latency: r.finishedAt! - r.submittedAt, reclaimed: engine.state.model.pagecache.stats.reclaimed - before, migrated: r.attempts[0].migrated };
}

// mm/page_alloc.c: migration targets come from alloc_migration_target, an ordinary allocation that
// wakes kswapd and enters direct reclaim (mm/vmscan.c) when the zone is short; that work runs
// before the page can be copied, so it is part of the migration (reference §3: the 146 ms for
// migrating 10 MiB includes it).
describe('models/mm/migrateRange: reclaim cost charged to the migration that needs it', () => {
  const free = { reclaimScanPerPage: 0, reclaimFreePerPage: 0 };

  it('each page reclaimed to find a target costs reclaimFreePerPage', () => {
    const base = allocOnFullMachine(free);
    expect(base.migrated).to.be.above(0);
    expect(base.reclaimed).to.be.above(base.migrated / 2); // most targets came from reclaim
    const charged = allocOnFullMachine({ ...free, reclaimFreePerPage: 1_009 });
    expect(charged.reclaimed).to.equal(base.reclaimed); // costs change time, never behaviour
    expect(charged.latency - base.latency).to.equal(1_009 * base.reclaimed);
  });

  it('each LRU entry looked at costs reclaimScanPerPage, freed or not', () => {
    const base = allocOnFullMachine(free);
    const charged = allocOnFullMachine({ ...free, reclaimScanPerPage: 1_000 });
    // every freed page was looked at once, and the scan may look at more (referenced pages rotate)
    expect(charged.latency - base.latency).to.be.at.least(1_000 * base.reclaimed);
    expect((charged.latency - base.latency) % 1_000).to.equal(0);
  });

  it('a migration that finds free targets without reclaim costs no reclaim time', () => {
    const s = fillPageCache(boot({ discardClean: false, costs: { reclaimScanPerPage: 1_000_000, reclaimFreePerPage: 1_000_000 }, areas: [{ name: 'v', size: '4M' }] }), 2_600);
    const { engine } = world(s);
    engine.inject(req({ area: 'v', count: 512, align: 9 }), 0);
    engine.run();
    const r = engine.state.model.cma.requests[1];
    expect(r.attempts[0].migrated).to.be.above(0);
    expect(engine.state.model.pagecache.stats.reclaimed).to.equal(s.pagecache.stats.reclaimed);
    expect(r.phases.migration).to.be.below(1_000_000);
  });
});
