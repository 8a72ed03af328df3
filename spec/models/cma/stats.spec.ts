import { expect } from 'chai';
import { debugfsOf, formatBitmap, meminfoCma, sysfsOf } from '../../../models/cma/stats.ts';
import { boot, req, world } from './world.ts';

describe('models/cma/stats', () => {
  it('reports sysfs counters, debugfs used/maxchunk/bitmap and meminfo CmaTotal/CmaFree', () => {
    const s0 = boot({ areas: [{ name: 'v', size: '4M', orderPerBit: 2 }, { name: 'p', size: '2M', private: true }] });
    expect(meminfoCma(s0)).to.deep.equal({ CmaTotal: 4096, CmaFree: 4096 });
    const { engine } = world(s0);
    engine.inject(req({ area: 'v', count: 5 }), 0); // 2 bits of 4 pages
    engine.inject(req({ area: 'v', count: 8 }), 0);
    engine.inject(req({ area: 'v', count: 4096 }), 0); // too large: counted as failed pages
    engine.run();
    const m = engine.state.model;
    expect(sysfsOf(m.cma, 'v')).to.deep.equal({
      alloc_pages_success: 13, alloc_pages_fail: 4096, release_pages_success: 0, total_pages: 1024, available_pages: 1024 - 13,
    });
    const dbg = debugfsOf(m.cma, 'v');
    // The default profile is 6.18: debugfs `used` is count - available_count (13 pages), so that
    // used + available_pages = count; the bitmap weight (16) was 6.14's formula, checked below.
    expect(dbg).to.include({ base_pfn: m.cma.areas.v.basePfn, count: 1024, order_per_bit: 2, used: 13, maxchunk: 1024 - 16 });
    expect(dbg.bitmap).to.have.length(8);
    expect(dbg.bitmap[0]).to.equal(0b1111);
    expect(formatBitmap(dbg.bitmap.slice(0, 2))).to.equal('15 0\n');
    expect(meminfoCma(m)).to.deep.equal({ CmaTotal: 4096, CmaFree: 4096 - 13 * 4 });
    expect(() => sysfsOf(m.cma, 'x')).to.throw("no area 'x'");
  });

  it('follows the kernel profile: 6.12 has no total/available_pages, counts no oversize request and reports the bitmap weight as used (mm/cma_sysfs.c, mm/cma_debug.c, mm/cma.c)', () => {
    const { engine } = world(boot({ areas: [{ name: 'v', size: '4M', orderPerBit: 2 }] }, undefined, '6.12'));
    engine.inject(req({ area: 'v', count: 5 }), 0);
    engine.inject(req({ area: 'v', count: 8 }), 0);
    engine.inject(req({ area: 'v', count: 4096 }), 0); // __cma_alloc returns before out: not counted in 6.12
    engine.run();
    const m = engine.state.model;
    expect(sysfsOf(m.cma, 'v')).to.deep.equal({ alloc_pages_success: 13, alloc_pages_fail: 0, release_pages_success: 0 });
    expect(debugfsOf(m.cma, 'v').used).to.equal(16);
    const five = world(boot({ areas: [{ name: 'v', size: '4M' }] }, undefined, '5.10')).engine;
    expect(sysfsOf(five.state.model.cma, 'v')).to.deep.equal({}); // CMA sysfs arrived in 5.14
  });
});
