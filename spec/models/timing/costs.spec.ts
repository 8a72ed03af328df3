import { expect } from 'chai';
import { DEFAULT_COSTS, mergeCosts } from '../../../models/timing/costs.ts';

describe('models/timing/costs', () => {
  it('is calibrated to the published figures (reference §3, §7)', () => {
    // ~0.7 ms per MiB of hugetlb CMA on x86 => ~2.7 µs per 4 KiB page
    expect(DEFAULT_COSTS.migrateAnon * 256).to.be.within(0.65e6, 0.75e6);
    // 10 MiB: 146 ms migrated vs 7 ms dropped => drop/migrate ratio 7/146
    expect(DEFAULT_COSTS.dropPerCleanPage / DEFAULT_COSTS.migratePagecacheClean).to.be.closeTo(7 / 146, 0.01);
    // 16,384 pages released in ~1.4 ms
    expect(DEFAULT_COSTS.releasePerPage * 16384).to.be.within(1.3e6, 1.5e6);
    // a failed -EBUSY attempt costs tens of µs: the modelled work of the smallest one (isolate one
    // pageblock, drain, test it) lands there, with no separate retry overhead to add
    const c = DEFAULT_COSTS as unknown as Record<string, number>;
    expect(c.isolatePerPageblock + c.drain + c.testIsolatedPerPageblock).to.be.within(10_000, 99_999);
    expect(c.busyRetryOverhead).to.equal(undefined);
    // reclaim freeing a clean page is the path dropping one takes (reclaim_clean_pages_from_list)
    expect(DEFAULT_COSTS.reclaimFreePerPage).to.equal(DEFAULT_COSTS.dropPerCleanPage);
    expect(DEFAULT_COSTS.reclaimScanPerPage).to.be.below(DEFAULT_COSTS.reclaimFreePerPage);
    for (const v of Object.values(DEFAULT_COSTS)) expect(Number.isInteger(v)).to.equal(true);
  });

  it('merges overrides and names a bad field', () => {
    expect(mergeCosts({ drain: 7 }).drain).to.equal(7);
    expect(mergeCosts({ drain: 7 }).lockHandoff).to.equal(DEFAULT_COSTS.lockHandoff);
    expect(() => mergeCosts({ drian: 1 })).to.throw(/^costs\.drian: unknown cost field/);
    expect(() => mergeCosts({ drain: 1.5 }, 'scenario.costs')).to.throw(/^scenario\.costs\.drain: expected a non-negative integer of nanoseconds, got 1\.5/);
    expect(() => mergeCosts({ drain: -1 })).to.throw(/costs\.drain/);
  });
});
