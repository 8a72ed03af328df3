import { expect } from 'chai';
import { produce } from 'immer';
import type { SimEvent } from '../../../events/index.ts';
import { stateHash } from '../../../lib/history/index.ts';
import { allocBlock, type AllocRequest } from '../../../models/memory/allocator.ts';
import { freeBlock } from '../../../models/memory/buddy.ts';
import { codeAt, memStats, mutMemory } from '../../../models/memory/mutMemory.ts';
import { pcFlags, PC_REFERENCED } from '../../../models/memory/pageCode.ts';
import { faultPages } from '../../../models/pagecache/fault.ts';
import { stats } from '../../../models/pagecache/mutPagecache.ts';
import { insertPage, lookupPage, setPcFlags } from '../../../models/pagecache/pageOps.ts';
import { allocWithReclaim, muts } from '../../../models/pagecache/reclaim.ts';
import type { SimState } from '../../../models/state.ts';
import { runChecked, simState } from '../memory/sim.ts';

/** What faultPages did before runs: one page at a time, each allocated with reclaim and then inserted. */
function faultOneByOne(s: SimState, file: string, index: number, count: number): SimState {
  return produce(s, (d) => {
    const { m, p } = muts(d);
    for (let i = index; i < index + count; i++) {
      const pfn = lookupPage(p, file, i);
      if (pfn >= 0) {
        if (!(pcFlags(codeAt(m, pfn)) & PC_REFERENCED)) setPcFlags(m, p, pfn, PC_REFERENCED, 0);
        continue;
      }
      const to = allocWithReclaim(m, p, { mt: 'MOVABLE', order: 0 });
      if (to < 0) {
        stats(p).allocFailures += 1;
        memStats(m).allocFailures += 1;
        return;
      }
      insertPage(m, p, file, i, to);
    }
  });
}

function faultAsRuns(s: SimState, file: string, index: number, count: number): SimState {
  return produce(s, (d) => {
    const { m, p } = muts(d);
    faultPages(m, p, file, index, count);
  });
}

/** A 16 MiB machine with kernel allocations, freed holes, evicted ranges and cached pages in between. */
function fragmented(extraFaults: number): SimState {
  const ev: SimEvent[] = [];
  for (let i = 0; i < 40; i++) {
    ev.push({ type: 'pagecache.fault', file: `f${i % 5}`, index: i * 24, count: 24 });
    ev.push({ type: 'memory.alloc', id: `k${i}`, kind: i % 5 === 4 ? 'movable' : i % 3 === 0 ? 'reclaimable' : 'unmovable', order: i % 4 });
    if (i % 3 === 1) ev.push({ type: 'memory.free', id: `k${i - 1}` });
    if (i % 7 === 3) ev.push({ type: 'pagecache.evict', file: `f${i % 5}`, index: i * 12, count: 17 });
  }
  for (let i = 0; i < extraFaults; i++) ev.push({ type: 'pagecache.fault', file: 'big', index: i * 32, count: 32 });
  return runChecked(simState({ memory: '16M' }), ev, { check: false }).state;
}

describe('models/pagecache/fault (runs)', () => {
  const cases: [string, SimState][] = [
    ['a fresh machine (the whole run inserted at once)', simState({ memory: '16M' })],
    ['fragmented free lists', fragmented(0)],
    ['memory near its watermarks (reclaim inside the run)', fragmented(100)],
  ];
  for (const [what, s] of cases) {
    it(`leaves the state page-at-a-time faulting leaves: ${what}`, () => {
      for (const [file, index, count] of [['f1', 0, 64], ['f2', 100, 200], ['new', 0, 500], ['f0', 5, 31]] as const) {
        const a = faultAsRuns(s, file, index, count);
        const b = faultOneByOne(s, file, index, count);
        expect(stateHash(a), `${file}:${index}+${count}`).to.equal(stateHash(b));
        expect(a.pagecache.stats.reclaimed, 'same reclaim').to.equal(b.pagecache.stats.reclaimed);
      }
    });
  }

  it('the near-watermark case really reclaims inside the run, and the fresh case does not', () => {
    const near = cases[2][1], fresh = cases[0][1];
    expect(faultAsRuns(near, 'new', 0, 500).pagecache.stats.reclaimed).to.be.greaterThan(near.pagecache.stats.reclaimed);
    expect(faultAsRuns(fresh, 'new', 0, 500).pagecache.stats.reclaimed).to.equal(0);
  });
});

describe('models/memory/allocator split stack', () => {
  /** Allocations and frees on one draft; `scan` forgets the split stack before each, so findHead always scans. */
  function drive(s: SimState, scan: boolean): { pfns: number[]; state: SimState; stackUsed: number } {
    const pfns: number[] = [];
    let stackUsed = 0;
    const state = produce(s, (d) => {
      const m = mutMemory(d.memory);
      const reqs: AllocRequest[] = [];
      for (let i = 0; i < 300; i++) reqs.push(i % 37 === 5 ? { mt: 'UNMOVABLE', order: i % 3 } : i % 53 === 7 ? { mt: 'MOVABLE', order: 2 } : { mt: 'MOVABLE', order: 0 });
      for (let i = 0; i < reqs.length; i++) {
        if (scan) m.split = null;
        else if (m.split !== null && m.split.epoch === m.epoch && m.split.pfns.length > 0) stackUsed++;
        const pfn = allocBlock(m, reqs[i]);
        pfns.push(pfn);
        // Give some pages back now and then: a list change the stack must notice.
        if (i % 29 === 11 && pfn >= 0) freeBlock(m, pfns[i - 3], reqs[i - 3].order);
      }
    });
    return { pfns, state, stackUsed };
  }

  for (const [what, s] of [['fresh', simState({ memory: '16M' })], ['fragmented', fragmented(0)]] as const) {
    it(`hands out the blocks and leaves the state a full search would: ${what}`, () => {
      const fast = drive(s, false), slow = drive(s, true);
      expect(fast.pfns).to.deep.equal(slow.pfns);
      expect(stateHash(fast.state)).to.equal(stateHash(slow.state));
      expect(fast.stackUsed, 'the stack answered some searches').to.be.greaterThan(100);
    });
  }
});
