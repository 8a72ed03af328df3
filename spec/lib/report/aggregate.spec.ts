import { expect } from 'chai';
import { aggregate, requestRow } from '../../../lib/report/aggregate.ts';
import { EVIL, requests, smallRun } from '../../fixtures/report/smallRun.ts';

describe('report/aggregate', () => {
  it('splits a request: latency, phases, page outcomes summed over attempts', () => {
    const r = requestRow(requests[1]);
    expect(r.latency).to.equal(1200_000);
    expect(r.phases.lockWait + r.phases.search + r.phases.isolation + r.phases.migration + r.phases.finishing).to.equal(r.latency);
    expect([r.migrated, r.dropped, r.busy, r.attempts, r.retries, r.result]).to.deep.equal([72, 4, 3, 2, 1, 'ok']);
  });

  it('names failures by errno and leaves in-flight requests without latency', () => {
    expect(requestRow(requests[2]).result).to.equal('-ENOMEM');
    const inFlight = requestRow(requests[4]);
    expect(inFlight.result).to.equal('in-flight');
    expect(inFlight.latency).to.equal(null);
  });

  it('groups by device, kind, area and lock mode with nearest-rank percentiles', () => {
    const a = aggregate(smallRun);
    expect(a.summary).to.include({ count: 5, ok: 3, inFlight: 1, p50: 335_000, max: 2_090_000 });
    expect(a.summary.failures).to.deep.equal({ '-ENOMEM': 1 });
    expect(a.groups.device.map((g) => g.key)).to.deep.equal([EVIL, 'fimc0', 'mfc']);
    const fimc = a.groups.device[1];
    // two finished latencies [3 µs, 335 µs]: p50 = rank 1, p90 = rank 2
    expect([fimc.p50, fimc.p90, fimc.p99, fimc.max]).to.deep.equal([3000, 335_000, 335_000, 335_000]);
    const mfc = a.groups.device[2];
    expect(mfc.meanLockWait).to.equal((235_000 + 10_000) / 2);
    expect(mfc.inFlight).to.equal(1);
    expect(a.groups.lockMode.map((g) => [g.key, g.count])).to.deep.equal([['global', 4], ['per-area', 1]]);
    expect(a.groups.area.find((g) => g.key === 'camera')!.pages).to.equal(256 + 256 + 64);
  });
});
