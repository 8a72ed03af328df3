import { expect } from 'chai';
import { isFatal, runScenario } from '../../../lib/scenario/runScenario.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { setPath } from '../../../lib/scenario/setPath.ts';
import { smallScenario } from './fixtures.ts';

describe('runScenario', () => {
  const s = checkScenario(setPath(smallScenario(), 'until', '100ms'));

  it('a scenario plus a seed reproduces a run exactly; another seed gives another run', () => {
    const a = runScenario(s), b = runScenario(s), c = runScenario(s, { seed: 4 });
    expect(a.summary.events).to.be.greaterThan(50);
    expect(b.summary).to.deep.equal(a.summary);
    const log = (o: typeof a) => JSON.stringify([...o.history.engine.log.envelopes()]);
    expect(log(b)).to.equal(log(a));
    expect(c.summary.finalHash).to.not.equal(a.summary.finalHash);
    expect(log(c)).to.not.equal(log(a));
  });

  it('cost overrides reach the model', () => {
    const slow = checkScenario({ ...setPath(smallScenario(), 'until', '100ms'), costs: { isolatePerPageblock: '1ms' } });
    const a = runScenario(s).summary.metrics, b = runScenario(slow).summary.metrics;
    expect(a['alloc.done']).to.be.greaterThan(0);
    // each request isolates at least one pageblock: 1 ms instead of the default 2 us
    expect(b['alloc.latency.p50'] - a['alloc.latency.p50']).to.be.greaterThan(0.99e6);
  });

  it('stops at until and counts every workload event it meant to emit', () => {
    const o = runScenario(s, { until: 50e6 });
    expect(o.summary.simTimeNs).to.equal(50e6);
    expect(o.history.engine.log.timeOf(o.history.lastSeq)).to.be.at.most(50e6);
    const m = o.summary.metrics;
    expect(m['workload.emitted'] + m['workload.undeliverable']).to.be.greaterThan(10);
  });

  it('a bound on events stops the run and says so', () => {
    const o = runScenario(s, { maxEvents: 25, onProgress: () => {} });
    expect(o.summary.events).to.equal(25);
    expect(o.summary.stopReason).to.equal('maxEvents');
  });

  it('fatal assertions fail the run; non-fatal ones only warn', () => {
    const fatal = checkScenario({ ...smallScenario(), assertions: [{ metric: 'events', op: '<', value: 5 }] });
    const warn = checkScenario({ ...smallScenario(), assertions: [{ metric: 'events', op: '<', value: 5, fatal: false }] });
    const r1 = runScenario(fatal).summary, r2 = runScenario(warn).summary;
    expect(r1.assertions[0]).to.include({ ok: false, fatal: true });
    expect(isFatal(r1)).to.equal(true);
    expect(isFatal(r2)).to.equal(false);
  });

  it('assertions on what the kernel shows: an area\'s sysfs/debugfs files and meminfo (models/cma/stats.ts)', () => {
    const base = setPath(smallScenario(), 'until', '100ms');
    const sc = checkScenario({ ...base, assertions: [
      { metric: 'cma.r.count', op: '==', value: 4096 },
      { metric: 'cma.r.used', op: '>', value: 0, when: 'always', fatal: false },
      { metric: 'cma.v.maxchunk', op: '==', value: 2048 },
      { metric: 'meminfo.CmaTotal', op: '==', value: (4096 + 2048) * 4 },
      { metric: 'cma.r.alloc_pages_success', op: '>', value: 0 },
    ] });
    const [count, usedAlways, maxchunk, total, success] = runScenario(sc).summary.assertions;
    expect([count.ok, maxchunk.ok, total.ok, success.ok]).to.deep.equal([true, true, true, true]);
    // Nothing is allocated at t = 0, so 'used > 0 always' breaks on the first event.
    expect(usedAlways).to.include({ ok: false, value: 0 });
    expect(() => checkScenario({ ...base, assertions: [{ metric: 'cma.video.used', op: '>', value: 0 }] }))
      .to.throw(/assertions\[0\]\.metric: expected a metric name .*cma\.<area>\.<.*got "cma\.video\.used"/);
    expect(() => checkScenario({ ...base, assertions: [{ metric: 'cma.r.usd', op: '>', value: 0 }] })).to.throw(/did you mean 'cma\.r\.used'/);
  });

  it("an 'always' assertion reports the first time it broke", () => {
    const sc = checkScenario({ ...smallScenario(), assertions: [{ metric: 'events', op: '<=', value: 10, when: 'always' }] });
    const r = runScenario(sc).summary.assertions[0];
    expect(r.ok).to.equal(false);
    expect(r.value).to.equal(11);
    expect(r.at).to.be.a('number');
  });

  it('with invariant checking on, a clean run reports no violation', () => {
    const small = setPath(setPath(smallScenario(), 'machine.ram', '32M'), 'workload[1].rate', 10_000);
    const o = runScenario(checkScenario({ ...small, cma: { areas: [{ name: 'r', size: '8M' }, { name: 'v', size: '4M' }] } }), { checkInvariants: true, until: 3e6 });
    expect(o.summary.events).to.be.greaterThan(10);
    expect(o.summary.violations).to.deep.equal([]);
    expect(o.summary.stopReason).to.equal('until');
    // The full walk after every event (run --check full) agrees, and changes nothing of the run.
    const full = runScenario(checkScenario({ ...small, cma: { areas: [{ name: 'r', size: '8M' }, { name: 'v', size: '4M' }] } }), { checkInvariants: true, checkFull: true, until: 3e6 });
    expect(full.summary).to.deep.equal(o.summary);
  });
});
