import { expect } from 'chai';
import { dropVersusMigrate, failedAttempt, release16k, threeAreas, threeAreasParts, threeAreasRecords } from '../../examples/fidelity.ts';
import { DEFAULT_COSTS } from '../../models/timing/costs.ts';

// The scenarios behind the README's fidelity table: each must give the figure the table shows.
describe('examples/fidelity (model figures beside the reference §7 ones)', () => {
  it('releasing 16,384 pages takes about 1.4 ms (85 ns per page)', () => {
    expect(release16k()).to.equal(16_384 * 85);
  });

  it('a failed -EBUSY attempt costs tens of µs of modelled work', () => {
    expect(failedAttempt()).to.be.within(10_000, 100_000);
  });

  it("three areas under the global mutex finish about 1 : 2 : 3, as the published 7 : 14 : 21 s", function () {
    this.timeout(120_000);
    const g = threeAreas('global');
    expect(g[1] / g[0]).to.be.within(1.9, 2.1);
    expect(g[2] / g[0]).to.be.within(2.9, 3.1);
  });

  // Linux 6.15: per-area alloc_mutex (mm/cma.c, 24ac6fb6e364); what the three still share in one zone
  // is the drain mutexes (mm/page_alloc.c drain_all_pages, mm/swap.c lru_cache_disable), the zone and
  // LRU locks, and the zone's free pages: nothing singles out the middle one.
  it("three areas with per-area locks finish within 5 %, in start order, apart by the drain-mutex waits and reclaim", function () {
    this.timeout(120_000);
    const rs = threeAreasRecords('per-area');
    const lat = rs.map((r) => r.finishedAt! - r.submittedAt);
    expect(lat[2] / lat[0]).to.be.within(1, 1.05);
    expect(lat[0]).to.be.at.most(lat[1]);
    expect(lat[1]).to.be.at.most(lat[2]);
    const parts = threeAreasParts(rs);
    expect(parts.map((x) => x.drainWait)).to.deep.equal([0, DEFAULT_COSTS.drain, 2 * DEFAULT_COSTS.drain]);
    // The first two differ by the second's drain wait alone: no zone/LRU wait, the same reclaim.
    expect(parts.map((x) => x.zoneLruWait)).to.deep.equal([0, 0, 0]);
    expect(parts[1].reclaim).to.equal(parts[0].reclaim);
    expect(lat[1] - lat[0]).to.equal(parts[1].drainWait);
  });

  it('the 10 MiB migration includes the reclaim that finds its target pages, as the published 146 ms did', function () {
    this.timeout(120_000);
    const dm = dropVersusMigrate();
    expect(dm.reclaim).to.be.above(0);
    expect(dm.migrate).to.be.at.least(2560 * DEFAULT_COSTS.migratePagecacheClean + dm.reclaim);
  });
});
