import { expect } from 'chai';
import { createInitialState } from '../../../models/initialState.ts';
import type { CmaConfig } from '../../../models/cma/createCmaState.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import { holdShared, withinPass } from '../../../models/timing/sharedLocks.ts';
import { fillPageCache, req, world } from '../cma/world.ts';

/** Three 4 MiB areas in one zone, full of page cache; one 1024-page allocation per area at t=0 ('per-area' locks). */
function race(costs: Record<string, number> = {}, which = [0, 1, 2]): RequestRecord[] {
  const cma: CmaConfig = { lockMode: 'per-area', discardClean: false, costs, areas: [0, 1, 2].map((i) => ({ name: `a${i}`, size: '4M' })) };
  const s = fillPageCache(createInitialState({ machine: { memory: '32M' }, cma }), 7_500);
  const { engine, violations } = world(s);
  which.forEach((i) => engine.inject(req({ area: `a${i}`, count: 512, align: 9, requester: `dev${i}`, pid: 100 + i }), 0));
  engine.run();
  expect(violations).to.deep.equal([]);
  return which.map((_, k) => engine.state.model.cma.requests[k + 1] as RequestRecord);
}

describe('models/timing/sharedLocks: the zone and LRU locks allocations in different areas share', () => {
  it('a lock is a FIFO server: a second holder waits for the first one\'s section only', () => {
    const l = { zone: 0, lru: 0 };
    expect(holdShared(l, 100, 50, 30)).to.equal(0); // LRU [100, 130), zone [130, 180)
    expect(l).to.deep.equal({ zone: 180, lru: 130 });
    expect(holdShared(l, 110, 50, 30)).to.equal(20 + 20); // LRU free at 130; zone wanted at 160, free at 180
    expect(l).to.deep.equal({ zone: 230, lru: 160 });
    expect(holdShared(l, 1000, 0, 0)).to.equal(0);
    expect(l).to.deep.equal({ zone: 230, lru: 160 });
  });

  it('a pass holds the locks within its own work, so it never waits for its own last section', () => {
    expect(withinPass(1000, 300, 200)).to.deep.equal([300, 200]);
    expect(withinPass(131, 100, 100)).to.deep.equal([65, 65]); // one dropped page: 131 ns of work
  });

  // 6.15+ per-area alloc_mutex lets the three run in parallel (mm/cma.c), but they still meet on
  // zone->lock and the LRU lock (mm/page_alloc.c, mm/compaction.c isolate_migratepages_block).
  it("'per-area': concurrent allocations in three areas wait for each other's zone and LRU sections", () => {
    const alone = race({}, [0])[0];
    expect(alone.attempts[0].sharedLockWaitNs).to.equal(0); // alone, nobody holds them
    const rs = race();
    for (const r of rs) expect(r.status).to.equal('done');
    const waits = rs.map((r) => r.attempts[0].sharedLockWaitNs!);
    // Started together: the first takes the locks at once, the second queues behind it, the third behind both.
    expect(waits[0]).to.equal(0);
    expect(waits[1]).to.be.above(0);
    expect(waits[2]).to.be.above(waits[1]);
    const lat = rs.map((r) => r.finishedAt! - r.submittedAt);
    expect(lat[2]).to.be.above(lat[0]);
  });

  it('with the hold costs at 0 (the switch) nobody waits', () => {
    const rs = race({ zoneLockPerPage: 0, lruLockPerPage: 0 });
    expect(rs.map((r) => r.attempts[0].sharedLockWaitNs)).to.deep.equal([0, 0, 0]);
  });
});
