import { expect } from 'chai';
import { produce } from 'immer';
import { checkCmaInvariants } from '../../../models/invariants/cma.ts';
import type { SimState } from '../../../models/state.ts';
import { boot, req, world } from '../cma/world.ts';

function withChunk(): SimState {
  const { engine } = world(boot({ areas: [{ name: 'v', size: '4M' }] }));
  engine.inject(req({ area: 'v', count: 64 }), 0);
  engine.run();
  return engine.state.model;
}

const names = (s: SimState): string[] => checkCmaInvariants(s).map((v) => v.invariant);

describe('models/invariants/cma', () => {
  it('holds on a consistent state', () => {
    expect(checkCmaInvariants(withChunk())).to.deep.equal([]);
  });

  it('names the broken invariant: counts, overlaps, page ownership, locks, pins', () => {
    const s = withChunk();
    const base = s.cma.areas.v.basePfn;
    expect(names(produce(s, (d) => { d.cma.areas.v.available += 1; }))).to.deep.equal(['available-count']);
    const dup = produce(s, (d) => {
      d.cma.chunks[9] = { ...d.cma.chunks[1], id: 9, pfn: base + 32 };
    });
    const v = checkCmaInvariants(dup);
    expect(v.map((x) => x.invariant)).to.include.members(['ranges-disjoint', 'chunk-pages-taken', 'available-count']);
    expect(v.find((x) => x.invariant === 'chunk-pages-taken')!.pfn).to.equal(base + 64);
    expect(names(produce(s, (d) => { d.cma.locks.x = { holder: null, since: 0, waiters: [{ owner: { kind: 'request', id: 1 }, since: 0 }], acquisitions: 0, contended: 0, waitNs: 0, maxWaitNs: 0 }; })))
      .to.include('lock-fifo');
    expect(names(produce(s, (d) => { d.cma.requests[1].held.push('cma_mutex'); }))).to.include.members(['lock-owner', 'request-terminal']);
    expect(names(produce(s, (d) => { d.cma.chunks[1].pins = 1; d.cma.chunks[1].moving = { to: base + 512 }; }))).to.include('moving-unpinned');
  });
});
