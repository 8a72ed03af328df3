import { expect } from 'chai';
import { sweepParallel, sweepSequential, type SweepJob } from '../../../lib/cli/sweepRun.ts';
import { aggregateSweep } from '../../../lib/cli/sweepTable.ts';
import { setPath } from '../../../lib/scenario/setPath.ts';
import { smallScenario } from '../scenario/fixtures.ts';

describe('sweep', () => {
  it('2 workers give the same per-seed results as a sequential sweep', async function () {
    this.timeout(20_000);
    const job: SweepJob = { source: setPath(smallScenario(), 'until', '60ms'), checkInvariants: false };
    const seeds = [1, 2, 3, 4, 5];
    const seq = sweepSequential(job, seeds);
    const par = await sweepParallel(job, seeds, 2);
    expect(par).to.deep.equal(seq);
    expect(new Set(seq.map((r) => r.finalHash)).size).to.equal(5);
    const agg = aggregateSweep(seq);
    expect(agg.runs).to.equal(5);
    expect(agg.metrics.events.min).to.equal(Math.min(...seq.map((r) => r.events)));
  });

  it('--set edits reach every run', () => {
    const job: SweepJob = { source: setPath(setPath(smallScenario(), 'until', '20ms'), 'workload[1].rate', 5000), checkInvariants: false };
    const base: SweepJob = { source: setPath(smallScenario(), 'until', '20ms'), checkInvariants: false };
    const [a] = sweepSequential(job, [1]);
    const [b] = sweepSequential(base, [1]);
    expect(a.events).to.be.greaterThan(b.events * 3);
  });
});
