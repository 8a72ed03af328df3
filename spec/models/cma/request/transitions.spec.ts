import { expect } from 'chai';
import path from 'node:path';
import { SimulationError } from '../../../../lib/engine/index.ts';
import { pageState } from '../../../../models/mm/contig.ts';
import { ERRNO } from '../../../../models/cma/request.ts';
import type { RequestStatus } from '../../../../models/cma/request/status.ts';
import { REQUEST_TRANSITIONS } from '../../../../models/cma/request/transitions.ts';
import type { LockMode } from '../../../../models/cma/state.ts';
import type { SimState } from '../../../../models/state.ts';
import { withoutFlusher } from '../../memory/sim.ts';
import { cyclesOf, importGraph } from '../../importGraph.ts';
import { expectClosed, readmeRowsOf, rowsOf } from '../transitionTables.ts';
import { boot, fillPageCache, firstPagecache, pageRef, pinEvent, req, world } from '../world.ts';

describe('models/cma/request (search and contig, end to end)', () => {
  it('allocates from a shared area full of page cache: every movable page dropped or migrated, invariants on', () => {
    for (const discardClean of [true, false]) {
      let s = boot({ discardClean, areas: [{ name: 'video', size: '4M' }] });
      s = fillPageCache(s, 3_300); // 13 of 16 MiB; 'balance' then also fills the CMA area
      const base = s.cma.areas.video.basePfn;
      let inArea = 0;
      for (let p = base; p < base + 512; p++) if (pageState(s, p).kind === 'pagecache') inArea++;
      expect(inArea).to.equal(512);
      const { engine, violations } = world(s);
      engine.inject(req({ area: 'video', count: 512, align: 4 }), 0);
      engine.run({ maxEvents: 100_000 });
      const m = engine.state.model;
      const r = m.cma.requests[1];
      expect(r.status).to.equal('done');
      expect(r.pfn).to.equal(base);
      const a = r.attempts[0];
      expect(a.migrated + a.dropped).to.equal(inArea);
      if (discardClean) expect(a.dropped).to.equal(inArea);
      else expect(a.migrated).to.equal(inArea);
      for (let p = base; p < base + 512; p++) expect(pageState(m, p).kind).to.equal('taken');
      expect(pageState(m, base).migratetype).to.equal('CMA'); // isolation undone
      expect(violations).to.deep.equal([]);
      expect(r.phases.migration).to.be.above(0);
      expect(r.finishedAt! - r.submittedAt).to.equal(Object.values(r.phases).reduce((x, y) => x + y, 0));
    }
  });

  it('a private area never lends pages and allocates without migrating', () => {
    let s = boot({ areas: [{ name: 'fb', size: '4M', private: true }] });
    s = fillPageCache(s, 2_800);
    const base = s.cma.areas.fb.basePfn;
    for (let p = base; p < base + 1024; p += 37) expect(pageState(s, p).kind).to.equal('reserved');
    const { engine, violations } = world(s);
    engine.inject(req({ area: 'fb', count: 300 }), 0);
    engine.run();
    const r = engine.state.model.cma.requests[1];
    expect(r).to.include({ status: 'done', pfn: base });
    expect(r.attempts[0]).to.include({ migrated: 0, dropped: 0, passes: 0 });
    expect(r.phases.isolation).to.equal(0);
    expect(violations).to.deep.equal([]);
  });

  // mm/cma.c: -EBUSY clears the bits and retries from bitmap_no + mask + 1; alloc_contig_range gives
  // -EBUSY after 5 passes without progress (reference §2 step 5, §3 step 3).
  it('a short-term pin makes the first candidate -EBUSY and the next candidate succeeds', () => {
    const s = fillPageCache(boot({ areas: [{ name: 'video', size: '4M' }] }), 3_300);
    const base = s.cma.areas.video.basePfn;
    const pinned = firstPagecache(s, base + 5, base + 512);
    const { engine, violations } = world(s);
    engine.inject(pinEvent(s, pinned, 'gup'), 0);
    const traces: string[] = [];
    engine.events$.subscribe((e) => { if (e.event.type.startsWith('trace.cma')) traces.push(e.event.type); });
    engine.inject(req({ area: 'video', count: 512, align: 9 }), 0);
    engine.run();
    const r = engine.state.model.cma.requests[1];
    expect(r.status).to.equal('done');
    expect(r.retries).to.equal(1);
    expect(r.attempts.map((a) => [a.pfn, a.result])).to.deep.equal([[base, ERRNO.EBUSY], [base + 512, 0]]);
    // __alloc_contig_migrate_range: the first pass, then ++tries == 5 after four more. (This said 6,
    // the model's old count of five passes without progress after the first; the kernel's is 5.)
    expect(r.attempts[0].busy).to.equal(5);
    expect(r.pfn).to.equal(base + 512);
    expect(pageState(engine.state.model, pinned).kind).to.equal('pagecache'); // the pinned page stayed
    expect(traces).to.deep.equal(['trace.cma_alloc_start', 'trace.cma_alloc_busy_retry', 'trace.cma_alloc_finish']);
    expect(violations).to.deep.equal([]);
  });

  // The field reports' "tens of µs" per failed attempt (reference §7) is the attempt's own work;
  // adding a fixed busyRetryOverhead on top of it counted that work twice.
  it('a busy retry costs exactly the modelled work of the failed attempt, nothing on top', () => {
    const costs = { isolatePerPageblock: 1_001, drain: 20_003, dropPerCleanPage: 107, migratePagecacheClean: 2_011, busyPerPage: 503, testIsolatedPerPageblock: 1_009 };
    const s = fillPageCache(boot({ costs, areas: [{ name: 'video', size: '4M' }] }), 3_300);
    const base = s.cma.areas.video.basePfn;
    const pinned = firstPagecache(s, base + 5, base + 512);
    const { engine, violations } = world(s);
    engine.inject(pinEvent(s, pinned, 'gup'), 0);
    let failedAt = -1;
    engine.events$.subscribe((e) => { if (e.event.type === 'cma.attempt.failed') failedAt = e.time; });
    engine.inject(req({ area: 'video', count: 512, align: 9 }), 0);
    engine.run();
    const r = engine.state.model.cma.requests[1];
    expect(r.retries).to.equal(1);
    const a = r.attempts[0];
    expect(a.result).to.equal(ERRNO.EBUSY);
    const nPb = 512 / 2 ** s.memory.config.pageblockOrder;
    const work = nPb * costs.isolatePerPageblock + costs.drain + a.dropped * costs.dropPerCleanPage
      + a.migrated * costs.migratePagecacheClean + a.busy * costs.busyPerPage + nPb * costs.testIsolatedPerPageblock;
    const isolationStart = r.spans!.find((sp) => sp.phase === 'isolation')!.start;
    expect(failedAt - isolationStart).to.equal(work);
    expect(violations).to.deep.equal([]);
  });

  // alloc_contig_range migrates with MIGRATE_SYNC, which waits for writeback (reference §3 step 3).
  it('waits for pages under writeback, then drops them once clean', () => {
    const s = fillPageCache(boot({ areas: [{ name: 'v', size: '4M' }] }), 3_300);
    const base = s.cma.areas.v.basePfn;
    const ref = pageRef(s, firstPagecache(s, base, base + 512));
    const { engine, violations } = world(s);
    engine.inject({ type: 'pagecache.dirty', ...ref, count: 8 }, 0);
    engine.inject({ type: 'pagecache.writeback.start', ...ref, count: 8 }, 0);
    engine.inject(req({ area: 'v', count: 512, align: 9 }), 0);
    engine.run();
    const r = engine.state.model.cma.requests[1];
    expect(r).to.include({ status: 'done', pfn: base, retries: 0 });
    expect(r.attempts[0].waitedWriteback).to.be.above(0);
    expect(r.finishedAt).to.be.above(8 * 39_063); // the flusher writes the 8 pages at INIT_BW, 39,063 ns each
    expect(violations).to.deep.equal([]);
  });

  it('an exhausted search fails with the errno the kernel reports', () => {
    // Nothing fits at all: ret keeps its initial -ENOMEM (6.14 and older; kernel profiles spec covers 6.15+).
    const full = world(boot({ areas: [{ name: 'v', size: '4M' }] }, undefined, '6.12'));
    full.engine.inject(req({ area: 'v', count: 1024 }), 0);
    full.engine.inject(req({ area: 'v', count: 2048 }), 0);
    full.engine.inject(req({ area: 'v', count: 1 }), 1);
    full.engine.run();
    expect(full.engine.state.model.cma.requests[2]).to.include({ status: 'failed', errno: ERRNO.ENOMEM }); // larger than the area
    expect(full.engine.state.model.cma.requests[3]).to.include({ status: 'failed', errno: ERRNO.ENOMEM }); // area full
    // Every candidate busy: the last attempt's -EBUSY is reported.
    const s = fillPageCache(boot({ areas: [{ name: 'v', size: '4M' }] }), 3_500);
    const base = s.cma.areas.v.basePfn;
    const w = world(s);
    for (const off of [0, 512]) w.engine.inject(pinEvent(s, firstPagecache(s, base + off, base + off + 512), `gup${off}`), 0);
    w.engine.inject(req({ area: 'v', count: 512, align: 9 }), 0);
    w.engine.run();
    const r = w.engine.state.model.cma.requests[1];
    expect(r).to.include({ status: 'failed', errno: ERRNO.EBUSY, retries: 2 });
    expect(w.engine.state.model.cma.areas.v.counters.allocPagesFail).to.equal(512);
    expect(w.violations).to.deep.equal([]);
  });

  // migrate_pages returns -ENOMEM when no target page can be found; alloc_contig_range stops there.
  it('fails with -ENOMEM when dirty page cache has nowhere to migrate to', () => {
    const dirtyAll = (st: SimState, file: string): SimState => {
      const { engine } = world(st, 1, false);
      engine.inject({ type: 'pagecache.dirty', file, index: 0, count: 4096 }, 0);
      engine.run();
      return engine.state.model;
    };
    let s = dirtyAll(fillPageCache(withoutFlusher(boot({ areas: [{ name: 'v', size: '4M' }] })), 3_300), 'f');
    s = dirtyAll(fillPageCache(s, 4096, 'g', true), 'g'); // nothing clean is left to reclaim
    const { engine, violations } = world(s);
    engine.inject(req({ area: 'v', count: 512, align: 9 }), 0);
    engine.run();
    const r = engine.state.model.cma.requests[1];
    expect(r).to.include({ status: 'failed', errno: ERRNO.ENOMEM, retries: 0 });
    expect(r.attempts[0].failed).to.be.above(0);
    expect(pageState(engine.state.model, s.cma.areas.v.basePfn).migratetype).to.equal('CMA'); // isolation undone
    expect(violations).to.deep.equal([]);
  });

  it('tries a list of areas in order and refuses bad requests with -EINVAL', () => {
    const { engine, violations } = world(boot({ areas: [{ name: 'a', size: '2M' }, { name: 'b', size: '4M' }] }));
    engine.inject(req({ areas: ['a', 'b'], count: 768 }), 0);
    engine.inject(req({ area: 'nope', count: 1 }), 0);
    engine.inject(req({ area: 'a', count: 0 }), 0);
    engine.run();
    const m = engine.state.model.cma;
    expect(m.requests[1]).to.include({ status: 'done', area: 'b', pfn: m.areas.b.basePfn });
    expect(m.areas.a.counters.allocPagesFail).to.equal(768);
    expect(m.requests[2]).to.include({ status: 'failed', errno: ERRNO.EINVAL });
    expect(m.requests[3]).to.include({ status: 'failed', errno: ERRNO.EINVAL });
    expect(violations).to.deep.equal([]);
  });
});

describe('models/cma/request/transitions (the transition table)', () => {
  /** Every status a request is left in by an event of the run (the table's own check runs on every one). */
  function walk(s: SimState, inject: (w: ReturnType<typeof world>['engine']) => void): { seen: Set<RequestStatus> } {
    const { engine, violations } = world(s);
    inject(engine);
    const seen = new Set<RequestStatus>();
    engine.run({
      stopWhen: (_env, st) => {
        for (const r of Object.values(st().model.cma.requests)) seen.add(r.status);
        return false;
      },
    });
    expect(violations).to.deep.equal([]);
    return { seen };
  }

  it('a request passes through every status of the table, and only by its rows', () => {
    const seen = new Set<RequestStatus>();
    const add = (w: { seen: Set<RequestStatus> }) => w.seen.forEach((x) => seen.add(x));
    // Two requests on one area under each lock mode: the second waits for every lock the first holds.
    for (const lockMode of ['global', 'split', 'per-area', 'series'] as LockMode[]) {
      add(walk(boot({ lockMode, areas: [{ name: 'v', size: '4M' }] }), (e) => {
        e.inject(req({ area: 'v', count: 256 }), 0);
        e.inject(req({ area: 'v', count: 256 }), 0);
        e.inject(req({ area: 'v', count: 4096 }), 0); // larger than the area: fails
      }));
    }
    // A pinned page makes the first candidate -EBUSY: its bits are cleared under the search lock.
    const s = fillPageCache(boot({ areas: [{ name: 'video', size: '4M' }] }), 3_300);
    const base = s.cma.areas.video.basePfn;
    add(walk(s, (e) => {
      e.inject(pinEvent(s, firstPagecache(s, base + 5, base + 512), 'gup'), 0);
      e.inject(req({ area: 'video', count: 512, align: 9 }), 0);
    }));
    const all = Object.keys(REQUEST_TRANSITIONS) as RequestStatus[];
    // `submitted` lasts only while cma.alloc.request is reduced: no event ever leaves a request in it.
    expect([...seen].sort()).to.deep.equal(all.filter((x) => x !== 'submitted').sort());
  });

  it('every status but done and failed accepts some event, and every status a row leads to has a row', () => {
    expectClosed(REQUEST_TRANSITIONS, ['done', 'failed']);
  });

  it("the README's table of statuses is this table", () => {
    expect(readmeRowsOf(REQUEST_TRANSITIONS, '**An allocation.**', 'A status is skipped')).to.deep.equal(rowsOf(REQUEST_TRANSITIONS));
  });

  it('models/cma imports one way: no module reaches itself through its value imports', () => {
    const root = path.join(import.meta.dirname, '..', '..', '..', '..', 'models', 'cma');
    const deps = importGraph(root, { types: false });
    const cycles = cyclesOf(deps, (x) => path.relative(root, x));
    expect(deps.get(path.join(root, 'request', 'search.ts'))).to.include(path.join(root, 'request', 'contig.ts')); // the check sees imports
    expect(cycles).to.deep.equal([]);
  });

  it('an event the request\'s status does not take throws a SimulationError naming the seq and the event', () => {
    const { engine } = world(boot({ areas: [{ name: 'v', size: '4M' }] }));
    engine.inject(req({ area: 'v', count: 16 }), 0);
    engine.run();
    expect(engine.state.model.cma.requests[1].status).to.equal('done');
    const seq = engine.log.length + 1;
    engine.inject({ type: 'cma.search.done', request: 1 }, engine.now + 1);
    let err: unknown;
    try { engine.run(); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(SimulationError);
    const se = err as SimulationError;
    expect(se.seq).to.equal(seq);
    expect(se.message).to.include(`seq ${seq}`).and.include('"type":"cma.search.done"').and.include('request 1 is done: cma.search.done is not a transition');
  });

  it('a lock grant the request was not handed throws', () => {
    const { engine } = world(boot({ lockMode: 'global', areas: [{ name: 'v', size: '4M' }] }));
    engine.inject(req({ area: 'v', count: 256 }), 0);
    engine.inject(req({ area: 'v', count: 256 }), 0);
    engine.run({ until: 1 });
    expect(engine.state.model.cma.requests[2].status).to.equal('waiting-outer-lock');
    engine.inject({ type: 'cma.lock.acquired', owner: 'a2', lock: 'cma_mutex', waitedNs: 0 }, 2);
    expect(() => engine.run()).to.throw(SimulationError, 'request 2 (waiting-outer-lock) was not handed cma_mutex');
  });
});
