import { expect } from 'chai';
import { parseVary, variantGrid } from '../../../lib/cli/commands/sweep.ts';
import { sweepParallel, sweepSequential, sweepTasks, type SweepJob } from '../../../lib/cli/sweepRun.ts';
import { aggregateSweep } from '../../../lib/cli/sweepTable.ts';
import { setPath } from '../../../lib/scenario/setPath.ts';
import { smallScenario } from '../scenario/fixtures.ts';

const short = setPath(smallScenario(), 'until', '60ms');

describe('sweep', () => {
  it('2 workers give the same per-seed results as a sequential sweep', async function () {
    this.timeout(20_000);
    const job: SweepJob = {
      variants: [{ label: 'cma.lockMode=global', source: setPath(short, 'cma.lockMode', 'global') }, { label: 'cma.lockMode=per-area', source: setPath(short, 'cma.lockMode', 'per-area') }],
      checkInvariants: false,
    };
    const tasks = sweepTasks(job, [1, 2, 3]);
    expect(tasks.map((t) => `${t.variant}:${t.seed}`)).to.deep.equal(['0:1', '0:2', '0:3', '1:1', '1:2', '1:3']);
    const seq = sweepSequential(job, tasks);
    const par = await sweepParallel(job, tasks, 2);
    expect(par).to.deep.equal(seq);
    expect(new Set(seq.slice(0, 3).map((r) => r.finalHash)).size).to.equal(3);
    const agg = aggregateSweep(seq.slice(0, 3));
    expect(agg.runs).to.equal(3);
    expect(agg.metrics.events.min).to.equal(Math.min(...seq.slice(0, 3).map((r) => r.events)));
  });

  it('edits reach every run', () => {
    const busy: SweepJob = { variants: [{ label: '', source: setPath(setPath(short, 'until', '20ms'), 'workload[1].rate', 5000) }], checkInvariants: false };
    const base: SweepJob = { variants: [{ label: '', source: setPath(short, 'until', '20ms') }], checkInvariants: false };
    const [a] = sweepSequential(busy, [{ variant: 0, seed: 1 }]);
    const [b] = sweepSequential(base, [{ variant: 0, seed: 1 }]);
    expect(a.events).to.be.greaterThan(b.events * 3);
  });

  it('--vary values split on top-level commas and combine into a grid', () => {
    expect(parseVary('cma.lockMode=global,per-area')).to.deep.equal(['cma.lockMode', ['global', 'per-area']]);
    expect(parseVary('workload[0].alloc.size=["1M","2M"],64K')).to.deep.equal(['workload[0].alloc.size', [['1M', '2M'], '64K']]);
    expect(variantGrid([['a', [1, 2]], ['b', ['x', 'y']]])).to.deep.equal([
      [['a', 1], ['b', 'x']], [['a', 1], ['b', 'y']], [['a', 2], ['b', 'x']], [['a', 2], ['b', 'y']],
    ]);
    expect(variantGrid([])).to.deep.equal([[]]);
  });
});
