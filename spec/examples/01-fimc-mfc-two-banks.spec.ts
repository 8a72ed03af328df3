import { expect } from 'chai';
import { run1, scenario, SWITCHES, switchCosts } from '../../examples/01-fimc-mfc-two-banks.ts';
import { requests } from '../../examples/exampleRun.ts';

describe('examples/01-fimc-mfc-two-banks (the default scenario of npm start)', () => {
  let run: ReturnType<typeof run1>;
  let costs: ReturnType<typeof switchCosts>;
  before(() => {
    run = run1();
    costs = switchCosts(run.state, run.lentBefore);
  });

  it('is a checked scenario the CLI can load (default-export shape)', () => {
    expect(scenario.name).to.equal('01-fimc-mfc-two-banks');
    expect(scenario.machine.banks.map((b) => b.name)).to.deep.equal(['bank0', 'bank1']);
  });

  it('serves every use case, the MFC from both banks', () => {
    expect(run.state.devices.counters.failures).to.equal(0);
    const mfc = requests(run.state, (r) => r.requester === 'mfc' && r.status === 'done');
    expect(mfc.some((r) => r.area === 'video-a')).to.equal(true);
    expect(mfc.some((r) => r.area === 'video-b')).to.equal(true);
    expect(run.state.devices.devices.mfc.counters.operations).to.be.greaterThan(60);
  });

  it('pays a migration cost at every switch, because the page cache used the regions while the codec was idle', () => {
    expect(costs.map((c) => c.to)).to.deep.equal(SWITCHES.map((s) => s.to));
    for (const c of costs) {
      expect(c.lent, c.to).to.be.greaterThan(0);
      // Reference section 3: movable pages in the range are migrated, clean page cache dropped.
      expect(c.migrated + c.dropped, c.to).to.be.greaterThan(0);
      expect(c.migrationNs, c.to).to.be.greaterThan(0);
      expect(c.failed).to.equal(0);
    }
    // More page cache in the regions, more to move: the last switch pays more than the first.
    expect(costs[2].lent).to.be.greaterThan(costs[0].lent);
    expect(costs[2].migrationNs).to.be.greaterThan(costs[0].migrationNs);
  });
});
