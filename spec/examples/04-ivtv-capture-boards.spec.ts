import { expect } from 'chai';
import { boards, scenarios } from '../../examples/04-ivtv-capture-boards.ts';
import { runExample } from '../../examples/exampleRun.ts';

describe('examples/04-ivtv-capture-boards', () => {
  it('with dma/ivtv=500M every board opens; without it the fragmented buddy allocator fails them', () => {
    const withRegion = boards(runExample(scenarios.reserved).state);
    expect(withRegion.map((b) => b.failed)).to.deep.equal([0, 0, 0, 0]);
    expect(withRegion.every((b) => b.ready === 40)).to.equal(true);
    const without = boards(runExample(scenarios.none).state);
    const failed = without.reduce((a, b) => a + b.failed, 0);
    expect(failed).to.be.greaterThan(100);
    // 4 MiB is order 10: dma-direct's only fallback is the buddy allocator, and it has no such block left.
    expect(without[3].firstError).to.equal('ivtv3/yuv0: no memory (buddy: no free order-10 block)');
  });
});
