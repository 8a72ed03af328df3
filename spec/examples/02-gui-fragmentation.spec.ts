import { expect } from 'chai';
import { ALLOCATORS, outcome } from '../../examples/02-gui-fragmentation.ts';

describe('examples/02-gui-fragmentation', () => {
  it('runs one workload over the three allocators; fragmentation fails full-screen buffers, best-fit the least', () => {
    const rows = ALLOCATORS.map(outcome);
    const [bestFit, firstFit, bitmap] = rows;
    // Same seed, same generators: the allocators see the same requests.
    expect(new Set(rows.map((r) => r.requests)).size).to.equal(1);
    for (const r of rows) {
      expect(r.fullscreenFailed, r.allocator).to.be.greaterThan(0);
      // Failures come from fragmentation: enough free pages, no chunk large enough.
      expect(r.fragmentedSamples, r.allocator).to.be.greaterThan(0);
    }
    expect(bestFit.fullscreenFailed).to.be.lessThan(Math.min(firstFit.fullscreenFailed, bitmap.fullscreenFailed));
  });
});
