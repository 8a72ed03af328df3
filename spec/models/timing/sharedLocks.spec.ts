import { expect } from 'chai';
import { createInitialState } from '../../../models/initialState.ts';
import type { CmaConfig } from '../../../models/cma/createCmaState.ts';
import type { LockMode } from '../../../models/cma/state.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import { decompose, DECOMPOSITION_PARTS } from '../../../lib/report/decomposition.ts';
import { perfettoEvents } from '../../../lib/report/perfettoTrace.ts';
import { smallRun } from '../../fixtures/report/smallRun.ts';
import { DEFAULT_COSTS } from '../../../models/timing/costs.ts';
import type { CpuConfig } from '../../../models/timing/cpu.ts';
import { holdDrain, holdShared, withinPass } from '../../../models/timing/sharedLocks.ts';
import { fillPageCache, req, world } from '../cma/world.ts';

/** Three 4 MiB areas in one zone, full of page cache; one 512-page allocation per area at t=0. */
function race(costs: Record<string, number> = {}, which = [0, 1, 2], lockMode: LockMode = 'per-area', cpu?: CpuConfig): RequestRecord[] {
  const cma: CmaConfig = { lockMode, discardClean: false, costs, areas: [0, 1, 2].map((i) => ({ name: `a${i}`, size: '4M' })) };
  const s = fillPageCache(createInitialState({ machine: { memory: '32M' }, cma, ...(cpu ? { cpu } : {}) }), 7_500);
  const { engine, violations } = world(s);
  which.forEach((i) => engine.inject(req({ area: `a${i}`, count: 512, align: 9, requester: `dev${i}`, pid: 100 + i }), 0));
  engine.run();
  expect(violations).to.deep.equal([]);
  return which.map((_, k) => engine.state.model.cma.requests[k + 1] as RequestRecord);
}

const drainWaits = (rs: RequestRecord[]) => rs.map((r) => r.attempts[0].drainLockWaitNs ?? 0);

describe('models/timing/sharedLocks: the kernel locks allocations in different areas share', () => {
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
    // Without the drain mutexes the three passes start together and queue on the zone and LRU locks.
    const rs = race({ drain: 0 });
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
    const rs = race({ zoneLockPerPage: 0, lruLockPerPage: 0, drain: 0 });
    expect(rs.map((r) => r.attempts[0].sharedLockWaitNs)).to.deep.equal([0, 0, 0]);
    expect(drainWaits(rs)).to.deep.equal([0, 0, 0]);
  });

  it('the drain mutexes are one FIFO server: a drain waits while another allocation\'s drain runs', () => {
    const l: { drain: readonly number[] } = { drain: [] };
    expect(holdDrain(l, 0, 100, 20)).to.equal(0);
    expect(holdDrain(l, 0, 105, 20)).to.equal(15); // starts at 120
    expect(holdDrain(l, 0, 105, 20)).to.equal(35); // behind both
    expect(l.drain).to.deep.equal([100, 120, 120, 140, 140, 160]);
    expect(holdDrain(l, 0, 500, 0)).to.equal(0); // no drain, no mutex
    expect(holdDrain(l, 130, 500, 10)).to.equal(0); // holds over by now are dropped
    expect(l.drain).to.deep.equal([120, 140, 140, 160, 500, 510]);
  });

  it('a drain reserved later but starting earlier takes the mutex in a gap before the holds already reserved', () => {
    const l: { drain: readonly number[] } = { drain: [] };
    expect(holdDrain(l, 0, 1_000, 100)).to.equal(0); // a large allocation: its drain starts after a long isolation
    expect(holdDrain(l, 50, 60, 25)).to.equal(0); // a small one isolating later drains first: nobody holds the mutex yet
    expect(holdDrain(l, 60, 70, 25)).to.equal(15); // behind the small one, and it still fits before the large one
    expect(holdDrain(l, 60, 950, 100)).to.equal(150); // too long for the gap before 1,000: after the large one
    expect(l.drain).to.deep.equal([60, 85, 85, 110, 1_000, 1_100, 1_100, 1_200]);
    expect(holdDrain({ drain: 300 as unknown as readonly number[] }, 0, 100, 10)).to.equal(200); // a state from before the holds were kept: busy until 300
  });

  it("'per-area' (6.15): a small allocation whose drain comes before a large one's does not wait for it", function () {
    this.timeout(20_000);
    const run = (withLarge: boolean): RequestRecord => {
      const cma: CmaConfig = { lockMode: 'per-area', discardClean: false, areas: [{ name: 'big', size: '256M' }, { name: 'small', size: '4M' }] };
      const { engine, violations } = world(createInitialState({ machine: { memory: '512M' }, cma }));
      if (withLarge) engine.inject(req({ area: 'big', count: 65_536, requester: 'large' }), 0);
      engine.inject(req({ area: 'small', count: 512, align: 9, requester: 'small' }), 50_000);
      engine.run();
      expect(violations).to.deep.equal([]);
      return Object.values(engine.state.model.cma.requests as Readonly<Record<string, RequestRecord>>).find((r) => r.requester === 'small')!;
    };
    const alone = run(false), shared = run(true);
    expect(shared.status).to.equal('done');
    expect(shared.attempts[0].drainLockWaitNs ?? 0).to.equal(0);
    expect(shared.finishedAt! - shared.submittedAt).to.equal(alone.finishedAt! - alone.submittedAt);
  });

  // Linux 6.15 mm/page_alloc.c alloc_contig_range: drain_all_pages(cc.zone) after isolation, under the
  // global pcpu_drain_mutex, which a zone-specific caller waits for; then
  // __alloc_contig_migrate_range -> lru_cache_disable (mm/swap.c) -> __lru_add_drain_all(true) under
  // lru_add_drain_all's global mutex, forced, so it never skips on another caller's generation.
  it("'per-area' (6.15): three allocations started together drain one after another, whatever their areas", () => {
    expect(drainWaits(race({}, [0]))).to.deep.equal([0]);
    const rs = race();
    const d = DEFAULT_COSTS.drain; // no CPU contention here: the drain's wall time is its cost
    expect(drainWaits(rs)).to.deep.equal([0, d, 2 * d]);
    // The decomposition puts the wait with the shared-lock waits, not in isolation work, and still sums to the latency.
    for (const [k, r] of rs.entries()) {
      const parts = decompose(r);
      expect(parts.isolation).to.equal(DEFAULT_COSTS.isolatePerPageblock + d);
      expect(parts.zoneLruWait).to.equal(r.attempts[0].sharedLockWaitNs! + k * d);
      expect(DECOMPOSITION_PARTS.reduce((s, p) => s + parts[p], 0)).to.equal(r.finishedAt! - r.submittedAt);
    }
    // The Perfetto trace still nests the migration parts in each migration slice: the drain wait is isolation's, not migration's.
    const slices = perfettoEvents({ ...smallRun, requests: rs }).filter((e) => e.cat === 'decomposition');
    for (const r of rs) expect(slices.some((e) => (e.args as { request: number }).request === r.id)).to.equal(true);
  });

  it('the drain mutexes are sleeping locks: under CPU contention the holder\'s drain stretches, and so does the next one\'s wait', () => {
    // 1 CPU, 1 background thread: 2 runnable, every CPU-bound step takes twice its cost.
    expect(drainWaits(race({}, [0, 1, 2], 'per-area', { cpus: 1, load: 1 }))).to.deep.equal([0, 2 * DEFAULT_COSTS.drain, 4 * DEFAULT_COSTS.drain]);
  });

  it("under the global mutex (3.5) or 'split' (3.17-6.14) alloc_contig_range never runs twice at once: no drain waits", () => {
    expect(drainWaits(race({}, [0, 1, 2], 'global'))).to.deep.equal([0, 0, 0]);
    expect(drainWaits(race({}, [0, 1, 2], 'split'))).to.deep.equal([0, 0, 0]);
  });

  // Linux 6.15: __alloc_contig_migrate_range migrates to alloc_migration_target (mm/migrate.c), which
  // allocates on the area's node with no nodemask and a movable GFP mask
  // (__alloc_contig_verify_gfp_mask adds __GFP_MOVABLE), so ALLOC_CMA is set and __rmqueue
  // (mm/page_alloc.c, 5.7+) takes MIGRATE_CMA pages first when they are more than half of the zone's
  // free pages. Only MIGRATE_ISOLATE pageblocks are off limits: another area's free pages are not.
  it('a first allocation\'s targets land in another area not yet isolated, which then migrates them again', function () {
    this.timeout(20_000);
    const run = (first: boolean): RequestRecord[] => {
      const cma: CmaConfig = { lockMode: 'per-area', discardClean: false, areas: [0, 1].map((i) => ({ name: `a${i}`, size: '4M' })) };
      const { engine, violations } = world(fillPageCache(createInitialState({ machine: { memory: '32M' }, cma }), 7_500));
      // Empty a1 (take it whole, give it back): its 1,024 free CMA pages are most of the zone's free memory.
      engine.inject(req({ area: 'a1', count: 1024 }), 0);
      engine.inject({ type: 'cma.release', chunk: 1 }, 50_000_000);
      if (first) engine.inject(req({ area: 'a0', count: 512, align: 9 }), 100_000_000);
      engine.inject(req({ area: 'a1', count: 1024, requester: 'late' }), 200_000_000);
      engine.run();
      expect(violations).to.deep.equal([]);
      return Object.values(engine.state.model.cma.requests as Readonly<Record<string, RequestRecord>>).sort((a, b) => a.id - b.id);
    };
    const late = (rs: RequestRecord[]) => rs.find((r) => r.requester === 'late')!;
    expect(late(run(false)).attempts[0].migrated).to.equal(0); // a1 is free: nothing to move
    const rs = run(true);
    expect(rs.map((r) => r.status)).to.deep.equal(['done', 'done', 'done']);
    expect(rs[1].attempts[0].migrated).to.equal(512);
    const again = late(rs).attempts[0].migrated;
    expect(again).to.be.above(0).and.at.most(512); // a0's pages, moved into a1, moved out once more
  });
});
