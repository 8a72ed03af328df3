import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { validateEvent } from '../../../events/index.ts';
import { pageState, zoneCounters } from '../../../models/mm/contig.ts';
import { runChecked, simState } from '../memory/sim.ts';

const s0 = () => simState({ memory: '16M', minFreeKbytes: 0 });
const run = (evs: SimEvent[]) => runChecked(s0(), evs);

describe('models/mm/memoryHandlers', () => {
  it('memory.alloc takes 2^order pages of the kind asked, memory.free gives them back', () => {
    const { state } = run([
      { type: 'memory.alloc', id: 'slab', kind: 'reclaimable', order: 2, owner: 'dentry' },
      { type: 'memory.alloc', id: 'pt', kind: 'unmovable' },
      { type: 'memory.alloc', id: 'anon', kind: 'movable', order: 3 },
    ]);
    expect(zoneCounters(state)[0]).to.include({ reclaimable: 4, unmovable: 1, anon: 8, free: 4096 - 13 });
    const freed = runChecked(state, [{ type: 'memory.free', id: 'slab' }, { type: 'memory.free', id: 'pt' }, { type: 'memory.free', id: 'anon' }]).state;
    expect(zoneCounters(freed)[0].free).to.equal(4096);
    expect(freed.memory.zones[0].free[1].blocks[10] + freed.memory.zones[0].free[0].blocks[10] + freed.memory.zones[0].free[2].blocks[10]).to.equal(4);
  });

  it('memory.alloc with count makes that many order-0 allocations <id>.k at once, memory.free with count gives the live ones back', () => {
    const { state } = run([{ type: 'memory.alloc', id: 'cc1', kind: 'movable', count: 40, owner: 'cc1' }]);
    expect(zoneCounters(state)[0]).to.include({ anon: 40, free: 4096 - 40 });
    // Each page is its own allocation (a folio of one page), as anonymous faults make them.
    let owned = 0;
    for (let p = 0; p < 4096; p++) {
      const ps = pageState(state, p);
      if (ps.kind === 'anon') { owned++; expect(ps.owner).to.match(/^cc1\.\d+$/); }
    }
    expect(owned).to.equal(40);
    // The same pages as 40 single allocations.
    const one = run(Array.from({ length: 40 }, (_, k): SimEvent => ({ type: 'memory.alloc', id: `cc1.${k}`, kind: 'movable', owner: 'cc1' }))).state;
    for (let p = 0; p < 4096; p++) expect(pageState(state, p).owner).to.equal(pageState(one, p).owner);
    const freed = runChecked(state, [{ type: 'memory.free', id: 'cc1.3' }, { type: 'memory.free', id: 'cc1', count: 40 }]).state;
    expect(zoneCounters(freed)[0]).to.include({ anon: 0, free: 4096 });
    expect(() => run([{ type: 'memory.alloc', id: 'a', kind: 'movable', order: 1, count: 2 }])).to.throw(/memory\.alloc: field 'count' needs order 0, got order 1/);
    expect(() => run([{ type: 'memory.free', id: 'a', count: 2 }])).to.throw(/memory\.free: no allocation with id 'a\.0'/);
  });

  it('page state names the allocation that owns a page', () => {
    const { state } = run([{ type: 'memory.alloc', id: 'x', kind: 'unmovable', order: 1 }]);
    let pfn = -1;
    for (let p = 0; p < 4096 && pfn < 0; p++) if (pageState(state, p).kind === 'unmovable') pfn = p;
    expect(pageState(state, pfn + 1)).to.include({ kind: 'unmovable', owner: 'x', migratetype: 'UNMOVABLE' });
  });

  it('refuses bad events with a one-line reason naming the field', () => {
    expect(validateEvent({ type: 'memory.alloc', id: 'a', kind: 'movable', order: 1.5 })).to.equal("memory.alloc: field 'order' must be an integer, got 1.5");
    expect(validateEvent({ type: 'pagecache.fault', file: 'f' })).to.equal("pagecache.fault: missing field 'index' (an integer)");
    expect(() => run([{ type: 'memory.alloc', id: 'a', kind: 'huge' as never }])).to.throw(/memory\.alloc: field 'kind' must be 'unmovable', 'reclaimable' or 'movable', got "huge"/);
    expect(() => run([{ type: 'memory.alloc', id: 'a', kind: 'movable', order: 11 }])).to.throw(/memory\.alloc: field 'order' must be an integer in \[0, 10\], got 11/);
    expect(() => run([{ type: 'memory.alloc', id: 'a', kind: 'movable' }, { type: 'memory.alloc', id: 'a', kind: 'movable' }])).to.throw(/id 'a' is already allocated/);
    expect(() => run([{ type: 'memory.free', id: 'nope' }])).to.throw(/memory\.free: no allocation with id 'nope'/);
    expect(() => run([{ type: 'page.unpin', id: 'nope' }])).to.throw(/page\.unpin: no pin with id 'nope'/);
    expect(() => run([{ type: 'pagecache.fault', file: 'f', index: 0, count: 0 }])).to.throw(/pagecache\.fault: field 'count' must be an integer >= 1, got 0/);
    expect(() => run([{ type: 'page.pin', id: 'p' }])).to.throw(/page\.pin 'p': expected field 'file' or 'alloc'/);
  });
});
