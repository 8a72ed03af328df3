import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { createInitialState } from '../../../models/initialState.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import type { SimState } from '../../../models/state.ts';
import { fillPageCache, firstPagecache, pageRef, req, world } from './world.ts';

/** 16 MiB machine, a 4 MiB CMA area full of file 'f', the device writing one page per `perPage` ns. */
function machine(perPage: number): SimState {
  const s = createInitialState({ machine: { memory: '16M' }, cma: { areas: [{ name: 'v', size: '4M' }] }, pagecache: { writebackPerPageNs: perPage } });
  return fillPageCache(s, 3_300);
}

interface Timed { readonly time: number; readonly event: SimEvent }

function run(s: SimState, events: readonly SimEvent[]): { r: RequestRecord; log: Timed[] } {
  const { engine, violations } = world(s);
  const log: Timed[] = [];
  engine.events$.subscribe((env) => log.push({ time: env.time, event: env.event }));
  for (const e of events) engine.inject(e, 0);
  engine.run();
  expect(violations).to.deep.equal([]);
  return { r: engine.state.model.cma.requests[1] as RequestRecord, log };
}

const of = (log: Timed[], type: string) => log.filter((t) => t.event.type === type);

// MIGRATE_SYNC migration sleeps on a page under writeback until the I/O completes
// (mm/migrate.c, migrate_folio_unmap: folio_wait_writeback when mode is MIGRATE_SYNC, v6.1).
describe('models/cma: MIGRATE_SYNC waits for the flusher to finish the page', () => {
  it('a writeback wait ends when the flusher finishes that page, not after a fixed poll', () => {
    const s = machine(100_000);
    const ref = pageRef(s, firstPagecache(s, s.cma.areas.v.basePfn, s.cma.areas.v.basePfn + 512));
    const { r, log } = run(s, [
      { type: 'pagecache.dirty', ...ref, count: 8 },
      { type: 'pagecache.writeback.start', ...ref, count: 8 },
      req({ area: 'v', count: 512, align: 9 }),
    ]);
    expect(r).to.include({ status: 'done', retries: 0 });
    const done = of(log, 'pagecache.writeback.done');
    expect(done).to.have.length(1);
    expect(done[0].time).to.equal(8 * 100_000); // 8 pages at 100 µs from t=0
    // The pass that found the pages under writeback ends exactly when the flusher is done.
    const waited = of(log, 'cma.migration').filter((t) => (t.event as { writeback: number }).writeback > 0);
    expect(waited).to.have.length(1);
    expect(waited[0].time).to.equal(done[0].time);
    expect(r.attempts[0].writebackWaitNs).to.be.above(0);
  });

  it('the wait follows the device queue: writeback queued before the page delays it as long', () => {
    const s = machine(100_000);
    const base = s.cma.areas.v.basePfn;
    const ref = pageRef(s, firstPagecache(s, base, base + 512));
    // 40 pages of another part of the file, queued first, outside the allocated range.
    const other = { file: 'f', index: 3_000, count: 40 };
    const { r, log } = run(s, [
      { type: 'pagecache.dirty', ...other },
      { type: 'pagecache.writeback.start', ...other },
      { type: 'pagecache.dirty', ...ref, count: 8 },
      { type: 'pagecache.writeback.start', ...ref, count: 8 },
      req({ area: 'v', count: 512, align: 9 }),
    ]);
    expect(r.status).to.equal('done');
    const waited = of(log, 'cma.migration').filter((t) => (t.event as { writeback: number }).writeback > 0);
    expect(waited.map((t) => t.time)).to.deep.equal([48 * 100_000]);
    expect(r.attempts[0].writebackWaitNs).to.be.above(47 * 100_000);
  });
});

// A page being read in stays locked until the read completes (mm/filemap.c and mm/readahead.c: the
// new folio is locked before the read is submitted and unlocked by the read's completion, v6.1).
// reclaim_clean_pages_from_list cannot drop it (shrink_folio_list: folio_trylock fails) and
// migrate_pages in MIGRATE_SYNC sleeps in folio_lock (mm/migrate.c, migrate_folio_unmap, v6.1).
describe('models/cma: MIGRATE_SYNC waits for pages locked under read I/O', () => {
  const READ = 50_000; // ns per page read
  function faulted(): { s: SimState } {
    const s0 = createInitialState({ machine: { memory: '16M' }, cma: { areas: [{ name: 'v', size: '4M' }] }, pagecache: { readPerPageNs: READ } });
    return { s: fillPageCache(s0, 3_300) };
  }

  it('a page under read I/O delays migration until the I/O completes', () => {
    const { s } = faulted();
    const { r, log } = run(s, [
      { type: 'pagecache.fault', file: 'r', index: 0, count: 64 }, // 64 new pages: read done at 64 * 50 µs
      req({ area: 'v', count: 1024 }),
    ]);
    expect(r).to.include({ status: 'done', retries: 0 });
    // The new pages landed in the area (the rest of memory is full) and were still being read.
    const locked = of(log, 'cma.migration').filter((t) => (t.event as { locked: number }).locked > 0);
    expect(locked.length).to.be.above(0);
    const readDone = 64 * READ;
    expect(Math.max(...locked.map((t) => t.time))).to.equal(readDone); // the wait ends when the read does
    expect(r.attempts[0].waitedLocked).to.equal(locked.reduce((n, t) => n + (t.event as { locked: number }).locked, 0));
    expect(r.attempts[0].pageLockWaitNs).to.be.above(0);
    expect(r.finishedAt!).to.be.above(readDone);
  });

  it('without the read in flight the same allocation does not wait', () => {
    const { s } = faulted();
    // Same pages, the allocation submitted once the read completed: no page is locked.
    const { engine } = world(s);
    engine.inject({ type: 'pagecache.fault', file: 'r', index: 0, count: 64 }, 0);
    engine.inject(req({ area: 'v', count: 1024 }), 64 * READ);
    engine.run();
    const r = engine.state.model.cma.requests[1] as RequestRecord;
    expect(r.status).to.equal('done');
    expect(r.attempts[0].waitedLocked).to.equal(0);
    expect(r.attempts[0].pageLockWaitNs).to.equal(0);
    expect(r.finishedAt! - 64 * READ).to.be.below(64 * READ);
  });
});

// A reader holds a reference on each folio of its batch (PAGEVEC_SIZE = 15, include/linux/pagevec.h)
// while copying it to user space (mm/filemap.c filemap_read, v6.1); a migration meeting such a
// folio fails it for that pass (folio_migrate_mapping: the reference count is not the expected one).
// The five tries of __alloc_contig_migrate_range follow each other within microseconds, so a
// reference held across them gives -EBUSY and cma_alloc retries at its next candidate.
describe('models/cma: transient references from the workload make migration fail', () => {
  /** A 4 MiB area full of file 'f' (cached); with `read`, a read hit of 15 of its first pages at t=0; one 512-page allocation at t=0. */
  function withRead(read: boolean): { r: RequestRecord; log: Timed[] } {
    const s0 = createInitialState({ machine: { memory: '16M' }, cma: { areas: [{ name: 'v', size: '4M' }], costs: { copyPerPage: 10_000 } } });
    const s = fillPageCache(s0, 3_300);
    const first = pageRef(s, firstPagecache(s, s.cma.areas.v.basePfn, s.cma.areas.v.basePfn + 512));
    const reads: SimEvent[] = read ? [{ type: 'pagecache.fault', ...first, count: 15 }] : [];
    return run(s, [...reads, req({ area: 'v', count: 512, align: 9 })]);
  }

  it('pages a reader is copying are busy while it holds them: -EBUSY on that candidate, success on the next', () => {
    const quiet = withRead(false);
    expect(quiet.r).to.include({ status: 'done', retries: 0 });
    expect(quiet.r.attempts[0].busy).to.equal(0);
    const read = withRead(true); // 15 cached pages held from t=0 until 15 * 10 µs
    expect(read.r).to.include({ status: 'done', retries: 1 });
    expect(read.r.pfn).to.equal(quiet.r.pfn! + 512);
    const failed = read.r.attempts[0];
    expect(failed.result).to.equal(-16);
    expect(failed.passes).to.equal(5); // the five tries ran inside the reference's 150 µs
    expect(failed.endedAt!).to.be.below(15 * 10_000);
    expect(failed.busy / failed.passes).to.be.within(1, 15); // only pages of the read, every pass
    expect(of(read.log, 'trace.cma_alloc_busy_retry')).to.have.length(1);
  });

  it('a reference that ended before the pass does nothing', () => {
    const s0 = createInitialState({ machine: { memory: '16M' }, cma: { areas: [{ name: 'v', size: '4M' }], costs: { copyPerPage: 100 } } });
    const s = fillPageCache(s0, 3_300);
    const first = pageRef(s, firstPagecache(s, s.cma.areas.v.basePfn, s.cma.areas.v.basePfn + 512));
    // Held for 15 * 100 ns only: over long before isolation and drain (24 µs) end.
    const { r } = run(s, [{ type: 'pagecache.fault', ...first, count: 15 }, req({ area: 'v', count: 512, align: 9 })]);
    expect(r).to.include({ status: 'done', retries: 0 });
    expect(r.attempts[0].busy).to.equal(0);
  });
});
