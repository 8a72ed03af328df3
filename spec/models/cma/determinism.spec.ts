import { expect } from 'chai';
import { boot, fillPageCache, req, world } from './world.ts';

describe('models/cma (determinism and the reserve-after teaching variant)', () => {
  it('same scenario and seed give byte-identical CMA state', () => {
    const run = (): string => {
      let s = boot({ lockMode: 'split', areas: [{ name: 'a', size: '4M' }, { name: 'b', size: '4M', allocator: 'best-fit' }] });
      s = fillPageCache(s, 3_000);
      const { engine } = world(s, 7, false);
      for (let i = 0; i < 12; i++) engine.inject(req({ areas: i % 2 ? ['a', 'b'] : ['b', 'a'], count: 20 + 17 * i, align: i % 5 }), i * 1000);
      for (let i = 1; i <= 6; i++) engine.inject({ type: 'cma.release', chunk: 2 * i }, 10_000_000 + i);
      engine.run();
      return JSON.stringify(engine.state.model.cma);
    };
    expect(run()).to.equal(run());
  });

  it("'bitmap-reserve-after' lets two concurrent requests pick the same range; 'bitmap' does not", () => {
    const retries = (allocator: string): number[] => {
      let s = boot({ lockMode: 'per-area', areas: [{ name: 'a', size: '4M', allocator, orderPerBit: 4 }] });
      s = fillPageCache(s, 3_300);
      const { engine, violations } = world(s);
      engine.inject(req({ area: 'a', count: 128, align: 4 }), 0);
      engine.inject(req({ area: 'a', count: 128, align: 4 }), 0);
      engine.run();
      expect(violations).to.deep.equal([]);
      const rs = [1, 2].map((id) => engine.state.model.cma.requests[id]);
      for (const r of rs) expect(r.status).to.equal('done');
      expect(rs[0].pfn).to.not.equal(rs[1].pfn);
      return rs.map((r) => r.retries);
    };
    expect(retries('bitmap')).to.deep.equal([0, 0]);
    // The second request searched while the first was migrating and chose the same pages; only
    // test_pages_isolated saved it, after wasted work, and it retried one page further each time.
    expect(retries('bitmap-reserve-after')[1]).to.be.above(0);
  });
});
