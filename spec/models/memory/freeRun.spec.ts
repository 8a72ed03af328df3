import { expect } from 'chai';
import { produce } from 'immer';
import { Rng, seedRng } from '../../../lib/engine/prng.ts';
import { stateHash } from '../../../lib/history/index.ts';
import { KERNEL_VERSIONS, type KernelSetting } from '../../../models/kernel/profile.ts';
import { allocBlock, type AllocMt, type AllocRequest } from '../../../models/memory/allocator.ts';
import { freeBlock } from '../../../models/memory/buddy.ts';
import type { MachineConfig } from '../../../models/memory/createMemoryState.ts';
import { freeRun } from '../../../models/memory/freeRun.ts';
import { codeAt, mutMemory, type MemMut } from '../../../models/memory/mutMemory.ts';
import type { SimState } from '../../../models/state.ts';
import { randomState, simState } from './sim.ts';

const MTS: readonly AllocMt[] = ['MOVABLE', 'MOVABLE', 'UNMOVABLE', 'RECLAIMABLE'];

/**
 * Machines with one and two banks and zones, CMA areas, and pageblocks small next to the max
 * order (merges cross pageblocks of different types, and the allocator's groups of 64 pageblocks).
 */
const MACHINES: readonly { name: string; machine: MachineConfig; cma?: { start: number; pages: number }[] }[] = [
  { name: '16 MiB, 4 MiB CMA', machine: { memory: '16M' }, cma: [{ start: 2048, pages: 1024 }] },
  {
    name: 'two zones, pageblocks of 8 pages, max order 6, 1 MiB CMA',
    machine: { banks: [{ size: '4M', zone: 'DMA32' }, { base: '4M', size: '4M', zone: 'Normal' }], pageblockOrder: 3, maxOrder: 6, minFreeKbytes: 256 },
    cma: [{ start: 1024, pages: 256 }],
  },
  { name: '16 MiB, pageblocks of 4 pages', machine: { memory: '16M', pageblockOrder: 2 }, cma: [{ start: 3072, pages: 512 }] },
];

function randomRequest(rng: Rng, zones: number): AllocRequest {
  return {
    mt: MTS[rng.int(0, MTS.length - 1)], order: rng.int(0, 3),
    ...(rng.next() < 0.2 ? { watermark: 'none' as const } : {}),
    ...(zones > 1 && rng.next() < 0.2 ? { zone: rng.int(0, zones - 1) } : {}),
  };
}

/** The longest run of in-use pages (at most `max`) from the first in-use page at or after a random pfn of a random bank; null when none. */
function inUseRun(m: MemMut, rng: Rng, max: number): [number, number] | null {
  const b = m.banks[rng.int(0, m.banks.length - 1)];
  const end = b.startPfn + b.nrPages;
  let pfn = b.startPfn + rng.int(0, b.nrPages - 1);
  while (pfn < end && codeAt(m, pfn) < 0) pfn++;
  let n = 0;
  while (n < max && pfn + n < end && codeAt(m, pfn + n) >= 0) n++;
  return n > 0 ? [pfn, n] : null;
}

/**
 * The same draft work both ways: allocations and frees first (search hints, split stack and stale
 * order bits as a real batch leaves them), then several runs of in-use pages freed as runs or page
 * by page, each followed by allocations in the same draft (which read the hints and order bits).
 */
function drive(s: SimState, seed: number, asRun: boolean): { state: SimState; got: number[]; freed: number; epochs: number } {
  const rng = new Rng(seedRng(seed));
  const zones = s.memory.zones.length;
  const got: number[] = [];
  let freed = 0, epochs = 0;
  const state = produce(s, (d) => {
    const m = mutMemory(d.memory);
    const alloc = (n: number) => {
      for (let i = 0; i < n; i++) got.push(allocBlock(m, randomRequest(rng, zones)));
    };
    alloc(rng.int(0, 8));
    for (let r = rng.int(1, 4); r > 0; r--) {
      const run = inUseRun(m, rng, rng.int(1, 3000));
      if (run === null) continue;
      const [pfn, n] = run;
      const e0 = m.epoch;
      if (asRun) freeRun(m, pfn, n);
      else for (let i = 0; i < n; i++) freeBlock(m, pfn + i, 0);
      epochs += m.epoch - e0;
      freed += n;
      alloc(rng.int(0, 6));
    }
  });
  return { state, got, freed, epochs };
}

describe('models/memory/freeRun', () => {
  const kernels: KernelSetting[] = [...KERNEL_VERSIONS, { version: '6.18', cmaFallback: 'first' }, { version: '6.6', cmaFallback: 'after-movable' }];
  for (const mc of MACHINES) {
    it(`leaves the state freeing the pages one by one leaves, under every kernel profile: ${mc.name}`, () => {
      let runEpochs = 0, pageEpochs = 0, pages = 0;
      kernels.forEach((k, ki) => {
        const base = simState(mc.machine, {}, mc.cma, k);
        const rng = new Rng(seedRng(2000 + ki));
        for (let trial = 0; trial < 5; trial++) {
          const s = randomState(rng, base, rng.int(20, 200), 2000);
          for (let j = 0; j < 4; j++) {
            const seed = rng.nextU32();
            const a = drive(s, seed, true), b = drive(s, seed, false);
            const what = `${JSON.stringify(k)} trial ${trial}.${j}`;
            expect(a.freed, what).to.equal(b.freed);
            // Allocations after each run find the same blocks (same lists, hints and order bits).
            expect(a.got, what).to.deep.equal(b.got);
            expect(stateHash(a.state), what).to.equal(stateHash(b.state));
            runEpochs += a.epochs;
            pageEpochs += b.epochs;
            pages += a.freed;
          }
        }
      });
      // Not vacuous: many pages freed, and far fewer list changes than page by page.
      expect(pages).to.be.greaterThan(10_000);
      expect(runEpochs, `${runEpochs} list changes as runs, ${pageEpochs} page by page`).to.be.lessThan(pageEpochs / 2.5);
    });
  }

  it('frees a whole pageblock of in-use pages as one block of pageblock order', () => {
    const s = simState({ memory: '4M', minFreeKbytes: 0 });
    produce(s, (d) => {
      const m = mutMemory(d.memory);
      const pfns = Array.from({ length: 1024 }, () => allocBlock(m, { mt: 'MOVABLE', order: 0 }));
      expect(m.dm.zones[0].nrFree).to.equal(0);
      const e0 = m.epoch;
      freeRun(m, pfns[0], 512);
      // One list change: the block of order 9 added, no merge (its buddy is in use).
      expect(m.epoch - e0).to.equal(1);
      expect(m.dm.zones[0].free[1].blocks[9]).to.equal(1);
      freeRun(m, 512, 512);
      // The second pageblock merges with the first: removed, and one block of order 10 added.
      expect(m.dm.zones[0].free[1].blocks.slice(9)).to.deep.equal([0, 1]);
      expect(m.dm.zones[0].nrFree).to.equal(1024);
    });
  });
});
