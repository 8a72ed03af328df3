import { expect } from 'chai';
import { produce } from 'immer';
import type { SimEvent } from '../../../events/index.ts';
import { Rng, seedRng } from '../../../lib/engine/index.ts';
import { stateHash } from '../../../lib/history/index.ts';
import type { KernelVersion } from '../../../models/kernel/profile.ts';
import { codeAt, memStats, pbIndexIn, pbRead, type MemMut } from '../../../models/memory/mutMemory.ts';
import { K_PAGECACHE, kindOf, pcFlags, PC_DIRTY, PC_REFERENCED, PC_WRITEBACK } from '../../../models/memory/pageCode.ts';
import { ovDelete, ovGet } from '../../../models/memory/recOverlay.ts';
import { extentPfn, extentPfnsIn } from '../../../models/pagecache/extents.ts';
import { lru as lruOf, lruChunks, stats, type PcMut } from '../../../models/pagecache/mutPagecache.ts';
import type { PageCacheEvent } from '../../../events/index.ts';
import type { Ctx } from '../../../models/context.ts';
import { pagecacheHandlers } from '../../../models/pagecache/handlers.ts';
import { noteIo, writeDone } from '../../../models/pagecache/io.ts';
import { faultPages } from '../../../models/pagecache/fault.ts';
import { eachCachedRun, lruAppend, removePage, setPcFlags } from '../../../models/pagecache/pageOps.ts';
import { queueWriteback } from '../../../models/pagecache/writeback.ts';
import { isPinned, muts, reclaimPages, type ReclaimTally } from '../../../models/pagecache/reclaim.ts';
import { LRU_CHUNK } from '../../../models/pagecache/state.ts';
import type { SimState } from '../../../models/state.ts';
import { runChecked, simState, withoutFlusher } from '../memory/sim.ts';

/**
 * Reclaim as it was decided page by page (one LRU entry a step, the CLOCK of reclaim.ts before
 * runs): the reference the run-wise reclaimPages must match, state for state. A pass over the
 * whole LRU that can free nothing only clears the referenced bits, page by page here too.
 */
function reclaimOneByOne(m: MemMut, p: PcMut, want: number, skipCma: boolean, fullScan: boolean, tally: ReclaimTally): number {
  const lru = lruOf(p);
  const budget = fullScan ? lru.tail - lru.head : Math.min(want * p.base.config.scanPerPage, lru.tail - lru.head);
  const idx = p.reclaimW ?? p.base.reclaim;
  if (budget > 0 && budget === lru.tail - lru.head && (skipCma ? idx.freeable - idx.freeableCma : idx.freeable) === 0) {
    for (const key of Object.keys(idx.refChunks)) {
      const ch = ovGet(lruChunks(p), Number(key))!;
      for (const pfn of extentPfnsIn(ch, Number(key) * LRU_CHUNK, (Number(key) + 1) * LRU_CHUNK)) {
        const c = codeAt(m, pfn);
        if (kindOf(c) === K_PAGECACHE && pcFlags(c) & PC_REFERENCED) setPcFlags(m, p, pfn, 0, PC_REFERENCED);
      }
    }
    tally.scanned += budget;
    return 0;
  }
  let freed = 0, scanned = 0;
  for (; freed < want && scanned < budget && lru.head < lru.tail; scanned++) {
    const pos = lru.head;
    const k = Math.floor(pos / LRU_CHUNK);
    const ch = ovGet(lruChunks(p), k);
    const pfn = ch === undefined ? -1 : extentPfn(ch, pos);
    lru.head = pos + 1;
    if ((pos + 1) % LRU_CHUNK === 0) ovDelete(lruChunks(p), k);
    if (pfn < 0) continue;
    const fl = pcFlags(codeAt(m, pfn));
    const cma = pbRead(m, pbIndexIn(m.banks, m.pbOrder, pfn)).mt === 'CMA';
    if (fl & PC_REFERENCED) {
      setPcFlags(m, p, pfn, 0, PC_REFERENCED);
      lruAppend(m, p, pfn);
    } else if (fl & (PC_DIRTY | PC_WRITEBACK) || isPinned(m, pfn) || (skipCma && cma)) {
      lruAppend(m, p, pfn);
    } else {
      removePage(m, p, pfn);
      freed++;
    }
  }
  if (lru.head === lru.tail && lru.head % LRU_CHUNK !== 0) ovDelete(lruChunks(p), Math.floor(lru.head / LRU_CHUNK));
  if (freed > 0) stats(p).reclaimed += freed;
  if (freed > 0) memStats(m).reclaimed += freed;
  tally.scanned += scanned;
  tally.freed += freed;
  return freed;
}

/**
 * A 16 MiB machine (half the time with a 4 MiB CMA area) after random page-cache traffic: faults
 * (hits mark pages referenced), kernel allocations and frees between them (so a file's pages are
 * physically split), dirtying, writeback started and still in flight, evictions and pins. The
 * flusher is off, so dirty and writeback pages stay as the events left them.
 */
function randomState(seed: number, kernel: KernelVersion): SimState {
  const rng = new Rng(seedRng(seed));
  const cma = rng.next() < 0.5 ? [{ start: 2048, pages: 1024 }] : undefined;
  const s = withoutFlusher(simState({ memory: '16M', minFreeKbytes: 1024 }, {}, cma, kernel));
  const ev: SimEvent[] = [];
  const live: string[] = [];
  const file = (): string => `f${rng.int(0, 4)}`;
  for (let i = 0, n = rng.int(60, 160); i < n; i++) {
    const r = rng.next();
    const index = rng.int(0, 700), count = rng.int(1, 64);
    if (r < 0.45) ev.push({ type: 'pagecache.fault', file: file(), index, count });
    else if (r < 0.55) { const id = `k${i}`; live.push(id); ev.push({ type: 'memory.alloc', id, kind: 'unmovable', order: rng.int(0, 2) }); }
    else if (r < 0.6 && live.length > 0) ev.push({ type: 'memory.free', id: live.splice(rng.int(0, live.length - 1), 1)[0] });
    else if (r < 0.72) ev.push({ type: 'pagecache.dirty', file: file(), index, count });
    else if (r < 0.8) ev.push({ type: 'pagecache.writeback.start', file: file(), index, count });
    else if (r < 0.86) ev.push({ type: 'pagecache.evict', file: file(), index, count });
    else ev.push({ type: 'page.pin', id: `p${i}`, file: file(), index: rng.int(0, 700) });
  }
  // Stop before the first writeback completes (each page takes tens of microseconds of device time).
  const after = runChecked(s, ev, { check: false, until: ev.length }).state;
  // Short reclaim passes between hits and faults: they stop inside runs and rotate parts of runs
  // with other pages appended in between, so consecutive pages of a file sit at LRU positions
  // that do not follow on.
  return produce(after, (d) => {
    const { m, p } = muts(d);
    for (let i = 0; i < 30; i++) {
      faultPages(m, p, file(), rng.int(0, 700), rng.int(1, 24));
      reclaimPages(m, p, rng.int(1, 6));
      faultPages(m, p, 'g', 16 * i, 16);
    }
  });
}

type Reclaim = (m: MemMut, p: PcMut, want: number, skipCma: boolean, fullScan: boolean, tally: ReclaimTally) => number;

/** The state with every cached page dirtied (the flusher is off: they stay dirty). */
function allDirty(s: SimState): SimState {
  const ev: SimEvent[] = [...Object.keys(s.pagecache.files)].map((file) => ({ type: 'pagecache.dirty', file, index: 0, count: 4096 }));
  return runChecked(s, ev, { check: false, until: ev.length }).state;
}

function reclaimWith(s: SimState, f: Reclaim, want: number, skipCma: boolean, fullScan: boolean): { state: SimState; freed: number; tally: ReclaimTally } {
  let freed = 0;
  const tally: ReclaimTally = { scanned: 0, freed: 0 };
  const state = produce(s, (d) => {
    const { m, p } = muts(d);
    freed = f(m, p, want, skipCma, fullScan, tally);
  });
  return { state, freed, tally };
}

/** LRU pages of the state with each flag set, and pinned. */
function flagCounts(s: SimState): { referenced: number; dirty: number; writeback: number; pinned: number } {
  const out = { referenced: 0, dirty: 0, writeback: 0, pinned: 0 };
  for (const pb of s.memory.pageblocks) {
    pb.pages.forEach((c, off) => {
      if (kindOf(c) !== K_PAGECACHE) return;
      const fl = pcFlags(c);
      if (fl & PC_REFERENCED) out.referenced++;
      if (fl & PC_DIRTY) out.dirty++;
      if (fl & PC_WRITEBACK) out.writeback++;
      if (pb.pins !== null && (pb.pins[String(off)] ?? 0) > 0) out.pinned++;
    });
  }
  return out;
}

describe('models/pagecache/reclaim (runs)', () => {
  const kernels: KernelVersion[] = ['3.5', '6.1', '6.6', '6.12'];
  for (const kernel of kernels) {
    it(`leaves the state page-by-page reclaim leaves, on random states (kernel ${kernel})`, () => {
      let freedSome = 0, rotatedSome = 0;
      const seen = { referenced: 0, dirty: 0, writeback: 0, pinned: 0 };
      let cleared = 0;
      for (let seed = 1; seed <= 6; seed++) {
        const random = randomState(seed * 7919 + kernel.length, kernel);
        // Every second state has all its pages dirtied: a full scan then frees nothing and only
        // clears the referenced bits (the pass both implementations cut short).
        const s = seed % 2 === 0 ? random : allDirty(random);
        const c = flagCounts(s);
        for (const key of Object.keys(seen) as (keyof typeof seen)[]) seen[key] += c[key];
        for (const want of [1, 9, 70, 600]) {
          for (const [skipCma, fullScan] of [[false, false], [true, false], [false, true], [true, true]] as const) {
            const what = `seed ${seed}, want ${want}, skipCma ${skipCma}, fullScan ${fullScan}`;
            const runs = reclaimWith(s, reclaimPages, want, skipCma, fullScan);
            const pages = reclaimWith(s, reclaimOneByOne, want, skipCma, fullScan);
            expect(runs.freed, what).to.equal(pages.freed);
            expect(runs.tally, what).to.deep.equal(pages.tally);
            expect(stateHash(runs.state), what).to.equal(stateHash(pages.state));
            if (runs.freed > 0) freedSome++;
            if (fullScan && flagCounts(runs.state).referenced < c.referenced && runs.tally.scanned === s.pagecache.lru.tail - s.pagecache.lru.head) cleared++;
            if (runs.tally.scanned > runs.freed) rotatedSome++;
          }
        }
      }
      // The states exercise every kind of decision, so the comparison can tell them apart.
      expect(freedSome, 'passes that freed pages').to.be.greaterThan(10);
      expect(cleared, 'full passes that only cleared referenced bits').to.be.greaterThan(2);
      expect(rotatedSome, 'passes that rotated or stepped over entries').to.be.greaterThan(10);
      for (const [key, n] of Object.entries(seen)) expect(n, `${key} pages in the states`).to.be.greaterThan(0);
    });
  }
});

/** The cached pages of [index, index + count) of the file, in index order. */
function cachedPages(p: PcMut, file: string, index: number, count: number): number[] {
  const out: number[] = [];
  eachCachedRun(p, file, index, count, (pfn, n) => { for (let k = 0; k < n; k++) out.push(pfn + k); });
  return out;
}

/** What the dirtying, writeback and evict handlers did page by page (the scheduling, which reads only counts, left out). */
function pageByPage(m: MemMut, p: PcMut, e: PageCacheEvent & { file: string; index: number; count?: number }, ctx: Ctx): void {
  const count = e.count ?? 1;
  const pages = cachedPages(p, e.file, e.index, count);
  const fl = (pfn: number): number => pcFlags(codeAt(m, pfn));
  if (e.type === 'pagecache.dirty') {
    for (const pfn of pages) if (!(fl(pfn) & PC_DIRTY)) setPcFlags(m, p, pfn, PC_DIRTY, 0);
  } else if (e.type === 'pagecache.writeback.start') {
    let n = 0;
    for (const pfn of pages) if (fl(pfn) & PC_DIRTY) { setPcFlags(m, p, pfn, PC_WRITEBACK, PC_DIRTY); n++; }
    if (n > 0) {
      stats(p).writebacks += n;
      noteIo(p, ctx.now, e.file, 'write', e.index, count, ctx.now + queueWriteback(p, ctx, n));
    }
  } else if (e.type === 'pagecache.writeback.done') {
    for (const pfn of pages) if (fl(pfn) & PC_WRITEBACK) setPcFlags(m, p, pfn, 0, PC_WRITEBACK);
    writeDone(p, ctx.now, e.file, e.index, count);
  } else if (e.type === 'pagecache.evict') {
    for (const pfn of pages) {
      if (!(fl(pfn) & (PC_DIRTY | PC_WRITEBACK)) && !isPinned(m, pfn)) { removePage(m, p, pfn); stats(p).dropped += 1; }
    }
  }
}

const types = ['pagecache.dirty', 'pagecache.writeback.start', 'pagecache.writeback.done', 'pagecache.evict'] as const;
type RangeEvent = { type: (typeof types)[number]; file: string; index: number; count: number };

/** Reduce e on s with the handler (runs) and page by page: the same state. Returns whether e changed it. */
function sameAsPageByPage(s: SimState, e: RangeEvent, before = stateHash(s)): boolean {
  const ctx: Ctx = { now: 1e6, seq: 0, schedule: () => {}, random: () => 0, randomInt: (lo) => lo, onCommit: () => {} };
  const runs = produce(s, (d) => { (pagecacheHandlers[e.type] as (d: unknown, e: unknown, c: Ctx) => void)(d, e, ctx); });
  const pages = produce(s, (d) => { const { m, p } = muts(d); pageByPage(m, p, e, ctx); });
  const h = stateHash(runs);
  expect(h, JSON.stringify(e)).to.equal(stateHash(pages));
  return h !== before;
}

describe('models/pagecache/handlers (runs)', () => {
  for (const kernel of ['6.1', '6.12'] as KernelVersion[]) {
    it(`dirtying, writeback and evict leave the state page-by-page work leaves, on random states (kernel ${kernel})`, () => {
      let changed = 0;
      for (let seed = 1; seed <= 6; seed++) {
        const s = randomState(seed * 104729 + kernel.length, kernel);
        const rng = new Rng(seedRng(seed));
        const before = stateHash(s);
        for (let i = 0; i < 24; i++) {
          if (sameAsPageByPage(s, { type: types[i % 4], file: `f${rng.int(0, 4)}`, index: rng.int(0, 650), count: rng.int(1, 160) }, before)) changed++;
        }
      }
      expect(changed, 'events that changed the state').to.be.greaterThan(40);
    });
  }

  it('evicts a run of consecutive pages whose LRU positions do not follow on (pages of another file came between)', () => {
    const s = runChecked(withoutFlusher(simState({ memory: '16M' })), [
      { type: 'pagecache.fault', file: 'f', index: 0, count: 4 },
      { type: 'pagecache.fault', file: 'g', index: 0, count: 4 },
      { type: 'pagecache.evict', file: 'g', index: 0, count: 4 },
      // Served from the pages g left: f's indices 0..7 are pfns 0..7, at LRU positions 0..3 and 8..11.
      { type: 'pagecache.fault', file: 'f', index: 4, count: 4 },
    ]).state;
    expect(s.pagecache.lru.tail).to.equal(12);
    for (const type of types) expect(sameAsPageByPage(s, { type, file: 'f', index: 0, count: 8 }), type).to.equal(type !== 'pagecache.writeback.done' && type !== 'pagecache.writeback.start');
  });
});
