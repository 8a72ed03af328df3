import { expect } from 'chai';
import { produce } from 'immer';
import type { SimEvent } from '../../../events/index.ts';
import { Rng, seedRng } from '../../../lib/engine/index.ts';
import { checkInvariants, checkIsolateNotAllocated, checkMemoryInvariants, formatViolation } from '../../../models/invariants/index.ts';
import {
  isolateRange, migrateRange, releaseRange, takeRange, testPagesIsolated, undoIsolateRange,
} from '../../../models/mm/contig.ts';
import { K_UNMOVABLE, useCode } from '../../../models/memory/pageCode.ts';
import { DEFAULT_COSTS } from '../../../models/timing/costs.ts';
import type { SimState } from '../../../models/state.ts';
import { mutate, runChecked, simState } from '../memory/sim.ts';

// 16 MiB, two banks; a CMA area in bank 0 (pfn 1024..2047) and a private one in bank 1.
const machine = (policy: 'balance' | 'first' | 'last', pageblockOrder = 9) => simState(
  { banks: [{ name: 'b0', base: 0, size: '12M' }, { name: 'b1', base: '0x40000000', size: '4M' }], minFreeKbytes: 256, cmaFallback: policy, pageblockOrder },
  { dirtyExpireNs: 5_000, writebackPerPageNs: 300 },
  [{ start: 1024, pages: 1024 }, { start: 0x40000, pages: 2 ** pageblockOrder, mode: 'private' }],
);

/** A random but valid event sequence: faults, dirtying, evictions, kernel and anon allocations, pins. */
function randomEvents(seed: number, n: number): SimEvent[] {
  const rng = new Rng(seedRng(seed));
  const live: string[] = [];
  const pins: string[] = [];
  const out: SimEvent[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    const file = `f${rng.int(0, 5)}`;
    const index = rng.int(0, 800);
    if (r < 0.35) out.push({ type: 'pagecache.fault', file, index, count: rng.int(1, 48) });
    else if (r < 0.45) out.push({ type: 'pagecache.dirty', file, index, count: rng.int(1, 64) });
    else if (r < 0.5) out.push({ type: 'pagecache.writeback.start', file, index, count: rng.int(1, 64) });
    else if (r < 0.55) out.push({ type: 'pagecache.evict', file, index, count: rng.int(1, 64) });
    else if (r < 0.75) {
      const id = `a${i}`;
      live.push(id);
      const kind = (['unmovable', 'reclaimable', 'movable'] as const)[rng.int(0, 2)];
      out.push({ type: 'memory.alloc', id, kind, order: rng.int(0, 4) });
    } else if (r < 0.85 && live.length > 0) {
      out.push({ type: 'memory.free', id: live.splice(rng.int(0, live.length - 1), 1)[0] });
    } else if (r < 0.93) {
      const id = `p${i}`;
      pins.push(id);
      out.push(rng.next() < 0.5 ? { type: 'page.pin', id, file, index, longterm: rng.next() < 0.3 } : { type: 'page.pin', id, file, index: 0 });
    } else if (pins.length > 0) {
      out.push({ type: 'page.unpin', id: pins.splice(rng.int(0, pins.length - 1), 1)[0] });
    }
  }
  // Frees of allocations that failed would be refused: keep only frees of ids that exist at run time.
  return out;
}

/** alloc_contig_range over [s, e) as the CMA model drives it, invariants checked at each step. */
function contigCycle(st: SimState, s: number, e: number): SimState {
  const check = (x: SimState, prev: SimState) => { const v = checkInvariants(x, { prev }); expect(v && formatViolation(v)).to.equal(null); return x; };
  let cur = check(mutate(st, (d) => isolateRange(d, s, e)), st);
  for (let pass = 0; pass < 3; pass++) cur = check(mutate(cur, (d) => { migrateRange(d, s, e, { discardClean: pass === 0, costs: DEFAULT_COSTS }); }), cur);
  if (testPagesIsolated(cur, s, e).ok) {
    cur = check(mutate(cur, (d) => { takeRange(d, s, e, 'cma:test'); undoIsolateRange(d, s, e); }), cur);
    return check(mutate(cur, (d) => releaseRange(d, s, e)), cur);
  }
  return check(mutate(cur, (d) => undoIsolateRange(d, s, e)), cur);
}

describe('models/invariants/memory', () => {
  for (const [seed, policy, pbo] of [[1, 'balance', 9], [2, 'first', 9], [3, 'last', 9], [4, 'balance', 10]] as const) {
    it(`hold after every event of a random sequence (seed ${seed}, cmaFallback '${policy}', pageblock order ${pbo}), and across contiguous allocations`, () => {
      const evs = randomEvents(seed, 200);
      // ids freed before they were allocated successfully would throw; drop frees of failed allocations by running unchecked first
      const dry = runChecked(machine(policy, pbo), evs.filter((e) => e.type !== 'memory.free'), { check: false });
      const failed = new Set(dry.emitted.filter((e) => e.type === 'memory.alloc.failed').map((e) => (e as { id: string }).id));
      const valid = evs.filter((e) => !(e.type === 'memory.free' && failed.has(e.id)));
      const first = runChecked(machine(policy, pbo), valid.slice(0, 100));
      let s = contigCycle(first.state, 1024, 1024 + 2 ** pbo);
      const second = runChecked(s, valid.slice(100));
      s = contigCycle(second.state, 2048 - 2 ** pbo, 2048);
      expect(checkMemoryInvariants(s)).to.equal(null);
      // the sequence really exercised reclaim, pins and migration
      expect(s.pagecache.stats.reclaimed + s.pagecache.stats.dropped).to.be.greaterThan(0);
      expect([...first.emitted, ...second.emitted].some((e) => e.type === 'page.pin')).to.equal(true);
    });
  }

  it('name the invariant and the page when the state is corrupt', () => {
    const s = runChecked(machine('first'), [{ type: 'pagecache.fault', file: 'f', index: 0, count: 8 }]).state;
    const badCount = produce(s, (d) => { d.memory.zones[0].nrFree += 1; });
    expect(checkMemoryInvariants(badCount)?.invariant).to.equal('zone-free-count');
    const cmaPb = 1024 >> 9;
    const badCma = produce(s, (d) => {
      const pb = d.memory.pageblocks[cmaPb];
      pb.pages[0] = useCode(K_UNMOVABLE, 99);
    });
    const v = checkMemoryInvariants(badCma)!;
    expect(v.pageblock).to.equal(cmaPb);
    expect(v.pfn).to.equal(1024);
    expect(formatViolation({ ...v, seq: 7 })).to.match(/^invariant \S+ violated \(seq 7, pfn 0x400, pageblock 2\)/);
  });

  it('catch an allocation from an ISOLATE pageblock (transition check)', () => {
    const s = mutate(machine('first'), (d) => isolateRange(d, 1024, 1536));
    const bad = produce(s, (d) => { d.memory.pageblocks[2].pages[5] = useCode(K_UNMOVABLE, 1); });
    expect(checkIsolateNotAllocated(s, bad)).to.deep.include({ invariant: 'isolate-never-allocates', pfn: 1029, pageblock: 2 });
    expect(checkIsolateNotAllocated(s, s)).to.equal(null);
  });
});
