import { expect } from 'chai';
import { produce } from 'immer';
import { allocBlock } from '../../../models/memory/allocator.ts';
import { freeBlock as freeRaw, setCodes, setPageblockMt } from '../../../models/memory/buddy.ts';
import { addUsed } from '../../../models/memory/carve.ts';
import { internOwner } from '../../../models/memory/owners.ts';
import { K_TAKEN, useCode } from '../../../models/memory/pageCode.ts';
import type { AllocRequest } from '../../../models/memory/allocator.ts';
import { createMemoryState } from '../../../models/memory/createMemoryState.ts';
import { reserveRange } from '../../../models/mm/contig.ts';
import { mutMemory, pbWrite, type MemMut } from '../../../models/memory/mutMemory.ts';
import { MT_INDEX, type MemoryState, type Migratetype } from '../../../models/memory/state.ts';
import { checkMemoryInvariants } from '../../../models/invariants/memory.ts';
import type { KernelSetting } from '../../../models/kernel/profile.ts';
import { headOrder } from '../../../models/memory/pageCode.ts';
import { shardGet } from '../../../models/memory/shardedMap.ts';
import type { AllocRecord } from '../../../models/memory/state.ts';
import { mutate, runChecked, simState } from './sim.ts';

const blocks = (m: MemoryState, mt: Migratetype) => m.zones[0].free[MT_INDEX[mt]].blocks;
const edit = (m: MemoryState, f: (mm: ReturnType<typeof mutMemory>) => void) => {
  const out = produce(m, (dm) => f(mutMemory(dm)));
  expect(checkMemoryInvariants(out)).to.equal(null);
  return out;
};

/** allocBlock plus what a caller does: mark the pages in use (as taken, so invariants hold). */
function alloc(mm: MemMut, req: AllocRequest): number {
  const pfn = allocBlock(mm, req);
  setCodes(mm, pfn, 2 ** req.order, useCode(K_TAKEN, internOwner(mm.dm, 'test')));
  addUsed(mm, pfn, 'taken', 2 ** req.order);
  return pfn;
}
function freeBlock(mm: MemMut, pfn: number, order: number): void {
  addUsed(mm, pfn, 'taken', -(2 ** order));
  freeRaw(mm, pfn, order);
}

describe('models/memory/buddy', () => {
  it('splits a block down to the order asked (expand) and merges it back on free', () => {
    let m = createMemoryState({ memory: '4M', minFreeKbytes: 0 });
    let pfn = -1;
    m = edit(m, (mm) => { pfn = alloc(mm, { mt: 'MOVABLE', order: 0 }); });
    expect(pfn).to.equal(0);
    // the order-10 block became one free block of each order 0..9 (the upper halves)
    expect(blocks(m, 'MOVABLE')).to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(m.zones[0].nrFree).to.equal(1023);
    m = edit(m, (mm) => { freeBlock(mm, pfn, 0); });
    expect(blocks(m, 'MOVABLE')).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('does not merge across pageblocks when one side is CMA (__free_one_page)', () => {
    const m = reserveRange(createMemoryState({ memory: '4M' }), 512, 512, 'cma');
    expect(checkMemoryInvariants(m)).to.equal(null);
    expect(blocks(m, 'MOVABLE')[9]).to.equal(1);
    expect(blocks(m, 'CMA')[9]).to.equal(1);
    expect(blocks(m, 'MOVABLE')[10] + blocks(m, 'CMA')[10]).to.equal(0);
  });

  it('merges across pageblocks of two ordinary types, the buddy taking the freed block\'s type (6.9+)', () => {
    let m = createMemoryState({ memory: '4M', minFreeKbytes: 0 });
    let pfn = -1;
    m = edit(m, (mm) => {
      pfn = alloc(mm, { mt: 'MOVABLE', order: 9 });
      setPageblockMt(mm, 1, 512, 'UNMOVABLE');
    });
    expect(pfn).to.equal(0);
    expect(blocks(m, 'UNMOVABLE')[9]).to.equal(1);
    m = edit(m, (mm) => { freeBlock(mm, 0, 9); });
    expect(blocks(m, 'MOVABLE')[10]).to.equal(1);
    expect(m.pageblocks[1].mt).to.equal('MOVABLE');
  });

  it('never merges a free block into an ISOLATE pageblock', () => {
    let m = createMemoryState({ memory: '4M', minFreeKbytes: 0 });
    m = edit(m, (mm) => {
      const pfn = alloc(mm, { mt: 'MOVABLE', order: 9 });
      setPageblockMt(mm, 1, 512, 'ISOLATE');
      pbWrite(mm, 1).saved = 'MOVABLE';
      expect(mm.dm.pageblocks[1].mt).to.equal('ISOLATE'); // the draft sees the overlay's copy
      freeBlock(mm, pfn, 9);
    });
    expect(blocks(m, 'MOVABLE')[9]).to.equal(1);
    expect(blocks(m, 'ISOLATE')[9]).to.equal(1);
  });

  it('splits a block larger than a pageblock before changing one pageblock\'s type', () => {
    const m = edit(createMemoryState({ memory: '4M' }), (mm) => setPageblockMt(mm, 0, 0, 'RECLAIMABLE'));
    expect(blocks(m, 'RECLAIMABLE')[9]).to.equal(1);
    expect(blocks(m, 'MOVABLE')[9]).to.equal(1);
  });
});

describe('models/memory/buddy across pageblocks (maxOrder above pageblock order)', () => {
  it('isolating one pageblock of an order-10 block splits it; undoing merges it back', async () => {
    const { isolateRange, undoIsolateRange } = await import('../../../models/mm/contig.ts');
    const { simState, mutate } = await import('./sim.ts');
    let s = mutate(simState({ memory: '4M' }), (d) => isolateRange(d, 512, 1024));
    expect(checkMemoryInvariants(s)).to.equal(null);
    expect(blocks(s.memory, 'MOVABLE')[9]).to.equal(1);
    expect(blocks(s.memory, 'ISOLATE')[9]).to.equal(1);
    expect(s.memory.pageblocks[1].saved).to.equal('MOVABLE');
    s = mutate(s, (d) => undoIsolateRange(d, 512, 1024));
    expect(checkMemoryInvariants(s)).to.equal(null);
    expect(blocks(s.memory, 'MOVABLE')[10]).to.equal(1);
  });

  it('with pageblock order 10 (32-bit ARM) a CMA pageblock is a whole max-order block', () => {
    const m = reserveRange(createMemoryState({ memory: '8M', pageblockOrder: 10 }), 1024, 1024, 'cma');
    expect(checkMemoryInvariants(m)).to.equal(null);
    expect(blocks(m, 'CMA')[10]).to.equal(1);
    expect(blocks(m, 'MOVABLE')[10]).to.equal(1);
    expect(() => reserveRange(m, 512, 1024, 'cma')).to.throw(/not aligned to the pageblock size \(1024 pages\)/);
  });
});

describe('models/memory/buddy: merging across pageblocks of two ordinary types (mm/page_alloc.c __free_one_page)', () => {
  // u0 claims pb0+pb1 (an order-10 MOVABLE block) as UNMOVABLE and holds pb0; pb1, free, is then
  // MOVABLE again (as a later claim would make it). Freeing u0 meets pb1 as a free buddy.
  const afterFree = (kernel: KernelSetting) => {
    const booted = runChecked(simState({ memory: '16M', minFreeKbytes: 0 }, {}, undefined, kernel), [{ type: 'memory.alloc', id: 'u0', kind: 'unmovable', order: 9 }]).state;
    const s = mutate(booted, (d) => { setPageblockMt(mutMemory(d.memory), 1, 512, 'MOVABLE'); });
    return runChecked(s, [{ type: 'memory.free', id: 'u0' }]).state.memory;
  };

  it('6.1 merges them and each pageblock keeps its type; 6.12 (6.9+) merges and gives the buddy the freed block\'s type ("Match buddy type")', () => {
    const m61 = afterFree('6.1');
    const m612 = afterFree('6.12');
    for (const m of [m61, m612]) expect(headOrder(m.pageblocks[0].pages[0])).to.equal(10);
    expect(m61.pageblocks.slice(0, 2).map((pb) => pb.mt)).to.deep.equal(['UNMOVABLE', 'MOVABLE']);
    expect(m612.pageblocks.slice(0, 2).map((pb) => pb.mt)).to.deep.equal(['UNMOVABLE', 'UNMOVABLE']);
    // The free-block invariant holds in both: one block over two ordinary types is allowed before 6.9 only.
    expect(checkMemoryInvariants(m61)).to.equal(null);
    expect(checkMemoryInvariants({ ...m61, config: { ...m61.config, mergeRule: 'retype' } })?.invariant).to.equal('free-block-one-migratetype');
  });

  it('never merges CMA or ISOLATE with another type, in any profile (migratetype_is_mergeable, 5.18+; areas aligned to MAX_ORDER before)', () => {
    for (const k of ['5.10', '6.1', '6.18']) {
      // 4 MiB: pb0 ordinary, pb1 CMA; u0 claims and takes pb0, then frees it next to the free CMA pb1.
      const s = simState({ memory: '4M', minFreeKbytes: 0 }, {}, [{ start: 512, pages: 512 }], k);
      const { state } = runChecked(s, [{ type: 'memory.alloc', id: 'u0', kind: 'unmovable', order: 9 }]);
      expect(shardGet<AllocRecord>(state.memory.allocs, shardGet<number>(state.memory.allocIds, 'u0')!)!.pfn).to.equal(0);
      const after = runChecked(state, [{ type: 'memory.free', id: 'u0' }]).state;
      expect(headOrder(after.memory.pageblocks[0].pages[0]), k).to.equal(9);
      expect(after.memory.pageblocks[0].mt, k).to.equal('UNMOVABLE');
      expect(after.memory.pageblocks[1].mt, k).to.equal('CMA');
    }
  });
});
