import { expect } from 'chai';
import { runScenario } from '../../../lib/scenario/runScenario.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { memoryAllocLive } from '../../../models/workload/emit.ts';
import { zoneCounters } from '../../../models/memory/queries.ts';

const count = (o: ReturnType<typeof runScenario>, type: string) => [...o.history.engine.log.envelopes()].filter((e) => e.event.type === type).length;

describe('memory generator', () => {
  it('frees every allocation the memory model granted once its hold is over', () => {
    const s = checkScenario({
      machine: { ram: '64M' }, until: '40ms',
      workload: [{ generator: 'memory', name: 'slab', kind: 'unmovable', rate: 2000, order: [0, 2], hold: ['1ms', '3ms'], stop: '20ms' }],
    });
    const o = runScenario(s);
    const allocs = count(o, 'memory.alloc');
    expect(allocs).to.be.greaterThan(10);
    expect(count(o, 'memory.alloc.failed')).to.equal(0);
    expect(count(o, 'memory.free')).to.equal(allocs);
    const st = o.history.engine.state.model;
    for (let i = 1; i <= st.workload.generators.slab.fired; i++) expect(memoryAllocLive(st as never, `slab#${i}`)).to.equal(false);
  });

  it('with pages, each tick faults a run of order-0 pages in at once and frees the run after its hold', () => {
    const s = checkScenario({
      machine: { ram: '64M' }, until: '40ms',
      workload: [{ generator: 'memory', name: 'heap', kind: 'movable', rate: 2000, pages: [8, 32], hold: ['1ms', '3ms'], stop: '20ms' }],
    });
    const o = runScenario(s);
    const allocs = [...o.history.engine.log.envelopes()].filter((e) => e.event.type === 'memory.alloc').map((e) => e.event as { count?: number; order?: number });
    expect(allocs.length).to.be.greaterThan(10);
    for (const a of allocs) expect(a.count).to.be.within(8, 32);
    expect(count(o, 'memory.free')).to.equal(allocs.length);
    expect(zoneCounters(o.history.engine.state.model).reduce((n, x) => n + x.anon, 0)).to.equal(0);
    expect(() => checkScenario({ machine: { ram: '64M' }, workload: [{ generator: 'memory', rate: 10, pages: 4, order: 1 }] })).to.throw(/workload\[0\]\.pages: expected either 'pages' \(runs of order-0 pages\) or 'order', not both/);
  });

  it('skips the free of an allocation that failed', () => {
    // 16 MiB of RAM cannot hold 64 order-8 (1 MiB) blocks at once: some allocations fail.
    const s = checkScenario({
      machine: { ram: '16M' }, until: '30ms',
      workload: [{ generator: 'memory', name: 'big', kind: 'unmovable', period: '100us', count: 64, order: 8, hold: '20ms' }],
    });
    const o = runScenario(s);
    const failed = count(o, 'memory.alloc.failed');
    expect(failed).to.be.greaterThan(0);
    expect(count(o, 'memory.free')).to.equal(64 - failed);
  });
});
