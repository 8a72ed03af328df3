/**
 * Memory-model benchmark (issue 3): an 8 GiB machine, page-cache faults filling 90% of memory and
 * then streaming on with reclaim, mixed with unmovable/reclaimable allocations and frees, spaced
 * in simulated time as the model's device reads them (`deviceSpacing`).
 * Also measures boot of a 16 GiB machine and the heap retained by its state plus history.
 * Run: npx tsx spec/bench/memory.bench.ts   (node --expose-gc for heap figures)
 */
import { performance } from 'node:perf_hooks';
import { Engine, Rng, seedRng, type SnapshotDeltas, type Thinning } from '../../lib/engine/index.ts';
import { History } from '../../lib/history/index.ts';
import type { SimEvent } from '../../events/index.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import { createInitialState, type SimConfig } from '../../models/initialState.ts';
import { totalFreePages } from '../../models/mm/contig.ts';
import type { SimState } from '../../models/state.ts';
import { cpuSec } from './cpuSec.ts';

const gc = (globalThis as { gc?: () => void }).gc;

export interface MemoryBench {
  readonly machineGiB: number;
  readonly fillEvents: number;
  readonly fillEventsPerSec: number;
  readonly steadyEvents: number;
  readonly steadyEventsPerSec: number;
  /** The same two rates per second of this process's CPU time: comparable on a shared, loaded machine. */
  readonly fillEventsPerCpuSec: number;
  readonly steadyEventsPerCpuSec: number;
  /** Simulated seconds the fill and the mix span (deviceSpacing): the device time of their reads. */
  readonly fillSimSeconds: number;
  readonly steadySimSeconds: number;
  readonly pagesFaultedPerSec: number;
  readonly reclaimedPages: number;
  readonly allocFailures: number;
  /** Heap retained per event by state + history (snapshot every 1024 events), with --expose-gc. */
  readonly retainedBytesPerEvent: number | null;
  readonly boot16GiBMs: number;
  /** Heap of a booted 16 GiB machine's state, with --expose-gc. */
  readonly state16GiBMiB: number | null;
  /** Heap retained per event on the 16 GiB machine over `events16` events, with --expose-gc. */
  readonly retained16BytesPerEvent: number | null;
  readonly events16: number;
  /**
   * 1 GiB machine whose page cache is all dirty (nothing reclaimable): events/s of faults and
   * unmovable allocations that fail after reclaim. Guards against reclaim passes that walk the
   * whole LRU per event.
   */
  readonly dirtyFullEventsPerSec: number;
}

/** Deterministic workload: sequential readahead streams over files, plus kernel allocations. */
export function* workload(seed: number, fileCount: number): Generator<SimEvent> {
  const rng = new Rng(seedRng(seed));
  const cursor = new Array(fileCount).fill(0);
  const live: string[] = [];
  let n = 0;
  for (;;) {
    const r = rng.next();
    if (r < 0.9) {
      const f = rng.int(0, fileCount - 1);
      const count = 8 * rng.int(1, 4);
      yield { type: 'pagecache.fault', file: `file${f}`, index: cursor[f], count };
      cursor[f] += count;
    } else if (r < 0.95 || live.length === 0) {
      const id = `k${n++}`;
      live.push(id);
      yield { type: 'memory.alloc', id, kind: rng.next() < 0.7 ? 'unmovable' : 'reclaimable', order: rng.int(0, 3), owner: 'slab' };
    } else {
      const i = rng.int(0, live.length - 1);
      const id = live[i];
      live[i] = live[live.length - 1];
      live.pop();
      yield { type: 'memory.free', id };
    }
  }
}

/**
 * Simulated time from one workload event to the next: 1 ns for every event unless `gap` says
 * otherwise (the history benchmark's spacing, which leaves every read in flight).
 */
export type Gap = (e: SimEvent) => number;

/**
 * Spacing of a page-cache workload bound by its device, as the model's own I/O times it: a fault
 * reads its `count` pages at the state's readPerPageNs (by default the bandwidth the kernel assumes
 * before it has measured a device, INIT_BW = 100 << (20 - PAGE_SHIFT) pages/s in mm/backing-dev.c,
 * i.e. 100 MiB/s: 39,063 ns per 4 KiB page, models/pagecache/io.ts), and the next
 * request follows when that read completes, as a streaming reader waits for each readahead before
 * asking for the next. Kernel allocations and frees take no device time: 1 ns after the event
 * before. So a read is over by the next fault and no file keeps reads in flight (with 1 ns steps
 * a whole 8 GiB fill stayed locked for its reads: the pending-read lists were the benchmark).
 */
export function deviceSpacing(s: SimState): Gap {
  const perPage = s.pagecache.config.readPerPageNs;
  return (e) => (e.type === 'pagecache.fault' ? Math.max(1, (e.count ?? 1) * perPage) : 1);
}

export function drive(engine: Engine<SimState, SimEvent>, gen: Generator<SimEvent>, events: number, stop?: (s: SimState) => boolean, gap?: Gap): number {
  const BATCH = 4096;
  let done = 0;
  let t = engine.now;
  while (done < events) {
    // Unspaced, a batch starts 1 ns after the engine's clock, as it always has (history benchmark figures stay comparable).
    if (gap === undefined) t = engine.now;
    for (let i = 0; i < BATCH; i++) {
      const e = gen.next().value as SimEvent;
      t += gap === undefined ? 1 : gap(e);
      engine.inject(e, t);
    }
    done += engine.run({ maxEvents: BATCH }).dispatched;
    if (stop && stop(engine.state.model)) break;
  }
  return done;
}

const heap = (): number | null => {
  if (!gc) return null;
  gc();
  return process.memoryUsage().heapUsed;
};

export async function benchMemory(opts: { gib?: number; steadyEvents?: number; events16?: number; dirtyFullEvents?: number } = {}): Promise<MemoryBench> {
  const gib = opts.gib ?? 8;
  const steadyEvents = opts.steadyEvents ?? 100_000;
  const cfg: SimConfig = { machine: { memory: `${Math.round(gib * 1024)}M` } };
  const s0 = createInitialState(cfg);
  const total = s0.memory.zones.reduce((a, z) => a + z.spanned, 0);
  const engine = new Engine<SimState, SimEvent>(cmaSimModel, s0, { seed: 1, snapshotEvery: 1024 });
  const gen = workload(7, 256);
  const gap = deviceSpacing(s0);
  const h0 = heap();
  const c0 = cpuSec();
  const t0 = performance.now();
  const fill = drive(engine, gen, 10_000_000, (s) => totalFreePages(s) < total * 0.1, gap);
  const t1 = performance.now();
  const c1 = cpuSec();
  const now1 = engine.now;
  const misses1 = engine.state.model.pagecache.stats.misses;
  const steady = drive(engine, gen, steadyEvents, undefined, gap);
  const t2 = performance.now();
  const c2 = cpuSec();
  const h1 = heap();
  const st = engine.state.model;
  const res = {
    machineGiB: gib,
    fillEvents: fill,
    fillEventsPerSec: Math.round(fill / ((t1 - t0) / 1000)),
    steadyEvents: steady,
    steadyEventsPerSec: Math.round(steady / ((t2 - t1) / 1000)),
    fillEventsPerCpuSec: Math.round(fill / (c1 - c0)),
    steadyEventsPerCpuSec: Math.round(steady / (c2 - c1)),
    fillSimSeconds: now1 / 1e9,
    steadySimSeconds: (engine.now - now1) / 1e9,
    pagesFaultedPerSec: Math.round((st.pagecache.stats.misses - misses1) / ((t2 - t1) / 1000)),
    reclaimedPages: st.pagecache.stats.reclaimed,
    allocFailures: st.memory.stats.allocFailures,
    retainedBytesPerEvent: h0 === null || h1 === null ? null : Math.round((h1 - h0) / (fill + steady)),
  };
  return { ...res, ...(await bench16(opts.events16 ?? 100_000)), dirtyFullEventsPerSec: benchDirtyFull(opts.dirtyFullEvents ?? 400) };
}

/** Fill a 1 GiB machine with dirty page cache until a fault fails, then time `events` failing allocations. */
function benchDirtyFull(events: number): number {
  // The flusher off: the page cache stays all dirty (the case writeback otherwise prevents).
  const s0 = createInitialState({ machine: { memory: '1G' }, pagecache: { dirtyExpireNs: null, dirtyBackgroundRatio: null } });
  const engine = new Engine<SimState, SimEvent>(cmaSimModel, s0, { seed: 4, snapshotEvery: 1024 });
  let t = 1;
  for (let i = 0; engine.state.model.memory.stats.allocFailures === 0; i++) {
    engine.inject({ type: 'pagecache.fault', file: 'f', index: i * 32, count: 32 }, t++);
    engine.inject({ type: 'pagecache.dirty', file: 'f', index: i * 32, count: 32 }, t++);
    engine.run({ maxEvents: 2 });
  }
  const t0 = performance.now();
  for (let i = 0; i < events; i += 2) {
    engine.inject({ type: 'pagecache.fault', file: 'g', index: i, count: 1 }, t++);
    engine.inject({ type: 'memory.alloc', id: `u${i}`, kind: 'unmovable', order: 0 }, t++);
  }
  const n = engine.run().dispatched;
  return Math.round(n / ((performance.now() - t0) / 1000));
}

/** Boot a 16 GiB machine, run `events` events on it, report boot time and the heap retained. */
async function bench16(events: number, snapshotEvery = 1024): Promise<Pick<MemoryBench, 'boot16GiBMs' | 'state16GiBMiB' | 'retained16BytesPerEvent' | 'events16'>> {
  const h0 = heap();
  const t0 = performance.now();
  const s = createInitialState({ machine: { memory: '16G' } });
  const boot = performance.now() - t0;
  const engine = new Engine<SimState, SimEvent>(cmaSimModel, s, { seed: 2, snapshotEvery });
  const h1 = heap();
  drive(engine, workload(3, 256), events, undefined, deviceSpacing(s));
  const h2 = heap();
  return {
    boot16GiBMs: Math.round(boot),
    state16GiBMiB: h0 === null || h1 === null ? null : Math.round((h1 - h0) / 2 ** 20),
    retained16BytesPerEvent: h1 === null || h2 === null ? null : Math.round((h2 - h1) / events),
    events16: events,
  };
}

export interface HistoryBench {
  readonly events: number;
  /** Heap retained per event by the state and its history (log + snapshots), with --expose-gc. */
  readonly retainedBytesPerEvent: number | null;
  readonly retainedMiB: number | null;
  readonly snapshotsKept: number;
  /** stateAt at random seqs of the whole history, ms. */
  readonly seekP50Ms: number;
  readonly seekMaxMs: number;
  /** stateAt one to K events back from the last seek (a debugger stepping back), max ms. */
  readonly stepBackMaxMs: number;
}

/**
 * A machine of `gib` GiB run for `events` memory events (the bench16 workload), snapshots every
 * 1,024 with the given thinning (null: all kept, as before thinning) and deltas (null: kept
 * whole, as before deltas): the heap it retains, then `seeks` stateAt calls at random seqs, each
 * followed by a step back.
 */
export function benchHistory(gib: number, events: number, thinning: Thinning | null | undefined, seeks = 20, deltas?: SnapshotDeltas | null): HistoryBench {
  heap();
  const engine = new Engine<SimState, SimEvent>(cmaSimModel as never, createInitialState({ machine: { memory: `${gib * 1024}M` } }), { seed: 2, snapshotEvery: 1024, thinning, deltas });
  const h0 = heap();
  drive(engine, workload(3, 256), events);
  const h1 = heap();
  const h = new History(engine);
  const rng = new Rng(seedRng(1));
  const seek: number[] = [], back: number[] = [];
  for (let i = 0; i < seeks; i++) {
    const k = rng.int(1024, h.lastSeq);
    let t = performance.now();
    h.stateAt(k);
    seek.push(performance.now() - t);
    t = performance.now();
    h.stateAt(k - rng.int(1, 1024));
    back.push(performance.now() - t);
  }
  seek.sort((a, b) => a - b);
  return {
    events: engine.lastSeq,
    retainedBytesPerEvent: h0 === null || h1 === null ? null : Math.round((h1 - h0) / engine.lastSeq),
    retainedMiB: h0 === null || h1 === null ? null : Math.round((h1 - h0) / 2 ** 20),
    snapshotsKept: engine.keptSnapshotSlots().length,
    seekP50Ms: Math.round(seek[seek.length >> 1]),
    seekMaxMs: Math.round(seek[seek.length - 1]),
    stepBackMaxMs: Math.round(Math.max(...back)),
  };
}

if (process.argv[1]?.endsWith('memory.bench.ts')) {
  console.log(JSON.stringify(await benchMemory(), null, 2));
}
