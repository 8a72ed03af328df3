import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import {
  cmaFreePages, freePagesIn, isolateRange, migrateRange, pageState, releaseRange, reserveRange, takeRange,
  testPagesIsolated, totalFreePages, undoIsolateRange, zoneCounters,
} from '../../../models/mm/contig.ts';
import { createMemoryState } from '../../../models/memory/createMemoryState.ts';
import { DEFAULT_COSTS, mergeCosts } from '../../../models/timing/costs.ts';
import { checkInvariants, formatViolation } from '../../../models/invariants/index.ts';
import type { SimState } from '../../../models/state.ts';
import { mutate, runChecked, simState } from '../memory/sim.ts';

// 16 MiB, CMA area = pageblocks 4..5 (pfn 2048..3071), movable allocations prefer CMA ('first').
const A = 2048, B = 3072;
// Writeback takes 1 s per page, so it is still in flight when the tests look.
const base = () => simState({ memory: '16M', minFreeKbytes: 0, cmaFallback: 'first' }, { writebackPerPageNs: 1e9, dirtyExpireNs: null, dirtyBackgroundRatio: null }, [{ start: A, pages: 1024 }]);
const UNTIL = 1_000_000;
const ok = (s: SimState) => { const v = checkInvariants(s); expect(v && formatViolation(v)).to.equal(null); return s; };
const fault = (file: string, index: number, count: number): SimEvent => ({ type: 'pagecache.fault', file, index, count });
const costs = mergeCosts({});

/** Page cache filling the CMA area: file f, pages 0..1023 land in CMA ('first'). */
function filled(): SimState {
  return runChecked(base(), [fault('f', 0, 512), fault('f', 512, 512)]).state;
}
const cmaPfn = (s: SimState, i: number) => {
  for (let pfn = A; pfn < B; pfn++) if (pageState(s, pfn).kind === 'pagecache' && i-- === 0) return pfn;
  return -1;
};

describe('models/mm/contig', () => {
  describe('reserveRange', () => {
    const m = createMemoryState({ memory: '16M' });
    it('names misalignment, overlap and ranges outside every bank', () => {
      expect(() => reserveRange(m, 100, 512, 'cma')).to.throw(/not aligned to the pageblock size \(512 pages\)/);
      expect(() => reserveRange(reserveRange(m, 0, 1024, 'cma'), 512, 1024, 'private')).to.throw(/overlaps an earlier 'cma' reservation at pfn 0x200/);
      expect(() => reserveRange(m, 8192, 512, 'cma')).to.throw(/outside every memory bank/);
      expect(() => reserveRange(m, 3584, 1024, 'cma')).to.throw(/runs past the end of bank 'dram0'/);
    });
    it("'cma' lends the pages (CmaTotal/CmaFree); 'private' takes them out of the buddy allocator", () => {
      const c = reserveRange(m, 0, 1024, 'cma');
      expect(zoneCounters(c)[0]).to.include({ cmaTotal: 1024, cmaFree: 1024, free: 4096, managed: 4096 });
      const p = reserveRange(m, 0, 1024, 'private', 'viafb');
      expect(zoneCounters(p)[0]).to.include({ cmaTotal: 0, free: 3072, managed: 3072, reserved: 1024 });
      expect(pageState(p, 5)).to.include({ kind: 'reserved', owner: 'viafb' });
    });
    it('a private reservation is never lent to movable allocations', () => {
      const s0 = simState({ memory: '16M', minFreeKbytes: 0, cmaFallback: 'first' }, {}, [{ start: 0, pages: 1024, mode: 'private' }]);
      const { state } = runChecked(s0, [fault('f', 0, 3072), fault('f', 3072, 500)]);
      expect(freePagesIn(state, 0, 1024)).to.equal(0);
      for (let pfn = 0; pfn < 1024; pfn++) expect(pageState(state, pfn).kind).to.equal('reserved');
      expect(state.pagecache.stats.reclaimed).to.be.greaterThan(0); // reclaim, not the reservation, made room
    });
  });

  describe('isolate / migrate / test / take / release (alloc_contig_range, reference §3)', () => {
    it('isolated pageblocks never hand out their free pages', () => {
      let s = mutate(base(), (d) => isolateRange(d, A, B));
      s = ok(runChecked(s, [fault('g', 0, 2000)]).state);
      expect(freePagesIn(s, A, B)).to.equal(1024);
      expect(zoneCounters(s)[0].freeByMigratetype.ISOLATE).to.equal(1024);
      expect(() => mutate(s, (d) => isolateRange(d, A, A + 512))).to.throw(/already isolated/);
      s = ok(mutate(s, (d) => undoIsolateRange(d, A, B)));
      expect(cmaFreePages(s)).to.equal(1024);
      expect(s.memory.zones[0].free[3].blocks[10]).to.equal(1); // merged back into one order-10 block
    });

    it('drops clean page cache, migrates dirty, leaves pinned (busy) and writeback pages', () => {
      let s = filled();
      const pinned = cmaPfn(s, 0);
      s = runChecked(s, [
        { type: 'pagecache.dirty', file: 'f', index: 10, count: 5 },
        { type: 'pagecache.dirty', file: 'f', index: 20, count: 3 },
        { type: 'pagecache.writeback.start', file: 'f', index: 20, count: 3 },
        { type: 'page.pin', id: 'p', file: 'f', index: 0 },
      ], { until: UNTIL }).state;
      expect(pageState(s, pinned).pins).to.equal(1);
      let out!: ReturnType<typeof migrateRange>;
      s = ok(mutate(s, (d) => { isolateRange(d, A, B); out = migrateRange(d, A, B, { discardClean: true, costs }); }));
      expect(out).to.deep.include({ migrated: 5, dropped: 1024 - 1 - 5 - 3, busy: 1, writeback: 3, failed: 0, unmovable: 0, remaining: 4 });
      expect(out.notMoved).to.have.length(4);
      expect(out.notMoved[0]).to.equal(pinned);
      expect(out.durationNs).to.equal(5 * costs.migratePagecacheDirty + 1015 * costs.dropPerCleanPage + costs.busyPerPage);
      expect(testPagesIsolated(s, A, B)).to.deep.equal({ ok: false, finPfn: pinned });
      // dirty pages moved out of the range with their file index; nothing was lost
      expect(s.pagecache.counts.nrPages).to.equal(5 + 3 + 1);
      expect(s.pagecache.counts.nrDirty).to.equal(5);
    });

    it('migrates clean pages too without discardClean, and completes once pins and writeback are gone', () => {
      let s = runChecked(filled(), [
        { type: 'pagecache.dirty', file: 'f', index: 20, count: 3 },
        { type: 'pagecache.writeback.start', file: 'f', index: 20, count: 3 },
        { type: 'page.pin', id: 'p', file: 'f', index: 7 },
      ], { until: UNTIL }).state;
      let out!: ReturnType<typeof migrateRange>;
      s = ok(mutate(s, (d) => { isolateRange(d, A, B); out = migrateRange(d, A, B, { discardClean: false, costs }); }));
      expect(out).to.deep.include({ migrated: 1020, dropped: 0, busy: 1, writeback: 3 });
      expect(s.pagecache.counts.nrPages).to.equal(1024);
      // the caller waits for writeback and the pin to go, then runs another pass
      s = runChecked(s, [{ type: 'pagecache.writeback.done', file: 'f', index: 20, count: 3 }, { type: 'page.unpin', id: 'p' }]).state;
      s = ok(mutate(s, (d) => { out = migrateRange(d, A, B, { discardClean: false, costs }); }));
      expect(out).to.deep.include({ migrated: 4, remaining: 0 });
      expect(testPagesIsolated(s, A, B)).to.deep.equal({ ok: true, finPfn: B });
      s = ok(mutate(s, (d) => { takeRange(d, A, B, 'cma:video'); undoIsolateRange(d, A, B); }));
      expect(pageState(s, A + 100)).to.include({ kind: 'taken', owner: 'cma:video', migratetype: 'CMA' });
      expect(zoneCounters(s)[0]).to.include({ taken: 1024, cmaFree: 0, pagecache: 1024 });
      s = ok(mutate(s, (d) => releaseRange(d, A, B)));
      expect(zoneCounters(s)[0]).to.include({ taken: 0, cmaFree: 1024 });
    });

    it('reports failed when there is no free page to move into', () => {
      // Fill everything but the CMA area with unmovable memory, the CMA area with dirty page cache.
      let s = runChecked(base(), [
        fault('f', 0, 1024), { type: 'pagecache.dirty', file: 'f', index: 0, count: 1024 },
        ...[0, 1, 2].map((i): SimEvent => ({ type: 'memory.alloc', id: `u${i}`, kind: 'unmovable', order: 10 })),
      ]).state;
      expect(totalFreePages(s)).to.equal(0);
      let out!: ReturnType<typeof migrateRange>;
      s = ok(mutate(s, (d) => { isolateRange(d, A, B); out = migrateRange(d, A, B, { discardClean: true, costs: DEFAULT_COSTS }); }));
      expect(out).to.deep.include({ migrated: 0, failed: 1024, remaining: 1024 });
    });

    it('moves anonymous folios as a unit and counts unmovable pages apart', () => {
      let s = runChecked(base(), [{ type: 'memory.alloc', id: 'anon', kind: 'movable', order: 2 }]).state;
      const serial = Object.values(s.memory.allocIds)[0]['anon'];
      const before = Object.values(s.memory.allocs).find((sh) => sh[String(serial)])![String(serial)].pfn;
      expect(before >= A && before < B).to.equal(true);
      let out!: ReturnType<typeof migrateRange>;
      s = ok(mutate(s, (d) => { isolateRange(d, A, B); out = migrateRange(d, A, B, { discardClean: true, costs }); }));
      expect(out).to.deep.include({ migrated: 4, durationNs: 4 * costs.migrateAnon });
      const after = Object.values(s.memory.allocs).find((sh) => sh[String(serial)])![String(serial)].pfn;
      expect(after < A || after >= B).to.equal(true);
      s = ok(runChecked(s, [{ type: 'memory.free', id: 'anon' }]).state);
      // an unmovable page (outside CMA) in a range cannot move
      s = runChecked(simState({ memory: '16M', minFreeKbytes: 0 }), [{ type: 'memory.alloc', id: 'k', kind: 'unmovable', order: 0 }]).state;
      s = ok(mutate(s, (d) => { isolateRange(d, 0, 512); out = migrateRange(d, 0, 512, { discardClean: true, costs }); }));
      expect(out).to.deep.include({ unmovable: 1, remaining: 1, migrated: 0 });
    });

    it('takeRange splits free blocks straddling the ends; releaseRange merges them back', () => {
      let s = ok(mutate(base(), (d) => takeRange(d, A + 3, A + 700, 'cma:x')));
      expect(freePagesIn(s, A, B)).to.equal(1024 - 697);
      expect(pageState(s, A + 2).kind).to.equal('free');
      expect(pageState(s, A + 3).kind).to.equal('taken');
      expect(pageState(s, A + 700).kind).to.equal('free');
      expect(() => mutate(s, (d) => takeRange(d, A, A + 8, 'cma:y'))).to.throw(/page at pfn 0x803 is not free \(taken\)/);
      expect(() => mutate(s, (d) => releaseRange(d, A, A + 8))).to.throw(/page at pfn 0x800 is not taken \(free\)/);
      s = ok(mutate(s, (d) => releaseRange(d, A + 3, A + 700)));
      expect(s.memory.zones[0].free[3].blocks[10]).to.equal(1);
    });

    it('takes and releases pages of a private reservation without lending them', () => {
      let s = simState({ memory: '16M' }, {}, [{ start: 0, pages: 512, mode: 'private' }]);
      s = ok(mutate(s, (d) => takeRange(d, 0, 64, 'cma:viafb')));
      expect(pageState(s, 10)).to.include({ kind: 'taken', owner: 'cma:viafb' });
      s = ok(mutate(s, (d) => releaseRange(d, 0, 64)));
      expect(pageState(s, 10).kind).to.equal('reserved');
      expect(zoneCounters(s)[0]).to.include({ reserved: 512, taken: 0, free: 4096 - 512 });
    });
  });
});
