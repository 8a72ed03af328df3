import { expect } from 'chai';
import { ERRNO, type RequestRecord } from '../../../models/cma/request.ts';
import { boot, fillPageCache, firstPagecache, pinEvent, req, world } from './world.ts';

/**
 * One request of `count` pages, aligned as dma_alloc_from_contiguous aligns it (order of the size,
 * capped at CONFIG_CMA_ALIGNMENT = 8), from a 16 MiB area full of page cache with three short-term
 * pinned pages 1300 pages apart, under the 3.17 profile.
 */
function request(count: number): RequestRecord {
  let s = fillPageCache(boot({ areas: [{ name: 'v', size: '16M' }] }, { memory: '64M' }, '3.17'), 15_000);
  const base = s.cma.areas.v.basePfn;
  const pins = [100, 1400, 2700].map((off, i) => pinEvent(s, firstPagecache(s, base + off, base + off + 50), `gup${i}`));
  const { engine, violations } = world(s);
  pins.forEach((e) => engine.inject(e, 0));
  engine.inject(req({ area: 'v', count, align: Math.min(Math.ceil(Math.log2(count)), 8) }), 1);
  engine.run();
  expect(violations).to.deep.equal([]);
  s = engine.state.model;
  return s.cma.requests[1] as RequestRecord;
}

// mm/cma.c cma_alloc (3.17): an -EBUSY attempt clears its bits and the search restarts at
// bitmap_no + mask + 1, so a larger range meets a pinned page more often and slides past it only in
// steps of the alignment; each failed attempt's isolation and passes are time spent for nothing.
describe('models/cma: -EBUSY retries of larger requests (mm/cma.c cma_alloc, 3.17)', () => {
  let small: RequestRecord, large: RequestRecord;
  before(() => { small = request(512); large = request(2048); });

  it('512 pages find a clean range at the second candidate; 2048 pages meet a pin at every 256-page step and fail', () => {
    expect(small).to.include({ status: 'done', retries: 1 });
    const base = small.attempts[0].pfn;
    expect(small.attempts.map((a) => a.pfn - base)).to.deep.equal([0, 256]);
    // [0, 2048) holds the pin at 100; every later start k * 256 up to 2048 holds 1400 or 2700.
    expect(large).to.include({ status: 'failed', errno: ERRNO.EBUSY });
    expect(large.attempts.map((a) => a.pfn - base)).to.deep.equal([0, 256, 512, 768, 1024, 1280, 1536, 1792, 2048]);
    expect(large.attempts.every((a) => a.result === ERRNO.EBUSY)).to.equal(true);
  });

  it('a failed attempt loses its time but not its moves: the pages it moved out stay out, so no page of the area moves twice', () => {
    const moved = (r: RequestRecord) => r.attempts.reduce((n, a) => n + a.migrated + a.dropped, 0);
    expect(moved(large)).to.be.at.most(4096); // the nine candidates together cover the area once
    expect(moved(large)).to.be.above(moved(small));
    // So the time grows with the pages the candidates cover, not with attempts x pages.
    const latency = (r: RequestRecord) => r.finishedAt! - r.submittedAt;
    expect(latency(large) / latency(small)).to.be.below(9);
  });
});
