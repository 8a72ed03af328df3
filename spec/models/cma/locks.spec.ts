import { expect } from 'chai';
import { DEFAULT_COSTS } from '../../../models/timing/costs.ts';
import type { LockMode } from '../../../models/cma/state.ts';
import { produce } from 'immer';
import {
  contigLock, GLOBAL_MUTEX, outerLock, ownerOfTag, ownerTag, release, releaseLock, releaseOwner, requestOwner, searchLock, tryAcquire,
} from '../../../models/cma/locks.ts';
import type { LockState } from '../../../models/cma/state.ts';
import { boot, req, world } from './world.ts';

const areas = [{ name: 'a0', size: '4M' }, { name: 'a1', size: '4M' }, { name: 'a2', size: '4M' }];
const H = DEFAULT_COSTS.lockHandoff;

/** Three equal requests, one per area, all submitted at t = 0; returns finish times and lock waits. */
function race(lockMode: LockMode): { done: number[]; waits: number[]; violations: string[] } {
  const { engine, violations } = world(boot({ lockMode, areas }));
  areas.forEach((a, i) => engine.inject(req({ area: a.name, count: 1024, requester: `dev${i}` }), 0));
  engine.run();
  const rs = [1, 2, 3].map((id) => engine.state.model.cma.requests[id]);
  for (const r of rs) expect(r.status).to.equal('done');
  return { done: rs.map((r) => r.finishedAt!), waits: rs.map((r) => r.phases.lockWait), violations };
}

describe('models/cma/locks (lock manager)', () => {
  it('queues waiters FIFO and hands the lock to the first one', () => {
    const [a1, a2, r7] = [requestOwner(1), requestOwner(2), releaseOwner(7)];
    const locks = produce({} as Record<string, LockState>, (d) => {
      expect(tryAcquire(d, 'm', a1, 0)).to.equal(true);
      expect(tryAcquire(d, 'm', a2, 10)).to.equal(false);
      expect(tryAcquire(d, 'm', r7, 20)).to.equal(false);
      expect(() => tryAcquire(d, 'm', a2, 30)).to.throw('already waiting');
      expect(release(d, 'm', a1, 100)).to.deep.equal({ owner: a2, since: 10 });
      expect(() => release(d, 'm', a1, 100)).to.throw('holder is a2');
    });
    expect(locks.m).to.include({ acquisitions: 2, contended: 2 });
    expect(locks.m.holder).to.deep.equal(a2);
    expect(locks.m.waiters).to.deep.equal([{ owner: r7, since: 20 }]);
  });

  it("spells owners as the cma.lock.acquired event does, and reads them back", () => {
    expect([requestOwner(7), releaseOwner(7), releaseOwner(-4097)].map(ownerTag)).to.deep.equal(['a7', 'r7', 'r-4097']);
    for (const tag of ['a7', 'r7', 'r-4097']) expect(ownerTag(ownerOfTag(tag))).to.equal(tag);
    expect(ownerOfTag('r-4097')).to.deep.equal({ kind: 'release', id: -4097 });
    for (const bad of ['d7', 'a', 'a7x', '']) expect(() => ownerOfTag(bad), bad).to.throw('expected a<request id> or r<chunk id>');
  });

  // Reference §1, locking row: which mutex covers which step in each generation.
  it("maps each lock mode to the kernel generation's locks", () => {
    expect([outerLock('global'), searchLock('global', 'v'), contigLock('global', 'v'), releaseLock('global', 'v')]).to.deep.equal([GLOBAL_MUTEX, null, null, GLOBAL_MUTEX]);
    expect([outerLock('split'), searchLock('split', 'v'), contigLock('split', 'v'), releaseLock('split', 'v')]).to.deep.equal([null, 'v.lock', GLOBAL_MUTEX, 'v.lock']);
    expect([outerLock('per-area'), searchLock('per-area', 'v'), contigLock('per-area', 'v'), releaseLock('per-area', 'v')]).to.deep.equal([null, 'v.lock', 'v.alloc_mutex', 'v.lock']);
    expect([outerLock('series'), searchLock('series', 'v'), contigLock('series', 'v'), releaseLock('series', 'v')]).to.deep.equal([GLOBAL_MUTEX, null, null, GLOBAL_MUTEX]);
  });
});

describe('models/cma/locks (lock modes)', () => {
  const alone = (mode: LockMode): number => {
    const { engine } = world(boot({ lockMode: mode, areas }));
    engine.inject(req({ area: 'a0', count: 1024 }), 0);
    engine.run();
    return engine.state.model.cma.requests[1].finishedAt!;
  };

  // Reference §1: 3.5 held one cma_mutex around search and migration for every area.
  it("'global': equal requests to different areas complete one after another", () => {
    const T = alone('global');
    const { done, waits, violations } = race('global');
    expect(done).to.deep.equal([T, 2 * T + H, 3 * T + 2 * H]);
    expect(waits).to.deep.equal([0, T + H, 2 * T + 2 * H]);
    expect(violations).to.deep.equal([]);
  });

  it('takes the hand-off cost from the scenario when it overrides it', () => {
    const T = alone('global');
    const { engine } = world(boot({ lockMode: 'global', areas, costs: { lockHandoff: 50_000 } }));
    areas.forEach((a) => engine.inject(req({ area: a.name, count: 1024 }), 0));
    engine.run();
    expect(engine.state.model.cma.requests[2].finishedAt).to.equal(2 * T + 50_000);
  });

  // 6.15+: per-area alloc_mutex, so different areas proceed in parallel; what they still share
  // here (empty areas, nothing to migrate) is the global drain mutexes of alloc_contig_range
  // (6.15 mm/page_alloc.c drain_all_pages, mm/swap.c lru_cache_disable; timing/sharedLocks.ts).
  it("'per-area': the same requests overlap and finish at the single-request time but for the drains they queue for", () => {
    const T = alone('per-area');
    const { done, waits, violations } = race('per-area');
    const D = DEFAULT_COSTS.drain;
    expect(done).to.deep.equal([T, T + D, T + 2 * D]);
    expect(waits).to.deep.equal([0, 0, 0]); // no CMA lock wait
    expect(violations).to.deep.equal([]);
  });

  // ~3.17-6.14: the bitmap lock is per area but alloc_contig_range runs under the global cma_mutex.
  it("'split': searches overlap, alloc_contig_range is serialised", () => {
    const T = alone('split');
    const { engine, violations } = world(boot({ lockMode: 'split', areas }));
    areas.forEach((a, i) => engine.inject(req({ area: a.name, count: 1024, requester: `dev${i}` }), 0));
    engine.run();
    const rs = [1, 2, 3].map((id) => engine.state.model.cma.requests[id]);
    // Each search ran at once under its own area's lock; the contig part (T - search) queued on cma_mutex.
    const search = rs[0].phases.search;
    expect(rs.map((r) => r.phases.search)).to.deep.equal([search, search, search]);
    const contig = T - search;
    expect(rs.map((r) => r.finishedAt)).to.deep.equal([T, T + H + contig, T + 2 * (H + contig)]);
    expect(violations).to.deep.equal([]);
  });

  // The series' one mutex also covered cm_free: a release waits behind a running allocation.
  it("'series': a release waits for the allocation holding the mutex, 'per-area' does not", () => {
    const finish = (mode: LockMode): { release: number; alloc: number } => {
      const { engine, violations } = world(boot({ lockMode: mode, areas }));
      engine.inject(req({ area: 'a0', count: 256 }), 0);
      engine.run();
      const t0 = engine.now + 1000;
      engine.inject(req({ area: 'a1', count: 1024 }), t0);
      engine.inject({ type: 'cma.release', chunk: 1 }, t0 + 1);
      const at: Record<string, number> = {};
      engine.events$.subscribe((e) => { if (e.event.type === 'cma.release.done' || e.event.type === 'cma.alloc.done') at[e.event.type] = e.time; });
      engine.run();
      expect(violations).to.deep.equal([]);
      return { release: at['cma.release.done'], alloc: at['cma.alloc.done'] };
    };
    const series = finish('series');
    expect(series.release).to.be.above(series.alloc);
    const perArea = finish('per-area');
    expect(perArea.release).to.be.below(perArea.alloc);
  });

  it('records each phase as a span with the locks held, end to end, summing to the phase times', () => {
    const { engine } = world(boot({ lockMode: 'global', areas }));
    areas.forEach((a, i) => engine.inject(req({ area: a.name, count: 1024, requester: `dev${i}` }), 0));
    engine.run();
    for (const id of [1, 2, 3]) {
      const r = engine.state.model.cma.requests[id];
      expect(r.spans.length).to.be.greaterThan(0);
      expect(r.spans[0].start).to.equal(r.submittedAt);
      expect(r.spans[r.spans.length - 1].end).to.equal(r.finishedAt);
      for (let i = 1; i < r.spans.length; i++) expect(r.spans[i].start).to.equal(r.spans[i - 1].end);
      const sums: Record<string, number> = {};
      for (const s of r.spans) sums[s.phase] = (sums[s.phase] ?? 0) + s.end - s.start;
      for (const [phase, ns] of Object.entries(r.phases)) expect(sums[phase] ?? 0, `${id} ${phase}`).to.equal(ns);
      // Under 'global' the cma_mutex is held from the search to the end (reference §1, locking row).
      expect(r.spans.filter((s) => s.phase !== 'lockWait').every((s) => s.locks.includes(GLOBAL_MUTEX))).to.equal(true);
    }
    // The second request waited for the first: its first span is a lock wait holding nothing.
    expect(engine.state.model.cma.requests[2].spans[0]).to.include({ phase: 'lockWait' });
    expect(engine.state.model.cma.requests[2].spans[0].locks).to.deep.equal([]);
  });
});
