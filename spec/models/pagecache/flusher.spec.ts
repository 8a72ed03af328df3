import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import { BLKDEV_MAX_RQ, congestionOn, inFlight } from '../../../models/pagecache/congestion.ts';
import { ROUND_NS } from '../../../models/pagecache/flusher.ts';
import { fillPageCache, world } from '../cma/world.ts';

const US = 1_000;

/**
 * 16 MiB, 40 files of 50 clean cached pages, no periodic writeback; from 0 every other page of
 * each file is dirtied, one page every 100 µs (slower than the device's 39 µs a page), until 1,000
 * pages are dirty (the background threshold is about 300). Each dirty page is its own run, so its own write request. Returns the most
 * requests in flight seen at any event, whether the queue was ever congested, and the flusher.
 */
function dirtying(kernel: SimConfig['kernel']) {
  let s = createInitialState({ machine: { memory: '16M' }, kernel, pagecache: { dirtyExpireNs: null } });
  for (let f = 0; f < 40; f++) s = fillPageCache(s, 50, `f${f}`);
  const { engine, violations } = world(s);
  let i = 0;
  for (let f = 0; f < 40; f++) {
    for (let j = 0; j < 50; j += 2) engine.inject({ type: 'pagecache.dirty', file: `f${f}`, index: j } as SimEvent, 100 * US * i++);
  }
  let most = 0, congested = false, firstFlush = -1;
  engine.events$.subscribe((env) => {
    const bdi = engine.state.model.pagecache.bdi;
    if (bdi !== undefined) {
      most = Math.max(most, inFlight(bdi, env.time));
      congested ||= bdi.congested;
    }
    if (env.event.type === 'pagecache.flush' && firstFlush < 0) firstFlush = env.time;
  });
  engine.run();
  expect(violations).to.deep.equal([]);
  return { most, congested, firstFlush, end: engine.state.model };
}

// fs/fs-writeback.c wb_writeback / writeback_sb_inodes, mm/page-writeback.c over_bground_thresh, block/blk-core.c get_request, v3.17.
describe('models/pagecache/flusher: background writeback of the oldest inodes (3.17)', () => {
  it('a burst of background writeback keeps the request queue full (nr_requests) and congests the device', () => {
    const r = dirtying('3.17');
    expect(r.firstFlush).to.be.above(0); // started when the dirty pages passed the background threshold
    expect(r.most).to.equal(BLKDEV_MAX_RQ);
    expect(r.congested).to.equal(true);
    const f = r.end.pagecache.flusher!;
    expect(f.round).to.equal(null); // stopped once below the threshold
    expect(f.stats.pages).to.be.above(0);
    expect(r.end.pagecache.counts.nrDirty).to.be.below(1_000);
  });

  it('writing each run as it is dirtied (per-run) never fills the queue with the same dirtying', () => {
    const r = dirtying({ version: '3.17', backgroundWriteback: 'per-run' });
    expect(r.end.pagecache.flusher).to.equal(undefined);
    expect(r.most).to.be.below(congestionOn(BLKDEV_MAX_RQ));
    expect(r.congested).to.equal(false);
  });

  it('a round lasts HZ/10 at most before the threshold is checked again', () => {
    expect(ROUND_NS).to.equal(100_000_000);
  });
});
