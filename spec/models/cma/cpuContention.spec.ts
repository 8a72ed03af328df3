import { expect } from 'chai';
import { createInitialState } from '../../../models/initialState.ts';
import type { CmaConfig } from '../../../models/cma/createCmaState.ts';
import type { CpuConfig } from '../../../models/timing/cpu.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import { fillPageCache, req, world } from './world.ts';

/** One 512-page allocation from a CMA area full of page cache, on a machine with `cpu`. */
function allocWith(cpu: CpuConfig): RequestRecord {
  const cma: CmaConfig = { discardClean: false, areas: [{ name: 'v', size: '4M' }] };
  const s = fillPageCache(createInitialState({ machine: { memory: '16M' }, cma, cpu }), 2_600);
  const { engine, violations } = world(s);
  engine.inject(req({ area: 'v', count: 512, align: 9 }), 0);
  engine.run();
  expect(violations).to.deep.equal([]);
  const r = engine.state.model.cma.requests[1] as RequestRecord;
  expect(r.status).to.equal('done');
  expect(r.attempts[0].migrated).to.be.above(0);
  return r;
}

// Fair-share scheduling (CFS): n runnable threads on c CPUs each get c / n of a CPU when n > c, so
// the allocation's CPU-bound work (isolation, migration copies, reclaim, test and take) stretches
// by max(1, n / c), n counting the allocating thread.
describe('models/timing/cpu: CPU contention stretches an allocation\'s CPU-bound work', () => {
  let alone: RequestRecord;
  before(() => { alone = allocWith({ cpus: 4 }); });

  it('7 background threads on 4 CPUs (8 runnable): isolation, migration and finishing take exactly twice as long', () => {
    const loaded = allocWith({ cpus: 4, load: 7 });
    expect(loaded.attempts[0].migrated).to.equal(alone.attempts[0].migrated); // same work, longer
    expect(loaded.phases.migration).to.equal(2 * alone.phases.migration);
    expect(loaded.phases.isolation).to.equal(2 * alone.phases.isolation);
    expect(loaded.phases.finishing).to.equal(2 * alone.phases.finishing);
  });

  it('make -j16 on 4 CPUs: migration stretches by 17/4 (to the ns rounding of each pass)', () => {
    const loaded = allocWith({ cpus: 4, load: 16 });
    const passes = loaded.attempts[0].passes;
    expect(Math.abs(loaded.phases.migration - (alone.phases.migration * 17) / 4)).to.be.at.most(passes);
  });

  it('no stretch while the runnable threads fit the CPUs, nor with the switch off', () => {
    expect(allocWith({ cpus: 4, load: 3 }).phases).to.deep.equal(alone.phases);
    expect(allocWith({ cpus: 4, load: 16, contention: false }).phases).to.deep.equal(alone.phases);
  });

  it('refuses a bad CPU description, naming the field', () => {
    expect(() => createInitialState({ machine: { memory: '16M' }, cpu: { cpus: 0 } })).to.throw(/^machine\.cpus: expected an integer in \[1, 4096\], got 0$/);
    expect(() => createInitialState({ machine: { memory: '16M' }, cpu: { load: -1 } })).to.throw(/^machine\.load: /);
  });
});
