import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { isolateRange, migratetypeOf, pageState } from '../../../models/mm/contig.ts';
import { shardGet } from '../../../models/memory/shardedMap.ts';
import type { AllocRecord } from '../../../models/memory/state.ts';
import type { SimState } from '../../../models/state.ts';
import type { CmaFallback } from '../../../models/memory/state.ts';
import { mutate, runChecked, simState } from './sim.ts';
import type { KernelSetting } from '../../../models/kernel/profile.ts';
import { setPageblockMt } from '../../../models/memory/buddy.ts';
import { mutMemory } from '../../../models/memory/mutMemory.ts';

// 16 MiB = 4096 pages in 8 pageblocks; pageblocks 4 and 5 (pfn 2048..3071) are a CMA area.
const CMA_START = 2048, CMA_END = 3072;
const machine = (cmaFallback: CmaFallback) => simState({ memory: '16M', minFreeKbytes: 0, cmaFallback }, {}, [{ start: CMA_START, pages: 1024 }]);
const pfnOf = (s: SimState, id: string): number => {
  const serial = shardGet<number>(s.memory.allocIds, id);
  return serial === undefined ? -1 : shardGet<AllocRecord>(s.memory.allocs, serial)!.pfn;
};
const inCma = (pfn: number) => pfn >= CMA_START && pfn < CMA_END;
const alloc = (id: string, kind: 'unmovable' | 'movable' | 'reclaimable', order: number): SimEvent => ({ type: 'memory.alloc', id, kind, order });

describe('models/memory/allocator', () => {
  it("'first': a movable allocation takes CMA pageblocks before its own lists", () => {
    const { state } = runChecked(machine('first'), [alloc('a', 'movable', 0)]);
    expect(inCma(pfnOf(state, 'a'))).to.equal(true);
  });

  it("'last': CMA only once the movable lists and stealing found nothing", () => {
    // 6 non-CMA pageblocks of 512 pages; 6 order-9 movable allocations use them up.
    const evs = [0, 1, 2, 3, 4, 5, 6].map((i) => alloc(`m${i}`, 'movable', 9));
    const { state } = runChecked(machine('last'), evs);
    for (let i = 0; i < 6; i++) expect(inCma(pfnOf(state, `m${i}`)), `m${i}`).to.equal(false);
    expect(inCma(pfnOf(state, 'm6'))).to.equal(true);
  });

  it("'balance' (5.7+): CMA first only when it holds more than half of the zone's free pages", () => {
    // Free 4096, CMA free 1024: movable avoids CMA.
    let r = runChecked(machine('balance'), [alloc('a', 'movable', 0)]);
    expect(inCma(pfnOf(r.state, 'a'))).to.equal(false);
    // Unmovable takes 2048 pages outside CMA: free 2048, CMA 1024 is not more than half: still outside.
    r = runChecked(machine('balance'), [alloc('u0', 'unmovable', 10), alloc('u1', 'unmovable', 10), alloc('a', 'movable', 0)]);
    expect(inCma(pfnOf(r.state, 'a'))).to.equal(false);
    r = runChecked(machine('balance'), [alloc('u0', 'unmovable', 10), alloc('u1', 'unmovable', 10), alloc('b', 'movable', 0), alloc('u2', 'unmovable', 9), alloc('a', 'movable', 0)]);
    expect(['u0', 'u1', 'u2'].some((id) => inCma(pfnOf(r.state, id)))).to.equal(false);
    // after u0, u1: free 2048, CMA 1024 is exactly half -> 'b' still avoids CMA;
    // after u2: free 1535, CMA 1024 > 767 -> 'a' takes CMA first
    expect(inCma(pfnOf(r.state, 'b'))).to.equal(false);
    expect(inCma(pfnOf(r.state, 'a'))).to.equal(true);
  });

  it("'balance' does not count isolated free pages as free (NR_FREE_PAGES)", () => {
    // Isolate 2560 non-CMA pages: 512 ordinary + 1024 CMA free pages remain, so CMA is the majority.
    const s = mutate(machine('balance'), (d) => { isolateRange(d, 0, 2048); isolateRange(d, 3072, 3584); });
    const { state } = runChecked(s, [alloc('a', 'movable', 0)]);
    expect(inCma(pfnOf(state, 'a'))).to.equal(true);
  });

  it("'balance' falls back to CMA before stealing when the movable lists are empty", () => {
    const evs = [alloc('u0', 'unmovable', 10), alloc('u1', 'unmovable', 10), alloc('m0', 'movable', 9), alloc('m1', 'movable', 0)];
    const { state } = runChecked(simState({ memory: '16M', minFreeKbytes: 0, cmaFallback: 'balance' }, {}, [{ start: 2048, pages: 1024 }]), evs);
    // non-CMA: 3072 pages, 2048 unmovable + 512 movable -> 512 left; CMA 1024 > 1536/2 so CMA is used first anyway
    expect(inCma(pfnOf(state, 'm1'))).to.equal(true);
  });

  it('never gives unmovable or reclaimable allocations a CMA page, even when only CMA is free', () => {
    const evs: SimEvent[] = [];
    for (let i = 0; i < 8; i++) evs.push(alloc(`u${i}`, i % 2 ? 'reclaimable' : 'unmovable', 9));
    const { state, emitted } = runChecked(machine('first'), evs);
    const failed = emitted.filter((e) => e.type === 'memory.alloc.failed').map((e) => (e as { id: string }).id);
    expect(failed).to.deep.equal(['u6', 'u7']);
    for (let i = 0; i < 6; i++) expect(inCma(pfnOf(state, `u${i}`))).to.equal(false);
    expect(state.memory.zones[0].free[3].nrFree).to.equal(1024); // CMA untouched
    expect(state.memory.stats.allocFailures).to.equal(2);
  });

  it('steals from MOVABLE and claims the pageblock for unmovable allocations (__rmqueue_fallback)', () => {
    const { state } = runChecked(machine('balance'), [alloc('u', 'unmovable', 0)]);
    const pfn = pfnOf(state, 'u');
    expect(migratetypeOf(state, pfn)).to.equal('UNMOVABLE');
    expect(pageState(state, pfn).kind).to.equal('unmovable');
    expect(state.memory.stats.stolen).to.equal(1);
    // the rest of the claimed pageblock now serves unmovable allocations without stealing
    const r2 = runChecked(state, [alloc('u2', 'unmovable', 3)]);
    expect(r2.state.memory.stats.stolen).to.equal(1);
    expect(migratetypeOf(r2.state, pfnOf(r2.state, 'u2'))).to.equal('UNMOVABLE');
  });

  it('refuses the min watermark to non-movable allocations counting free CMA pages (reference §4)', () => {
    // min_free_kbytes 8192 => min 2048 pages. Non-CMA free 3072: an order-10 unmovable (1024) leaves 2048, ok;
    // a second leaves 1024 < 2048 even though CMA adds 1024 free pages.
    const s = simState({ memory: '16M', minFreeKbytes: 8192 }, {}, [{ start: CMA_START, pages: 1024 }]);
    const { emitted } = runChecked(s, [alloc('u0', 'unmovable', 10), alloc('u1', 'unmovable', 10)]);
    expect(emitted.filter((e) => e.type === 'memory.alloc.failed').map((e) => (e as { id: string }).id)).to.deep.equal(['u1']);
  });

  describe('zones (every profile: mm/page_alloc.c 6.1 build_zonerefs_node, get_page_from_freelist)', () => {
    // DMA32 listed first, Normal second: 2048 pages each; min_free_kbytes 1024 -> min 128 per zone.
    const twoZones = () => simState({ banks: [{ name: 'low', base: 0, size: '8M', zone: 'DMA32' }, { name: 'high', base: '8M', size: '8M', zone: 'Normal' }], minFreeKbytes: 1024 });
    const inNormal = (pfn: number) => pfn >= 2048;

    it('tries the highest zone first (the zonelist order), whatever order the banks are declared in', () => {
      const { state } = runChecked(twoZones(), [alloc('a', 'movable', 0), alloc('u', 'unmovable', 0)]);
      expect(inNormal(pfnOf(state, 'a'))).to.equal(true);
      expect(inNormal(pfnOf(state, 'u'))).to.equal(true);
    });

    it('the fast path checks the low watermark (ALLOC_WMARK_LOW in __alloc_pages) and moves to a lower zone before dipping below it', () => {
      const evs = [alloc('m0', 'movable', 10), alloc('m1', 'movable', 9), alloc('m2', 'movable', 8), alloc('m3', 'movable', 7)];
      const { state } = runChecked(twoZones(), evs);
      const normal = state.memory.zones.findIndex((z) => z.name === 'Normal');
      const wm = state.memory.zones[normal].watermark;
      // Premise: m3 would leave Normal with 128 free pages, at or above min but below low.
      expect(256 - 128).to.be.at.least(wm.min).and.below(wm.low);
      expect(['m0', 'm1', 'm2'].map((id) => inNormal(pfnOf(state, id)))).to.deep.equal([true, true, true]);
      expect(inNormal(pfnOf(state, 'm3'))).to.equal(false);
    });

    it('the slow path takes the min watermark (ALLOC_WMARK_MIN from gfp_to_alloc_flags) once every zone is below low', () => {
      const one = simState({ memory: '8M', minFreeKbytes: 512 }); // min 128, low 160
      const { state, emitted } = runChecked(one, [alloc('m0', 'movable', 10), alloc('m1', 'movable', 9), alloc('m2', 'movable', 8), alloc('m3', 'movable', 7)]);
      expect(emitted.filter((e) => e.type === 'memory.alloc.failed')).to.deep.equal([]);
      expect(state.memory.zones[0].nrFree).to.equal(128);
    });
  });

  describe('fallback: a block of another type that is not claimed (mm/page_alloc.c __rmqueue_fallback)', () => {
    // pb0-5 movable order 9; pb6 64 movable order-3 pieces, one freed (an order-3 hole); pb7 holds
    // movable order 8 + order 6 and has free an order-6 block (+320) and an order-7 block (+384):
    // 192 free pages, 320 LRU pages, so an unmovable request cannot claim it (192 < 256).
    const setup = (kernel: KernelSetting): SimState => {
      const evs: SimEvent[] = [];
      for (let i = 0; i < 6; i++) evs.push(alloc(`m${i}`, 'movable', 9));
      for (let i = 0; i < 64; i++) evs.push(alloc(`f${i}`, 'movable', 3));
      evs.push(alloc('a0', 'movable', 8), alloc('a1', 'movable', 6), { type: 'memory.free', id: 'f5' });
      return runChecked(simState({ memory: '16M', minFreeKbytes: 0 }, {}, undefined, kernel), evs).state;
    };
    const PB7 = 7 * 512;

    it('6.1 moves the pageblock\'s free pages and takes the smallest (move_freepages_block), 6.12 takes the request from the biggest buddy (c0cd6f557b90, 6.9), 6.18 steals the smallest block of the zone (try_to_claim_block, __rmqueue_steal, 6.15)', () => {
      const where = (k: string) => {
        const { state } = runChecked(setup(k), [alloc('u', 'unmovable', 0)]);
        const pfn = pfnOf(state, 'u');
        expect(migratetypeOf(state, pfn)).to.equal('MOVABLE'); // never claimed
        return pfn;
      };
      const f5 = pfnOf(runChecked(simState({ memory: '16M', minFreeKbytes: 0 }), [...Array.from({ length: 6 }, (_, i) => alloc(`m${i}`, 'movable', 9)), ...Array.from({ length: 6 }, (_, i) => alloc(`f${i}`, 'movable', 3))]).state, 'f5');
      expect(where('6.1')).to.equal(PB7 + 320);
      expect(where('6.12')).to.equal(PB7 + 384);
      expect(where('6.18')).to.equal(f5);
    });

    it('claimCounts: before 4.12 only free pages count toward a claim (4.9), since 4.12 the alike ones too (5.10 steal_suitable_fallback alike_pages: LRU pages for a movable request)', () => {
      const claimed = (k: KernelSetting) => {
        // pb7 as if claimed by an unmovable allocation earlier, its 320 LRU pages still there.
        const s = mutate(setup(k), (d) => { setPageblockMt(mutMemory(d.memory), 7, PB7, 'UNMOVABLE'); });
        const { state } = runChecked(s, [alloc('m', 'movable', 4)]);
        expect(pfnOf(state, 'm')).to.be.within(PB7, PB7 + 511);
        return migratetypeOf(state, PB7);
      };
      expect(claimed('5.10')).to.equal('MOVABLE'); // 192 free + 320 alike >= 256
      expect(claimed('4.9')).to.equal('UNMOVABLE'); // 192 free < 256
      expect(claimed({ version: '5.10', claimCounts: 'free' })).to.equal('UNMOVABLE');
    });
  });
});
