import { expect } from 'chai';
import { pageState } from '../../../models/mm/contig.ts';
import { boot, req, world } from './world.ts';

/** Two 64-page chunks at the area's start; the first is released, which triggers defragmentation. */
function setup(variant?: 'defrag-ignores-pins') {
  const s = boot({ defrag: { mode: 'on-release', variant }, areas: [{ name: 'p', size: '2M', private: true, allocator: 'best-fit' }] });
  const w = world(s);
  w.engine.inject(req({ area: 'p', count: 64 }), 0);
  w.engine.inject(req({ area: 'p', count: 64 }), 0);
  w.engine.run();
  return { ...w, base: s.cma.areas.p.basePfn };
}

describe('models/cma/defrag', () => {
  it('moves an unpinned chunk down into the freed hole; a pin during the move waits and sees the new address', () => {
    const { engine, violations, base } = setup();
    expect(engine.state.model.cma.chunks[2].pfn).to.equal(base + 64);
    const pinned: { pfn: number; t: number }[] = [];
    let movedAt = -1;
    engine.events$.subscribe((e) => {
      if (e.event.type === 'cma.pinned') pinned.push({ pfn: e.event.pfn, t: e.time });
      if (e.event.type === 'cma.defrag.moved') movedAt = e.time;
    });
    const t = engine.now;
    engine.inject({ type: 'cma.release', chunk: 1 }, t);
    // The release takes 64 * 85 ns, the copy 64 * 1000 ns: this pin lands in the middle of the copy.
    engine.inject({ type: 'cma.pin', chunk: 2 }, t + 64 * 85 + 30_000);
    engine.run();
    const c = engine.state.model.cma.chunks[2];
    expect(c).to.include({ pfn: base, pins: 1, moves: 1, moving: null });
    expect(engine.state.model.cma.requests[2].pfn).to.equal(base);
    expect(pinned).to.deep.equal([{ pfn: base, t: movedAt }]);
    expect(violations).to.deep.equal([]);
  });

  it('in a shared area, takes the free destination from the buddy allocator and gives the old range back', () => {
    const s = boot({ defrag: 'manual', areas: [{ name: 'v', size: '4M' }] });
    const base = s.cma.areas.v.basePfn;
    const { engine, violations } = world(s);
    engine.inject(req({ area: 'v', count: 100 }), 0);
    engine.inject(req({ area: 'v', count: 100 }), 0);
    engine.inject({ type: 'cma.release', chunk: 1 }, 10_000_000);
    engine.inject({ type: 'cma.defrag', area: 'v' }, 20_000_000);
    engine.run();
    const m = engine.state.model;
    expect(m.cma.chunks[2]).to.include({ pfn: base, moves: 1 });
    expect(pageState(m, base).kind).to.equal('taken');
    expect(pageState(m, base + 100)).to.include({ kind: 'free', migratetype: 'CMA' });
    expect(m.cma.areas.v.available).to.equal(1024 - 100);
    expect(violations).to.deep.equal([]);
  });

  it('leaves a pinned chunk where it is', () => {
    const { engine, violations, base } = setup();
    engine.inject({ type: 'cma.pin', chunk: 2 }, engine.now);
    engine.inject({ type: 'cma.release', chunk: 1 }, engine.now + 1);
    engine.run();
    expect(engine.state.model.cma.chunks[2]).to.include({ pfn: base + 64, moves: 0 });
    expect(violations).to.deep.equal([]);
  });

  it("the 'defrag-ignores-pins' teaching variant moves a pinned chunk and the invariants catch it", () => {
    const { engine, violations, base } = setup('defrag-ignores-pins');
    engine.inject({ type: 'cma.pin', chunk: 2 }, engine.now);
    engine.inject({ type: 'cma.release', chunk: 1 }, engine.now + 1);
    engine.run();
    expect(engine.state.model.cma.chunks[2].pfn).to.equal(base);
    expect(violations.some((v) => v.includes('moving-unpinned'))).to.equal(true);
  });
});
