import { expect } from 'chai';
import { produce, type Draft } from 'immer';
import { Rng, seedRng } from '../../../lib/engine/index.ts';
import { bootEngine } from '../../../lib/scenario/runScenario.ts';
import { defineScenario } from '../../../lib/scenario/scenario.ts';
import { checkInvariants, formatViolation, type Violation } from '../../../models/invariants/index.ts';
import { FREE_TAIL, headCode, K_ANON, K_TAKEN, K_UNMOVABLE, pcCode, useCode } from '../../../models/memory/pageCode.ts';
import { MIGRATETYPES } from '../../../models/memory/state.ts';
import type { SimState } from '../../../models/state.ts';

/**
 * The incremental check (each suite looks only at what changed since the last state that passed)
 * against the full walk, on random runs: after every event both must report the same first
 * violation, and so must they on states corrupted at random, anywhere (the step's own pages or
 * pages it never touched), since a corruption is a change the incremental check must find.
 */

type Corrupt = (d: Draft<SimState>, rng: Rng) => string;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)];
const keys = (o: object): string[] => Object.keys(o);

/** One random corruption of each part of the state; each returns what it did (for the failure message). */
const CORRUPTIONS: readonly Corrupt[] = [
  (d, rng) => {
    const i = rng.int(0, d.memory.pageblocks.length - 1);
    const k = rng.int(0, d.memory.pageblocks[i].pages.length - 1);
    const code = pick(rng, [FREE_TAIL, headCode(rng.int(0, 10)), useCode(K_UNMOVABLE, rng.int(0, 50)), useCode(K_ANON, rng.int(0, 5000)), useCode(K_TAKEN, rng.int(0, 3)), pcCode(rng.int(0, 6), rng.int(0, 7))]);
    d.memory.pageblocks[i].pages[k] = code;
    return `page ${k} of pageblock ${i} := ${code}`;
  },
  (d, rng) => {
    // A free block that shrinks or grows in its head code alone: its tails are then uncovered or it overlaps what follows.
    const heads = d.memory.pageblocks.flatMap((pb, i) => pb.heads.filter((h) => pb.pages[h] < -1).map((h) => [i, h] as const));
    if (!heads.length) return 'no free block larger than a page';
    const [i, h] = pick(rng, heads);
    const pb = d.memory.pageblocks[i];
    const o = -1 - pb.pages[h];
    pb.pages[h] = headCode(o + (rng.next() < 0.5 ? -1 : 1));
    return `free head ${h} of pageblock ${i} (order ${o}) := ${pb.pages[h]}`;
  },
  (d, rng) => { const i = rng.int(0, d.memory.pageblocks.length - 1); d.memory.pageblocks[i].nrFree += 1; return `pageblock ${i} nrFree + 1`; },
  (d, rng) => {
    const i = rng.int(0, d.memory.pageblocks.length - 1);
    const mt = pick(rng, MIGRATETYPES.filter((m) => m !== 'ISOLATE'));
    d.memory.pageblocks[i].mt = mt;
    return `pageblock ${i} mt := ${mt}`;
  },
  (d, rng) => { const i = rng.int(0, d.memory.pageblocks.length - 1); d.memory.pageblocks[i].heads.pop(); return `pageblock ${i} heads pop`; },
  (d, rng) => {
    const z = d.memory.zones[0];
    const which = rng.int(0, 4);
    if (which === 0) z.nrFree += 1;
    else if (which === 1) z.used.anon -= 1;
    else if (which === 2) z.free[rng.int(0, 4)].blocks[rng.int(0, 10)] += 1;
    else if (which === 3) { const f = z.free[rng.int(0, 4)]; const o = rng.int(0, 10); f.groups[o][rng.int(0, f.groups[o].length - 1)] += 1; } else z.cmaPages += 512;
    return `zone counter ${which}`;
  },
  (d, rng) => {
    const shards = keys(d.memory.allocs);
    if (!shards.length) return 'no allocs';
    const sk = pick(rng, shards);
    const k = pick(rng, keys(d.memory.allocs[sk]));
    delete d.memory.allocs[sk][k];
    return `alloc serial ${k} deleted`;
  },
  (d, rng) => {
    const shards = keys(d.memory.allocIds);
    if (!shards.length) return 'no alloc ids';
    const sk = pick(rng, shards);
    const k = pick(rng, keys(d.memory.allocIds[sk]));
    d.memory.allocIds[sk][k] += 1;
    return `alloc id ${k} serial + 1`;
  },
  (d, rng) => {
    const shards = keys(d.memory.pins);
    if (!shards.length) return 'no pins';
    const sk = pick(rng, shards);
    const k = pick(rng, keys(d.memory.pins[sk]));
    delete d.memory.pins[sk][k];
    return `pin ${k} deleted`;
  },
  (d, rng) => { const i = rng.int(0, d.memory.pageblocks.length - 1); d.memory.pageblocks[i].pins = { ...(d.memory.pageblocks[i].pins ?? {}), [rng.int(0, 511)]: 1 }; return `pageblock ${i} gains a pin count`; },
  (d, rng) => {
    const names = keys(d.pagecache.files);
    if (!names.length) return 'no files';
    const f = d.pagecache.files[pick(rng, names)];
    const gs = keys(f.chunks);
    if (!gs.length) return 'empty file';
    const g = f.chunks[pick(rng, gs)];
    const ch = g[pick(rng, keys(g)) as unknown as number];
    const j = rng.int(0, ch.length - 1);
    ch[j] = ch[j] >= 0 ? -1 : rng.int(0, 4095);
    return `file chunk entry ${j} := ${ch[j]}`;
  },
  (d, rng) => {
    const lru = d.pagecache.lru;
    const which = rng.int(0, 2);
    if (which === 0) lru.head += rng.int(1, 3);
    else if (which === 1) lru.tail -= 1;
    else {
      const gs = keys(lru.chunks);
      if (!gs.length) return 'empty LRU';
      const g = lru.chunks[pick(rng, gs)];
      const ch = g[pick(rng, keys(g)) as unknown as number];
      ch[rng.int(0, ch.length - 1)] = -1;
    }
    return `LRU ${which}`;
  },
  (d, rng) => {
    const gs = keys(d.pagecache.slots);
    if (!gs.length) return 'no slots';
    const g = d.pagecache.slots[pick(rng, gs)];
    const sl = g[pick(rng, keys(g)) as unknown as number];
    sl[rng.int(0, sl.length - 1)] += 1;
    return 'slot entry + 1';
  },
  (d, rng) => {
    const which = rng.int(0, 2);
    if (which === 0) d.pagecache.counts.nrDirty += 1;
    else if (which === 1) d.pagecache.counts.nrPages -= 1;
    else { const names = keys(d.pagecache.files); if (names.length) d.pagecache.files[pick(rng, names)].nrPages += 1; }
    return `page-cache count ${which}`;
  },
  (d, rng) => { const a = d.cma.areas[pick(rng, d.cma.areaOrder)]; a.available += 1; return `area ${a.name} available + 1`; },
  (d, rng) => {
    const ids = keys(d.cma.chunks);
    if (!ids.length) return 'no chunks';
    const c = d.cma.chunks[pick(rng, ids)];
    if (rng.next() < 0.5) c.pfn += 1; else { c.pins = 1; c.moving = { to: c.pfn }; }
    return `chunk ${c.id} moved or pinned`;
  },
  (d, rng) => {
    const ids = keys(d.cma.requests);
    if (!ids.length) return 'no requests';
    const r = d.cma.requests[pick(rng, ids)];
    r.held.push('cma_mutex');
    return `request ${r.id} thinks it holds cma_mutex`;
  },
  (d, rng) => {
    const names = keys(d.cma.locks);
    if (!names.length) return 'no locks';
    const l = d.cma.locks[pick(rng, names)];
    l.holder = l.holder === null ? { kind: 'request', id: 999 } : null;
    return `lock holder flipped`;
  },
  (d, rng) => {
    const names = keys(d.devices.devices);
    if (!names.length) return 'no devices';
    d.devices.devices[pick(rng, names)].buffers.push(99_999);
    return 'device lists a buffer that does not exist';
  },
];

const show = (v: Violation | null): string => (v === null ? 'none' : formatViolation(v));

/** A small board: page cache churn with dirty pages and pins spilling into a shared CMA area, a private area, devices allocating from both. */
const scenario = (seed: number, lockMode: 'per-area' | 'split' | 'global') => defineScenario({
  name: `incremental-vs-full ${seed}`,
  seed,
  until: '2s',
  machine: { ram: '16M' },
  cma: { lockMode, areas: [{ name: 'shared', size: '4M', default: true }, { name: 'priv', size: '2M', private: true }] },
  devices: [{ name: 'cam', kinds: { frame: 'shared' } }, { name: 'dsp', kinds: { buf: 'priv' } }],
  workload: [
    { generator: 'periodic', name: 'frames', period: '5ms', alloc: { device: 'cam', kind: 'frame', areas: ['shared'], size: ['512K', '2M'], hold: ['2ms', '8ms'] } },
    { generator: 'poisson', name: 'bufs', rate: 200, alloc: { device: 'dsp', kind: 'buf', areas: ['priv'], size: ['64K', '512K'], hold: ['1ms', '20ms'] } },
    { generator: 'pagecache', name: 'readers', rate: 3000, files: 6, fileSize: '4M', readahead: [16, 64], dirty: 0.2 },
    { generator: 'pins', name: 'odirect', rate: 300, pages: [1, 8], hold: ['50us', '2ms'] },
  ],
});

describe('models/invariants: incremental check against the full walk', () => {
  for (const [seed, lockMode] of [[1, 'per-area'], [2, 'split'], [3, 'global']] as const) {
    it(`report the same first violation after every event of a random run, and on random corruptions of its states (seed ${seed}, ${lockMode})`, function () {
      this.timeout(60_000);
      const engine = bootEngine(scenario(seed, lockMode), seed);
      const rng = new Rng(seedRng(1000 + seed));
      let prev = engine.state.model;
      expect(checkInvariants(prev, { full: true })).to.equal(null);
      const found = new Set<string>();
      let steps = 0, corrupted = 0, caught = 0;
      engine.run({
        maxEvents: 600,
        stopWhen: (env, state) => {
          const next = state().model;
          if (next === prev) return false;
          steps++;
          const full = checkInvariants(next, { prev, full: true });
          expect(show(checkInvariants(next, { prev })), `after seq ${env.seq} ${env.event.type}`).to.equal(show(full));
          expect(full, `seq ${env.seq}`).to.equal(null);
          if (rng.next() < 0.25) {
            const c = rng.int(0, CORRUPTIONS.length - 1);
            let what = '';
            const bad = produce(next, (d) => { what = CORRUPTIONS[c](d, rng); });
            const want = checkInvariants(bad, { prev, full: true });
            expect(show(checkInvariants(bad, { prev })), `corruption ${c} (${what}) after seq ${env.seq} ${env.event.type}`).to.equal(show(want));
            corrupted++;
            if (want !== null) { caught++; found.add(want.invariant); }
          }
          prev = next;
          return false;
        },
      });
      // The run and the corruptions really exercised the checks.
      expect(steps).to.be.greaterThan(300);
      expect(caught).to.be.greaterThan(corrupted / 2);
      expect(found.size).to.be.greaterThan(12);
      expect(prev.cma.nextRequestId).to.be.greaterThan(10);
      expect(prev.pagecache.stats.reclaimed + prev.pagecache.stats.dropped).to.be.greaterThan(0);
    });
  }

  it('without a state that passed before, the first check is the full walk; a failed state is never a base', () => {
    const engine = bootEngine(scenario(4, 'per-area'), 4);
    engine.run({ maxEvents: 200 });
    const s = engine.state.model;
    const bad = produce(s, (d) => { d.memory.zones[0].nrFree += 1; });
    expect(checkInvariants(bad)?.invariant).to.equal('zone-free-count');
    // `bad` failed, so it carries nothing: a later step from it is walked in full and still fails.
    const later = produce(bad, (d) => { d.cma.areas.shared.counters.allocPagesFail += 1; });
    expect(checkInvariants(later, { prev: bad })?.invariant).to.equal('zone-free-count');
    expect(checkInvariants(later, { prev: bad, full: true })?.invariant).to.equal('zone-free-count');
  });
});
