import { expect } from 'chai';
import { busyOutcome, DISPLAY_AREA, scenario } from '../../examples/05-mainline-busy-retries.ts';
import { runExample } from '../../examples/exampleRun.ts';

describe('examples/05-mainline-busy-retries', () => {
  it('boots cma=256M plus the DT display area; short-term pins cost -EBUSY retries', () => {
    const run = runExample(scenario);
    const areas = run.state.cma.areas;
    expect(areas.reserved.count * 4096).to.equal(256 * 2 ** 20);
    expect(areas[DISPLAY_AREA]).to.deep.include({ basePfn: 0x68000000 / 4096, count: (64 * 2 ** 20) / 4096 });
    // The display's buffers come from its own (device-tree) area, the others from the default one.
    const placed = run.state.devices.counters.placedBy;
    expect(placed[`cma:${DISPLAY_AREA}`]).to.be.greaterThan(0);
    expect(placed['cma:reserved']).to.be.greaterThan(0);
    const o = busyOutcome(run);
    expect(o.failed).to.equal(0);
    // mm/cma.c: -EBUSY from alloc_contig_range makes cma_alloc retry at the next candidate.
    expect(o.retries).to.be.greaterThan(0);
    expect(o.busyAttempts).to.equal(o.retries);
    expect(o.withRetry.p50).to.be.greaterThan(o.withoutRetry.p50);
  });
});
