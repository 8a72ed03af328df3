import { expect } from 'chai';
import { compareRuns } from '../../../lib/trace/compareRuns.ts';
import { formatDivergence } from '../../../lib/trace/formatDivergence.ts';
import { areasFromDmesg } from '../../../lib/trace/traceAreas.ts';
import { fixtureText, realTrace, simRecordOf, REAL_TRACES } from './fixtures.ts';
import { replayRealTrace } from './modelRun.ts';

describe('compareRuns', () => {
  for (const name of REAL_TRACES) {
    it(`${name}: a simulation that did what the trace did agrees on everything`, () => {
      const t = realTrace(name);
      const areas = areasFromDmesg(fixtureText(name, 'dmesg.txt'));
      const report = compareRuns(t.requests, t.requests.map((r) => simRecordOf(r)), { areas });
      expect(report.compared).to.equal(t.requests.length);
      expect(report.outcomeAgree).to.equal(t.requests.length);
      expect(report.placementAgree).to.equal(report.placementCompared);
      expect(report.placementCompared).to.equal(t.requests.filter((r) => r.ok).length);
      expect(report.firstDivergence).to.equal(null);
      expect(report.latencyRatio).to.include({ n: t.requests.length, min: 1, max: 1, p50: 1 });
      expect(formatDivergence(report)).to.include('no divergence');
    });
  }

  it('compares pfns relative to each side\'s area base', () => {
    const t = realTrace('smoke-3g-misaligned');
    const areas = areasFromDmesg(fixtureText('smoke-3g-misaligned', 'dmesg.txt'));
    const shift = 0x10000; // the simulation put both areas 256 MiB higher
    const simAreas = areas.map((a) => ({ ...a, base: a.base + shift * 4096 }));
    const sims = t.requests.map((r) => simRecordOf(r, r.ok ? { pfn: r.pfn + shift } : {}));
    const report = compareRuns(t.requests, sims, { areas, simAreas });
    expect(report.rows[0].trace.pfn).to.equal(0);
    expect(report.placementAgree).to.equal(report.placementCompared);
  });

  it('finds the first divergence, with context, and counts agreement', () => {
    const t = realTrace('boot-and-hugetlb-1');
    const areas = areasFromDmesg(fixtureText('boot-and-hugetlb-1', 'dmesg.txt'));
    const sims = t.requests.map((r, i) => {
      if (i === 5) return simRecordOf(r, { pfn: r.pfn + 8, finishedAt: r.start + 2 * r.latency! });
      if (i === 9) return simRecordOf(r, { status: 'failed', pfn: null, errno: -16, retries: 3 });
      return simRecordOf(r, { finishedAt: r.start + r.latency! / 2 });
    });
    const report = compareRuns(t.requests, sims, { areas });
    expect(report.firstDivergence!.index).to.equal(5);
    expect(report.firstDivergence!.context.map((r) => r.index)).to.deep.equal([3, 4, 5, 6, 7]);
    expect(report.rows[5]).to.include({ divergence: 'placement', latencyRatio: 2 });
    expect(report.rows[9]).to.include({ divergence: 'outcome' });
    expect(report.outcomeAgree).to.equal(t.requests.length - 1);
    expect(report.placementAgree).to.equal(report.placementCompared - 1);
    expect(report.retriesAgree).to.equal(t.requests.length - 1);
    expect(report.latencyRatio.p50).to.equal(0.5);
    expect(report.latencyRatio.max).to.equal(2);
    const text = formatDivergence(report);
    expect(text).to.match(/first divergence at request #5 \(placement\): trace placed it at \+0x30c, simulation at \+0x314 \[trace time 12\.448262 s, after marker 'kt: load virtio modules'\]/);
    expect(text).to.include(`placement agrees: ${report.placementCompared - 1}/${report.placementCompared}`);
    // The trace has no busy retries: a placement difference is a model bug, and the report says so.
    expect(text).to.include('MODEL BUG');
    expect(text.split('\n').filter((l) => /^[ >] #/.test(l))).to.have.length(5);
  });

  it('flags a simulated request that is not the traced one, and missing requests', () => {
    const t = realTrace('smoke-3g-misaligned');
    const sims = t.requests.slice(0, 3).map((r) => simRecordOf(r));
    sims[1] = simRecordOf(t.requests[1], { count: 999 });
    const report = compareRuns(t.requests, sims, { areas: [] });
    expect(report.rows[1].divergence).to.equal('request');
    expect(report.rows[5].divergence).to.equal('missing');
    expect(report.compared).to.equal(2);
  });

  describe('replaying the real traces through the model', () => {
    // The traces have no busy retries, so placement depends only on the bitmap allocator and the
    // request sequence (reference §2, mm/cma.c first fit): every placement must agree, and any
    // difference is a model bug. The 1 GiB request of smoke-3g-misaligned must fail as in 6.1.
    for (const name of REAL_TRACES) {
      it(`${name}: 100% of placements and outcomes agree`, () => {
        const t = realTrace(name);
        const { areas, requests } = replayRealTrace(name);
        expect(t.requests.every((r) => r.busyRetries === 0)).to.equal(true);
        const report = compareRuns(t.requests, requests, { areas });
        const text = formatDivergence(report);
        expect(report.compared, text).to.equal(t.requests.length);
        expect(report.placementAgree, text).to.equal(report.placementCompared);
        expect(report.outcomeAgree, text).to.equal(t.requests.length);
        expect(report.firstDivergence, text).to.equal(null);
      });
    }
  });
});
