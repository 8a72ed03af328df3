import { expect } from 'chai';
import { produce } from 'immer';
import { Rng, seedRng } from '../../../lib/engine/prng.ts';
import { stateHash } from '../../../lib/history/index.ts';
import { KERNEL_VERSIONS, type KernelSetting } from '../../../models/kernel/profile.ts';
import { allocBlock, allocRun, type AllocMt, type AllocRequest } from '../../../models/memory/allocator.ts';
import { freeBlock } from '../../../models/memory/buddy.ts';
import type { MachineConfig } from '../../../models/memory/createMemoryState.ts';
import { mutMemory } from '../../../models/memory/mutMemory.ts';
import type { SimState } from '../../../models/state.ts';
import { randomState, simState } from './sim.ts';

const MTS: readonly AllocMt[] = ['MOVABLE', 'MOVABLE', 'MOVABLE', 'UNMOVABLE', 'RECLAIMABLE'];

/** Machines with one and two zones, small pageblocks (runs cross them) and CMA areas. */
const MACHINES: readonly { name: string; machine: MachineConfig; cma?: { start: number; pages: number }[] }[] = [
  { name: '16 MiB, one zone', machine: { memory: '16M' } },
  { name: '16 MiB, 4 MiB CMA', machine: { memory: '16M' }, cma: [{ start: 2048, pages: 1024 }] },
  {
    name: 'two zones, pageblocks of 8 pages, max order 6, 1 MiB CMA',
    machine: { banks: [{ size: '4M', zone: 'DMA32' }, { base: '4M', size: '4M', zone: 'Normal' }], pageblockOrder: 3, maxOrder: 6, minFreeKbytes: 256 },
    cma: [{ start: 1024, pages: 256 }],
  },
  // A max-order block spans 256 pageblocks: splits cross the allocator's groups of 64 pageblocks.
  { name: '16 MiB, pageblocks of 4 pages', machine: { memory: '16M', pageblockOrder: 2 } },
];

function randomRequest(rng: Rng, zones: number): AllocRequest {
  const mt = MTS[rng.int(0, MTS.length - 1)];
  return {
    mt, order: 0,
    ...(rng.next() < 0.2 ? { noCma: true } : {}),
    ...(rng.next() < 0.2 ? { watermark: 'none' as const } : {}),
    ...(zones > 1 && rng.next() < 0.2 ? { zone: rng.int(0, zones - 1) } : {}),
  };
}

/**
 * The same draft work both ways: `pre` single allocations and frees (search hints, split stack
 * and stale order bits as a real batch leaves them), then `count` pages as one run or page by page.
 */
function drive(s: SimState, seed: number, asRun: boolean): { pfns: number[]; state: SimState; epochs: number } {
  const rng = new Rng(seedRng(seed));
  const pre = rng.int(0, 12);
  const req = randomRequest(rng, s.memory.zones.length);
  const count = rng.int(1, 700);
  const preReqs = Array.from({ length: pre }, () => ({ ...randomRequest(rng, s.memory.zones.length), order: rng.int(0, 3) }));
  const freeEvery = rng.int(2, 5);
  let pfns: number[] = [];
  let epochs = 0;
  const state = produce(s, (d) => {
    const m = mutMemory(d.memory);
    const got: [number, number][] = [];
    preReqs.forEach((r, i) => {
      const pfn = allocBlock(m, r);
      if (pfn >= 0) got.push([pfn, r.order]);
      if (i % freeEvery === 1 && got.length > 1) {
        const [p, o] = got.splice(0, 1)[0];
        freeBlock(m, p, o);
      }
    });
    const e0 = m.epoch;
    if (asRun) pfns = allocRun(m, req, count);
    else {
      for (let i = 0; i < count; i++) {
        const pfn = allocBlock(m, req);
        if (pfn < 0) break;
        pfns.push(pfn);
      }
    }
    epochs = m.epoch - e0;
  });
  return { pfns, state, epochs };
}

describe('models/memory/allocator allocRun', () => {
  const kernels: KernelSetting[] = [...KERNEL_VERSIONS, { version: '6.18', cmaFallback: 'first' }, { version: '6.18', cmaFallback: 'last' }, { version: '6.6', cmaFallback: 'after-movable' }];
  for (const mc of MACHINES) {
    it(`hands out the pages n allocBlock calls would, leaving the same state, under every kernel profile: ${mc.name}`, () => {
      let runEpochs = 0, singleEpochs = 0, pages = 0;
      kernels.forEach((k, ki) => {
        const base = simState(mc.machine, {}, mc.cma, k);
        const rng = new Rng(seedRng(1000 + ki));
        for (let trial = 0; trial < 6; trial++) {
          const s = randomState(rng, base, rng.int(0, 160));
          for (let j = 0; j < 4; j++) {
            const seed = rng.nextU32();
            const a = drive(s, seed, true), b = drive(s, seed, false);
            const what = `${JSON.stringify(k)} trial ${trial}.${j}`;
            expect(a.pfns, what).to.deep.equal(b.pfns);
            expect(stateHash(a.state), what).to.equal(stateHash(b.state));
            runEpochs += a.epochs;
            singleEpochs += b.epochs;
            pages += a.pfns.length;
          }
        }
      });
      // Not vacuous: many pages, and most taken in runs (one list change per run, not per page).
      expect(pages).to.be.greaterThan(20_000);
      expect(runEpochs).to.be.lessThan(singleEpochs / 3);
    });
  }

  it('stops at the first allocation that fails, as page by page does', () => {
    const s = simState({ memory: '4M', minFreeKbytes: 0 });
    const full = produce(s, (d) => {
      const m = mutMemory(d.memory);
      expect(allocRun(m, { mt: 'MOVABLE', order: 0 }, 5000)).to.have.length(1024);
      expect(allocRun(m, { mt: 'MOVABLE', order: 0 }, 3)).to.deep.equal([]);
    });
    expect(full.memory.zones[0].nrFree).to.equal(0);
  });
});
