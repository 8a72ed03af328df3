import { expect } from 'chai';
import { capture } from '../../lib/cli/runCli.ts';
import { cli } from '../../../lib/cli/cli.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explore } from '../../../lib/explore/explore.ts';
import { shrink } from '../../../lib/explore/shrink.ts';
import { readTrace, runChoices } from '../../../lib/explore/trace.ts';
import { race as race1 } from '../../../examples/races/race1.ts';
import { race as race2 } from '../../../examples/races/race2.ts';
import { race as race3 } from '../../../examples/races/race3.ts';
import { race as race3Broken } from '../../../examples/races/race3-reserve-after.ts';
import { race as race4 } from '../../../examples/races/race4.ts';
import { race as race4Broken } from '../../../examples/races/race4-defrag-ignores-pins.ts';
import { race as race5Series } from '../../../examples/races/race5.ts';
import { race as race5PerArea } from '../../../examples/races/race5-per-area.ts';
import { race as race6 } from '../../../examples/races/race6-release-vs-retry.ts';

const outcomes = (r: ReturnType<typeof explore>): string[] => r.outcomes.map((o) => o.outcome).sort();

describe('built-in race scenarios (examples/races)', () => {
  it('race 1: a pin between isolation and migration gives -EBUSY and a retry at the next candidate; after, success (reference §3 step 3)', () => {
    const r = explore(race1);
    expect(r.complete).to.equal(true);
    expect(r.failures).to.deep.equal([]);
    expect(r.sometimesMissed).to.deep.equal([]);
    expect(outcomes(r)).to.deep.equal(['done at area+0 after 0 retries (ok)', 'done at area+1 after 1 retry (-16, ok)']);
    // Reduction matters: without it the same two outcomes take hundreds of runs.
    const full = explore(race1, { por: false, maxRuns: 300 });
    expect(full.runs).to.equal(300);
    expect(r.runs).to.be.lessThan(10);
  });

  it('race 2: a fault at the instant of isolation never gets a page of the isolated range, in any ordering (reference §3 step 1)', () => {
    const r = explore(race2, { por: false, maxRuns: 400 });
    expect(r.failures).to.deep.equal([]);
    expect(r.sometimesMissed).to.deep.equal([]); // both placements of the fault were reached
    expect(explore(race2).failures).to.deep.equal([]);
  });

  it('race 3: split locking never lets two requests claim overlapping ranges (reserve before migration, reference §2 step 4)', () => {
    const r = explore(race3);
    expect(r.complete).to.equal(true);
    expect(r.failures).to.deep.equal([]);
    expect(outcomes(r)).to.deep.equal(['r1 done@+0 retries 0, r2 done@+256 retries 0', 'r1 done@+256 retries 0, r2 done@+0 retries 0']);
  });

  it('race 3, bitmap-reserve-after: the explorer finds the double claim and shrinking keeps it failing with no extra choices', () => {
    const r = explore(race3Broken, { strategy: 'random', seed: 2, maxRuns: 12 });
    expect(r.failures.length).to.be.greaterThan(0);
    const t = r.failures.map((f) => f.trace).sort((a, b) => b.choices.length - a.choices.length)[0];
    expect(t.failure!.check).to.equal('no-overlapping-claims');
    const failing = runChoices(race3Broken, t.choices, t.window);
    expect(failing.failure).to.deep.equal(t.failure);
    const s = shrink(race3Broken, failing, t.window);
    expect(s.run.failure!.check).to.equal('no-overlapping-claims');
    expect(s.run.choices.length).to.be.at.most(t.choices.length);
    expect(s.run.choices).to.deep.equal([]); // the broken allocator fails whatever the order
    expect(s.run.failure!.seq).to.be.at.most(t.failure!.seq);
  });

  it('race 4: a pin racing a defrag move waits and the owner sees the new address; ignoring pins loses the update', () => {
    const ok = explore(race4);
    expect(ok.failures).to.deep.equal([]);
    expect(ok.sometimesMissed).to.deep.equal([]);
    expect(outcomes(ok)).to.deep.equal(['chunk 2 at area+0, moved 1x, pins 1', 'chunk 2 at area+256, moved 0x, pins 1']);
    const bad = explore(race4Broken);
    expect(bad.failures).to.have.length(1);
    expect(bad.failures[0].trace.failure!.check).to.equal('pinned-chunk-never-moves');
    expect(bad.failures[0].trace.choices.map((c) => c.type)).to.deep.equal(['cma.pin']); // the pin won the race
  });

  it("race 5: a free racing an allocation: 'series' gives two latencies, 'per-area' one; all runs correct", () => {
    const series = explore(race5Series);
    const perArea = explore(race5PerArea);
    for (const r of [series, perArea]) {
      expect(r.failures).to.deep.equal([]);
      expect(r.sometimesMissed).to.deep.equal([]);
    }
    const us = (o: string): number => Number(/after ([\d.]+)us/.exec(o)![1]);
    expect(series.outcomes).to.have.length(2);
    expect(perArea.outcomes).to.have.length(1);
    const seriesWorst = Math.max(...series.outcomes.map((o) => us(o.outcome)));
    expect(seriesWorst).to.be.greaterThan(us(perArea.outcomes[0].outcome)); // the free held the one mutex
    expect(Math.min(...series.outcomes.map((o) => us(o.outcome)))).to.equal(us(perArea.outcomes[0].outcome));
  });

  it('race 6: a release racing a busy retry: the default order finds the freed range, the other fails -EBUSY (mm/cma.c retries forward only)', () => {
    const r = explore(race6);
    expect(r.complete).to.equal(true);
    expect(outcomes(r)).to.deep.equal(['request 5 done at area+513 after 1 retry, chunk 4 released', 'request 5 failed after 1 retry, chunk 4 released']);
    expect(r.outcomes.find((o) => o.outcome.includes('done'))!.example).to.deep.equal([]); // the default order is the benign one
    expect(r.failures).to.have.length(1);
    const f = r.failures[0].trace;
    expect(f.failure).to.include({ check: 'request-succeeds', kind: 'eventually', message: 'never held: request 5 failed (errno -16)' });
    // Both non-default picks run the request's own step before the release's lock request.
    expect(f.choices.map((c) => c.type)).to.deep.equal(['cma.attempt.failed', 'cma.lock.acquired']);
    expect(runChoices(race6, f.choices, f.window).failure?.check).to.equal('request-succeeds');
  });

  it('explore race4-defrag-ignores-pins writes a trace that replay reproduces exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'race4-'));
    const e = capture();
    expect(await cli(['explore', 'race4-defrag-ignores-pins', '--out', dir], e.io)).to.equal(1);
    expect(e.out.join('')).to.contain("FAIL always 'pinned-chunk-never-moves'");
    const file = join(dir, 'failure-1-pinned-chunk-never-moves.json');
    expect(readTrace(file).choices).to.have.length(1);
    const r = capture();
    expect(await cli(['replay', 'race4-defrag-ignores-pins', '--choices', file], r.io)).to.equal(1);
    expect(r.out.join('')).to.contain('(reproduced exactly)');
    // The same trace against the correct model is refused: it was recorded from another scenario.
    const x = capture();
    expect(await cli(['replay', 'race4', '--choices', file], x.io)).to.equal(2);
    expect(x.err.join('')).to.match(/is not this scenario's/);
  });
});
