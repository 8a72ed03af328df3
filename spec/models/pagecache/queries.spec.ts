import { expect } from 'chai';
import { pagecacheOf, pfnOfFilePage } from '../../../models/mm/contig.ts';
import { runChecked, simState } from '../memory/sim.ts';

describe('models/pagecache/queries', () => {
  it('maps file pages to pfns and back, in LRU order', () => {
    const { state } = runChecked(simState({ memory: '16M' }), [{ type: 'pagecache.fault', file: 'f', index: 100, count: 3 }, { type: 'pagecache.fault', file: 'g', index: 0 }]);
    const pfn = pfnOfFilePage(state, 'f', 101);
    expect(pagecacheOf(state, pfn)).to.deep.equal({ file: 'f', index: 101, lruPos: 1 });
    expect(pagecacheOf(state, pfnOfFilePage(state, 'g', 0))!.lruPos).to.equal(3);
    expect(pfnOfFilePage(state, 'f', 99)).to.equal(-1);
    expect(pfnOfFilePage(state, 'nofile', 0)).to.equal(-1);
    expect(pagecacheOf(state, 4095 - 0)).to.equal(null);
  });
});
