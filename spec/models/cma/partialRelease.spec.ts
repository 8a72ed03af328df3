import { expect } from 'chai';
import { debugfsOf, meminfoCma, sysfsOf } from '../../../models/cma/stats.ts';
import { boot, req, world } from './world.ts';

// mm/cma.c cma_release(cma, pages, count): any pfn inside the area, exactly count pages freed and
// their bits cleared (release_pages_success += count); nothing ties it to how the range was allocated.
describe('models/cma: cma_release of part of a chunk', () => {
  it('frees exactly the range asked, from a pfn inside the chunk; stats, used, maxchunk and CmaFree follow', () => {
    const { engine, violations } = world(boot({ areas: [{ name: 'v', size: '4M' }] }));
    engine.inject(req({ area: 'v', count: 256 }), 0);
    engine.run();
    const base = engine.state.model.cma.areas.v.basePfn;
    const freeBefore = meminfoCma(engine.state.model).CmaFree;
    engine.inject({ type: 'cma.release', area: 'v', pfn: base + 64, count: 64 }, engine.now); // the middle
    engine.run();
    let m = engine.state.model;
    expect(Object.values(m.cma.chunks).map((c) => [c.pfn - base, c.count]).sort((a, b) => a[0] - b[0])).to.deep.equal([[0, 64], [128, 128]]);
    expect(sysfsOf(m.cma, 'v')).to.include({ release_pages_success: 64, available_pages: 1024 - 192 });
    expect(debugfsOf(m.cma, 'v')).to.include({ used: 192, maxchunk: 1024 - 256 });
    expect(meminfoCma(m).CmaFree).to.equal(freeBefore + 64 * 4);
    engine.inject({ type: 'cma.release', chunk: 1, count: 32 }, engine.now); // a prefix by chunk id
    engine.inject({ type: 'cma.release', area: 'v', pfn: base + 200, count: 100 }, engine.now + 1); // past the chunk's end
    engine.run();
    m = engine.state.model;
    expect(Object.values(m.cma.chunks).map((c) => [c.pfn - base, c.count]).sort((a, b) => a[0] - b[0])).to.deep.equal([[32, 32], [128, 128]]);
    expect(m.cma.warnings).to.equal(1);
    expect(debugfsOf(m.cma, 'v').used).to.equal(160);
    expect(violations).to.deep.equal([]);
  });
});
