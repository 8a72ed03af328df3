import { expect } from 'chai';
import { pageState } from '../../../models/mm/contig.ts';
import { boot, req, world } from './world.ts';

describe('models/cma/releaseFlow + pins', () => {
  it('returns the pages as MIGRATE_CMA, clears the bitmap and counts released pages', () => {
    const { engine, violations } = world(boot({ areas: [{ name: 'v', size: '4M' }] }));
    engine.inject(req({ area: 'v', count: 100 }), 0);
    engine.run();
    const base = engine.state.model.cma.areas.v.basePfn;
    const traces: unknown[] = [];
    engine.events$.subscribe((e) => { if (e.event.type === 'trace.cma_release') traces.push(e.event); });
    const t = engine.now;
    engine.inject({ type: 'cma.release', area: 'v', pfn: base, count: 100 }, t);
    engine.run();
    const m = engine.state.model;
    expect(m.cma.chunks).to.deep.equal({});
    expect(m.cma.areas.v).to.include({ available: 1024 });
    expect(m.cma.areas.v.counters.releasePagesSuccess).to.equal(100);
    expect(pageState(m, base)).to.include({ kind: 'free', migratetype: 'CMA' });
    expect(traces).to.deep.equal([{ type: 'trace.cma_release', task: { comm: 'dev', pid: 100, cpu: 0 }, name: 'v', pfn: base, count: 100 }]);
    expect(engine.now - t).to.be.at.least(100 * 85); // releasePerPage
    expect(violations).to.deep.equal([]);
  });

  it('refuses to release a pinned chunk with a warning and loses nothing; pins nest', () => {
    const { engine, violations } = world(boot({ areas: [{ name: 'v', size: '4M' }] }));
    const warnings: string[] = [];
    const pinned: number[] = [];
    engine.events$.subscribe((e) => {
      if (e.event.type === 'cma.warning') warnings.push(e.event.what);
      if (e.event.type === 'cma.pinned') pinned.push(e.event.pfn);
    });
    engine.inject(req({ area: 'v', count: 64 }), 0);
    engine.run();
    const t = engine.now;
    engine.inject({ type: 'cma.pin', chunk: 1 }, t);
    engine.inject({ type: 'cma.pin', chunk: 1 }, t);
    engine.inject({ type: 'cma.unpin', chunk: 1 }, t + 1);
    engine.inject({ type: 'cma.release', chunk: 1 }, t + 2);
    engine.run();
    expect(warnings).to.deep.equal(['release-pinned']);
    expect(engine.state.model.cma.chunks[1]).to.include({ pins: 1 });
    expect(engine.state.model.cma.areas.v.available).to.equal(1024 - 64);
    expect(pinned).to.have.length(2);
    engine.inject({ type: 'cma.unpin', chunk: 1 }, engine.now);
    engine.inject({ type: 'cma.unpin', chunk: 1 }, engine.now);
    engine.inject({ type: 'cma.release', chunk: 1 }, engine.now + 1);
    engine.inject({ type: 'cma.release', chunk: 1 }, engine.now + 10_000_000);
    engine.run();
    expect(warnings).to.deep.equal(['release-pinned', 'unpin-unbalanced', 'release-unknown']);
    expect(engine.state.model.cma.chunks).to.deep.equal({});
    expect(engine.state.model.cma.warnings).to.equal(3);
    expect(violations).to.deep.equal([]);
  });
});
