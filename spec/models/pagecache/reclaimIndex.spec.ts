import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { Rng, seedRng } from '../../../lib/engine/index.ts';
import { isolateRange, migrateRange, pagecacheOf, undoIsolateRange } from '../../../models/mm/contig.ts';
import { pbStartPfn } from '../../../models/memory/mutMemory.ts';
import { shardGet } from '../../../models/memory/shardedMap.ts';
import { K_PAGECACHE, kindOf, pcFlags, PC_DIRTY, PC_REFERENCED, PC_WRITEBACK } from '../../../models/memory/pageCode.ts';
import { lruEntries } from '../../../models/pagecache/queries.ts';
import { LRU_CHUNK, PB_GROUP } from '../../../models/pagecache/state.ts';
import type { SimState } from '../../../models/state.ts';
import { DEFAULT_COSTS } from '../../../models/timing/costs.ts';
import { mutate, runChecked, simState, withoutFlusher } from '../memory/sim.ts';

/** The reclaim index recomputed from the pages, the pins and the slots. */
function recount(s: SimState): { freeable: number; freeableCma: number; refChunks: Record<string, number>; pbFreeable: Record<string, number[]> } {
  const mem = s.memory;
  let freeable = 0, freeableCma = 0;
  const refChunks: Record<string, number> = {};
  // Groups of the index that exist stay (with zeros); others appear with a freeable page.
  const pbFreeable: Record<string, number[]> = {};
  for (const g of Object.keys(s.pagecache.reclaim.pbFreeable)) pbFreeable[g] = new Array(PB_GROUP).fill(0);
  mem.pageblocks.forEach((pb, i) => {
    pb.pages.forEach((c, off) => {
      if (kindOf(c) !== K_PAGECACHE) return;
      const fl = pcFlags(c);
      const pinned = (pb.pins?.[String(off)] ?? 0) > 0;
      if (!(fl & (PC_DIRTY | PC_WRITEBACK | PC_REFERENCED)) && !pinned) {
        freeable++;
        if (pb.mt === 'CMA') freeableCma++;
        const g = String(Math.floor(i / PB_GROUP));
        (pbFreeable[g] ??= new Array(PB_GROUP).fill(0))[i % PB_GROUP]++;
      }
      if (fl & PC_REFERENCED) {
        const k = String(Math.floor(pagecacheOf(s, pbStartPfn(mem.banks, mem.config.pageblockOrder, i) + off)!.lruPos / LRU_CHUNK));
        refChunks[k] = (refChunks[k] ?? 0) + 1;
      }
    });
  });
  return { freeable, freeableCma, refChunks, pbFreeable };
}

/** Live LRU entries, oldest first. */
function lruOrder(s: SimState): number[] {
  return lruEntries(s).filter((pfn) => pfn >= 0);
}

const referenced = (s: SimState): number =>
  s.memory.pageblocks.reduce((n, pb) => n + pb.pages.filter((c) => kindOf(c) === K_PAGECACHE && pcFlags(c) & PC_REFERENCED).length, 0);

// 16 MiB = 4096 pages with a CMA area at pfn 2048..3071; watermarks min 256, low 320, high 384.
const A = 2048, B = 3072;
const machine = () => simState({ memory: '16M', minFreeKbytes: 1024 }, {}, [{ start: A, pages: B - A }]);

describe('models/pagecache/reclaimIndex', () => {
  it('stays equal to a recount over random faults, dirtying, writeback, pins, evictions, allocations and isolation', function () {
    this.timeout(20_000);
    const rng = new Rng(seedRng(11));
    let s = machine();
    let pins = 0, allocs = 0;
    const livePins: string[] = [], liveAllocs: string[] = [], fresh: string[] = [];
    for (let round = 0; round < 12; round++) {
      const evs: SimEvent[] = [];
      for (let i = 0; i < 40; i++) {
        const file = `f${rng.int(0, 3)}`, index = rng.int(0, 1200), r = rng.next();
        if (r < 0.45) evs.push({ type: 'pagecache.fault', file, index, count: rng.int(1, 64) });
        else if (r < 0.55) evs.push({ type: 'pagecache.dirty', file, index, count: rng.int(1, 32) });
        else if (r < 0.62) evs.push({ type: 'pagecache.writeback.start', file, index: 0, count: 1300 });
        else if (r < 0.67) evs.push({ type: 'pagecache.evict', file, index, count: rng.int(1, 64) });
        else if (r < 0.77) { const id = `p${pins++}`; livePins.push(id); evs.push({ type: 'page.pin', id, file, index, longterm: rng.next() < 0.3 }); }
        else if (r < 0.85 && livePins.length > 0) evs.push({ type: 'page.unpin', id: livePins.splice(rng.int(0, livePins.length - 1), 1)[0] });
        else if (r < 0.95) { const id = `k${allocs++}`; fresh.push(id); evs.push({ type: 'memory.alloc', id, kind: rng.next() < 0.5 ? 'unmovable' : 'movable', order: rng.int(0, 2) }); }
        else if (liveAllocs.length > 0) evs.push({ type: 'memory.free', id: liveAllocs.splice(rng.int(0, liveAllocs.length - 1), 1)[0] });
      }
      const { engine } = runChecked(s, evs, { check: false });
      engine.run({
        stopWhen: (_env, state) => {
          expect(state().model.pagecache.reclaim).to.deep.equal(recount(state().model));
          return false;
        },
      });
      s = engine.state.model;
      // Allocations that failed have nothing to free.
      for (const id of fresh) if (shardGet(s.memory.allocIds, id) !== undefined) liveAllocs.push(id);
      fresh.length = 0;
      expect(s.pagecache.reclaim).to.deep.equal(recount(s));
      // Isolating part of the CMA area moves its freeable pages out of freeableCma; undoing brings them back.
      const from = A + 512 * rng.int(0, 1);
      s = mutate(s, (d) => { isolateRange(d, from, from + 512); migrateRange(d, from, from + 256, { discardClean: true, costs: DEFAULT_COSTS }); });
      expect(s.pagecache.reclaim).to.deep.equal(recount(s));
      s = mutate(s, (d) => undoIsolateRange(d, from, from + 512));
      expect(s.pagecache.reclaim).to.deep.equal(recount(s));
    }
    expect(s.pagecache.counts.nrPages).to.be.greaterThan(1000);
    expect(s.pagecache.reclaim.freeable).to.be.greaterThan(0);
  });

  it('a full pass that can free nothing clears the referenced bits and keeps the LRU order (vmscan: rotate, do not reclaim)', () => {
    // Fill with dirty pages, touch some again (referenced), then ask for more than is free.
    const evs: SimEvent[] = [];
    for (const f of ['a', 'b', 'c']) evs.push({ type: 'pagecache.fault', file: f, index: 0, count: 1200 }, { type: 'pagecache.dirty', file: f, index: 0, count: 1200 });
    evs.push({ type: 'pagecache.fault', file: 'b', index: 100, count: 50 });
    const before = runChecked(withoutFlusher(machine()), evs).state;
    expect(before.pagecache.reclaim.freeable).to.equal(0);
    expect(referenced(before)).to.equal(50);
    const kmem = Array.from({ length: 400 }, (_, i): SimEvent => ({ type: 'memory.alloc', id: `k${i}`, kind: 'unmovable', order: 0 }));
    const { state, emitted } = runChecked(before, kmem);
    expect(emitted.some((e) => e.type === 'memory.alloc.failed')).to.equal(true);
    expect(state.pagecache.stats.reclaimed).to.equal(0);
    expect(referenced(state)).to.equal(0);
    expect(state.pagecache.reclaim).to.deep.include({ freeable: 0, freeableCma: 0, refChunks: {} });
    expect(lruOrder(state)).to.deep.equal(lruOrder(before));
  });
});
