import { expect } from 'chai';
import { DEFAULT_EXPLORE, explore } from '../../../lib/explore/explore.ts';
import { fmtExploreResult } from '../../../lib/explore/summary.ts';
import { cFirst, threeMarks, threeSets } from './fixtures/counterRace.ts';

describe('explore', () => {
  it('exhaustive: a 3-event tie of dependent events runs all 6 orders, with or without reduction', () => {
    for (const por of [false, true]) {
      const r = explore(threeMarks, { por });
      expect(r.runs, `por=${por}`).to.equal(6);
      expect(r.complete).to.equal(true);
      expect(r.outcomes.map((o) => o.outcome).sort()).to.deep.equal(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
    }
  });

  it('exhaustive: independent events are reordered without reduction (6 runs) and not with it (1 run)', () => {
    const off = explore(threeSets, { por: false });
    expect(off.runs).to.equal(6);
    expect(off.outcomes).to.have.length(1); // independent: every order ends in the same state
    const on = explore(threeSets, { por: true });
    expect(on.runs).to.equal(1);
    expect(on.outcomes[0].outcome).to.equal(off.outcomes[0].outcome);
  });

  it('--window treats events a few ns apart as concurrent; the overtaken one runs at the clock time', () => {
    const apart = { ...threeMarks, inject: [{ event: { type: 'mark', label: 'a' } as const, time: 10 }, { event: { type: 'mark', label: 'b' } as const, time: 12 }] };
    expect(explore(apart).outcomes.map((o) => o.outcome)).to.deep.equal(['ab']);
    expect(explore(apart, { window: 5 }).outcomes.map((o) => o.outcome).sort()).to.deep.equal(['ab', 'ba']);
    expect(explore(apart, { window: 1 }).runs).to.equal(1); // 2 ns apart: outside a 1 ns window
  });

  it('the preemption bound limits non-default choices per run; max-runs stops early', () => {
    expect(explore(threeMarks, { preemptionBound: 0 }).runs).to.equal(1);
    // bound 1: the default order plus every order with a single deviation (b or c first, or c before b)
    expect(explore(threeMarks, { preemptionBound: 1 }).runs).to.equal(4);
    const capped = explore(threeMarks, { maxRuns: 2 });
    expect(capped.runs).to.equal(2);
    expect(capped.complete).to.equal(false);
  });

  it('reports always-failures with a trace, sometimes reached, eventually held', () => {
    const r = explore(cFirst, {});
    expect(r.runs).to.equal(12); // 3! orders at 10 ns times 2! at 20 ns, all dependent
    expect(r.failures).to.have.length(1);
    expect(r.failures[0].runs).to.equal(4); // c first, then any order of the rest
    expect(r.failures[0].trace.failure).to.include({ check: 'c-not-first', kind: 'always', seq: 5, message: 'c ran first' });
    expect(r.failures[0].trace.choices).to.deep.equal([{ seq: 1, pick: 2, of: 3, type: 'mark' }]);
    expect(r.sometimesMissed).to.deep.equal([]);
    expect(r.outcomes).to.have.length(12);
    // Runs resume from snapshots at their choice point instead of time 0 (12 x 5 = 60 events):
    // a-first subtree 5 + 2 (y, x) + 4 (c, b, x, y) + 2; the b-first and c-first subtrees 13 each.
    expect(r.dispatched).to.equal(39);
  });

  it('random and pct are seeded: the same seed gives the same exploration', () => {
    for (const strategy of ['random', 'pct'] as const) {
      const a = explore(cFirst, { strategy, maxRuns: 40, seed: 9 });
      const b = explore(cFirst, { strategy, maxRuns: 40, seed: 9 });
      expect(a.runs).to.be.at.most(40);
      expect(a.complete).to.equal(a.runs < 40); // fewer runs only when every ordering has run
      expect(a.outcomes).to.deep.equal(b.outcomes);
      expect(a.failures.map((f) => f.trace)).to.deep.equal(b.failures.map((f) => f.trace));
      expect(a.failures.length, strategy).to.be.greaterThan(0);
    }
  });

  it('random and pct stop when every ordering has run, and say the search is complete', () => {
    for (const strategy of ['random', 'pct'] as const) {
      const r = explore(threeMarks, { strategy, maxRuns: 5000, seed: 3 });
      expect(r.complete, strategy).to.equal(true);
      expect(r.outcomes.map((o) => o.outcome).sort(), strategy).to.deep.equal(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
      expect(r.runs, strategy).to.be.lessThan(500);
      expect(fmtExploreResult('t', { ...DEFAULT_EXPLORE, strategy, seed: 3 }, r, []).split('\n')[0]).to.match(new RegExp(`^t: ${r.runs} runs \\(${strategy}, seed 3(, depth 3)?, every ordering run\\)`));
      // Cut before that, the search is not complete.
      expect(explore(threeMarks, { strategy, maxRuns: 3, seed: 3 }).complete, strategy).to.equal(false);
    }
    const independent = explore(threeSets, { strategy: 'random', maxRuns: 5000 });
    expect([independent.runs, independent.complete]).to.deep.equal([1, true]); // reduction leaves one ordering
  });

  it('a sometimes check that no run reaches is reported as missed', () => {
    const r = explore({ ...cFirst, checks: [{ name: 'z-seen', kind: 'sometimes', test: (s) => (s.seen.includes('z') ? null : 'no z') }] });
    expect(r.sometimesMissed).to.deep.equal(['z-seen']);
  });

  it('an eventually check that a run never meets fails that run', () => {
    const r = explore({ ...threeMarks, checks: [{ name: 'b-last', kind: 'eventually', test: (s) => (s.seen.length === 3 && s.seen[2] === 'b' ? null : 'b not last') }] });
    expect(r.failures.map((f) => f.trace.failure!.check)).to.deep.equal(['b-last']);
    expect(r.failures[0].runs).to.equal(4);
  });
});
