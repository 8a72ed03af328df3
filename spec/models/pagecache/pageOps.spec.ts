import { expect } from 'chai';
import { pfnOfFilePage } from '../../../models/pagecache/queries.ts';
import { CHUNK } from '../../../models/pagecache/state.ts';
import { recEntries, type Grouped } from '../../../models/memory/recOverlay.ts';
import { runChecked, simState } from '../memory/sim.ts';

const chunkKeys = (chunks: Grouped<readonly number[]>): string[] => [...recEntries(chunks)].map(([k]) => String(k));

describe('models/pagecache/pageOps', () => {
  it("drops a file's index chunk once none of its pages is cached, so the map follows the cache, not the file's length", () => {
    const { state } = runChecked(simState({ memory: '16M', minFreeKbytes: 0 }), [
      { type: 'pagecache.fault', file: 'f', index: 0, count: 3 * CHUNK },
      { type: 'pagecache.evict', file: 'f', index: 0, count: CHUNK + 5 },
    ]);
    const f = state.pagecache.files.f;
    expect(chunkKeys(f.chunks)).to.deep.equal(['1', '2']);
    expect(f.nrPages).to.equal(2 * CHUNK - 5);
    expect(pfnOfFilePage(state, 'f', CHUNK + 4)).to.equal(-1);
    expect(pfnOfFilePage(state, 'f', CHUNK + 5)).to.be.at.least(0);
    const again = runChecked(state, [{ type: 'pagecache.fault', file: 'f', index: 3, count: 1 }]).state;
    expect(chunkKeys(again.pagecache.files.f.chunks).sort()).to.deep.equal(['0', '1', '2']);
    expect(again.pagecache.stats.misses).to.equal(3 * CHUNK + 1);
  });
});
