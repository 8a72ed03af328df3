import { expect } from 'chai';
import { join } from 'node:path';
import { runToHistory } from '../../../lib/run/runToHistory.ts';
import { explore, type ExploreResult } from '../../../lib/explore/explore.ts';
import { shrinkFaults } from '../../../lib/explore/faults.ts';
import { exploreParallel } from '../../../lib/explore/parallel.ts';
import { withChoices } from '../../../lib/explore/regression.ts';
import { replayTrace } from '../../../lib/explore/trace.ts';
import { race as race6 } from '../../../examples/races/race6-release-vs-retry.ts';
import { cFirst } from './fixtures/counterRace.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const RACE6 = join(ROOT, 'examples', 'races', 'race6-release-vs-retry.ts');
const CFIRST = join(import.meta.dirname, 'fixtures', 'cFirstRace.ts');
/** The worker module the command line hands to exploreParallel. */
const WORKER = new URL('../../../lib/cli/exploreWorker.ts', import.meta.url);

/** What an exploration found, without timings and resume savings (which depend on where runs ran). */
const findings = (r: ExploreResult) => ({
  runs: r.runs, complete: r.complete, missed: r.sometimesMissed,
  outcomes: r.outcomes.map((o) => [o.outcome, o.runs, o.example]),
  failures: r.failures.map((f) => [f.runs, f.firstRun, f.trace]),
});

describe('explorer strategies on worker threads', function () {
  this.timeout(240_000); // each pool loads TypeScript in every worker: slow on a loaded machine

  it('exhaustive search: 2 workers find what the in-process search finds, run for run', async () => {
    const seq = explore(cFirst, {});
    expect(seq.runs).to.equal(12);
    const par = await exploreParallel(cFirst, { file: CFIRST, noInvariants: false }, {}, 2, WORKER);
    expect(findings(par)).to.deep.equal(findings(seq));
  });

  it('swarm: seeded and deterministic; 1 and 2 workers give the same findings as the in-process search', async () => {
    const o = { strategy: 'swarm', maxRuns: 24, seed: 7 } as const;
    const seq = explore(race6, o);
    expect(findings(explore(race6, o))).to.deep.equal(findings(seq));
    const [one, two] = await Promise.all([1, 2].map((n) => exploreParallel(race6, { file: RACE6, noInvariants: false }, o, n, WORKER)));
    expect(findings(one)).to.deep.equal(findings(seq));
    expect(findings(two)).to.deep.equal(findings(seq));
  });

  it('swarm varies timings within bounds and a failure names the timings it ran with; replay, shrink and the regression scenario apply them', () => {
    const r = explore(race6, { strategy: 'swarm', maxRuns: 24, seed: 7 });
    expect(r.runs).to.equal(24);
    expect(r.outcomes.map((o) => o.outcome).sort()).to.deep.equal(['request 5 done at area+513 after 1 retry, chunk 4 released', 'request 5 failed after 1 retry, chunk 4 released']);
    // Found by timing alone: no reordering, the release's freeing time moved.
    const f = r.failures.find((x) => x.trace.choices.length === 0)!;
    expect(f, 'a failure without reordering').to.not.equal(undefined);
    const t = f.trace;
    expect(t.perturb!.length).to.be.greaterThan(0);
    const bounds = new Map(race6.perturbations!.map((p) => [p.name, p]));
    for (const p of t.perturb!) expect(p.value).to.be.within(bounds.get(p.name)!.min, bounds.get(p.name)!.max);
    expect(replayTrace(race6, t, 'x').failure).to.deep.equal(t.failure);
    // Without the timings, the default order succeeds: they are what made it fail.
    expect(replayTrace(race6, { ...t, perturb: [] }, 'x').failure).to.equal(null);
    const kept = shrinkFaults(race6, t, t.choices, t.window, t.failure!.check);
    expect(kept.perturb.length).to.be.within(1, t.perturb!.length);
    expect(replayTrace(race6, { ...t, perturb: kept.perturb }, 'x').failure?.check).to.equal('request-succeeds');
    const h = runToHistory(withChoices(race6, { ...t, perturb: kept.perturb }));
    expect(h.stateAt(h.lastSeq).model.cma.requests[5].status).to.equal('failed');
  });
});
