/**
 * CMA benchmark (issue 4): an 8 GiB machine with a 1 GiB shared area, page cache filling 90% of
 * memory, 4 devices allocating and freeing 1-64 MiB buffers in a closed loop, and 1% of the page
 * cache short-term pinned at any moment (each pin held PIN_HOLD_NS, then replaced by another).
 * Reports events/s of the steady phase and the simulated allocation latency percentiles.
 * Run: npx tsx spec/bench/cma.bench.ts
 */
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Engine, Rng, seedRng } from '../../lib/engine/index.ts';
import type { SimEvent } from '../../events/index.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import { createInitialState } from '../../models/initialState.ts';
import type { SimState } from '../../models/state.ts';

const MS = 1_000_000;
const PIN_HOLD_NS = 200 * MS;
const HOLD_NS = 50 * MS;
const THINK_NS = 10 * MS;
const FILES = 64;

export interface CmaBench {
  readonly simulatedMs: number;
  readonly fillEvents: number;
  readonly fillEventsPerSec: number;
  readonly events: number;
  readonly eventsPerSec: number;
  readonly allocations: number;
  readonly failed: number;
  readonly busyRetries: number;
  readonly pagesMigrated: number;
  readonly pagesDropped: number;
  /** Simulated latency of successful allocations, ms. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
}

type E = Engine<SimState, SimEvent>;

const pct = (xs: number[], p: number): number => (xs.length === 0 ? 0 : xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]);

export async function benchCma(opts: { simulatedMs?: number; seed?: number } = {}): Promise<CmaBench> {
  const simEnd = (opts.simulatedMs ?? 2000) * MS;
  const rng = new Rng(seedRng(opts.seed ?? 42));
  const state = createInitialState({ machine: { memory: '8G' }, cma: { lockMode: 'per-area', areas: [{ name: 'cma', size: '1G' }] } });
  const engine: E = new Engine(cmaSimModel as never, state, { seed: opts.seed ?? 42, snapshotEvery: 1 << 16 });
  const totalPages = 8 * 262_144;
  const target = Math.floor(totalPages * 0.9);

  // Fill: sequential readahead over FILES files until 90% of memory is page cache.
  const perFile = Math.ceil(target / FILES);
  let fillEvents = 0;
  const t0 = performance.now();
  for (let idx = 0, t = 0; idx < perFile; idx += 32) {
    for (let f = 0; f < FILES; f++) engine.inject({ type: 'pagecache.fault', file: `f${f}`, index: idx, count: 32 }, t++);
  }
  fillEvents = engine.run().dispatched;
  const fillMs = performance.now() - t0;

  // 1% of the page cache pinned at any moment: staggered so pins expire and are replaced steadily.
  const pins = Math.floor(target / 100);
  let pinSeq = 0;
  const start = engine.now;
  const pinAt = (t: number): void => {
    const id = `pin${pinSeq++}`;
    engine.inject({ type: 'page.pin', id, file: `f${rng.int(0, FILES - 1)}`, index: rng.int(0, perFile - 1) }, t);
    engine.inject({ type: 'page.unpin', id }, t + PIN_HOLD_NS);
  };
  for (let i = 0; i < pins; i++) pinAt(start + Math.floor((i * PIN_HOLD_NS) / pins));
  let nextPinRound = start + PIN_HOLD_NS;

  // Four devices, closed loop: allocate, hold, free, think.
  const devs = [0, 1, 2, 3].map((i) => ({ name: `dev${i}`, phase: 'idle' as 'idle' | 'wait' | 'hold', next: start + i * MS, req: 0 }));
  let nextId = 1;
  let last: SimEvent | null = null;
  let events = 0;
  const t1 = performance.now();
  while (engine.now < start + simEnd) {
    const tNext = Math.min(start + simEnd, nextPinRound, ...devs.map((d) => d.next));
    const res = engine.run({ until: tNext, stopWhen: (env) => { last = env.event; return env.event.type === 'cma.alloc.done'; } });
    events += res.dispatched;
    const ev = last as SimEvent | null;
    if (res.reason === 'stopWhen' && ev !== null && ev.type === 'cma.alloc.done') {
      const d = devs.find((x) => x.req === ev.request)!;
      d.phase = ev.errno === 0 ? 'hold' : 'idle';
      d.next = engine.now + (ev.errno === 0 ? HOLD_NS : THINK_NS);
      continue;
    }
    if (engine.now >= nextPinRound) {
      for (let i = 0; i < pins; i++) pinAt(nextPinRound + Math.floor((i * PIN_HOLD_NS) / pins));
      nextPinRound += PIN_HOLD_NS;
    }
    for (const d of devs) {
      if (d.next > engine.now) continue;
      if (d.phase === 'idle') {
        d.req = nextId++;
        const pages = 256 * rng.int(1, 64);
        engine.inject({ type: 'cma.alloc.request', id: d.req, area: 'cma', count: pages, align: 8, requester: d.name, pid: 1000 + devs.indexOf(d) }, engine.now);
        d.phase = 'wait';
        d.next = Infinity;
      } else if (d.phase === 'hold') {
        engine.inject({ type: 'cma.release', chunk: d.req }, engine.now);
        d.phase = 'idle';
        d.next = engine.now + THINK_NS;
      }
    }
  }
  const runMs = performance.now() - t1;
  const reqs = Object.values(engine.state.model.cma.requests);
  const ok = reqs.filter((r) => r.status === 'done');
  const lat = ok.map((r) => (r.finishedAt! - r.submittedAt) / MS).sort((a, b) => a - b);
  let migrated = 0, dropped = 0;
  for (const r of reqs) for (const a of r.attempts) { migrated += a.migrated; dropped += a.dropped; }
  return {
    simulatedMs: simEnd / MS,
    fillEvents,
    fillEventsPerSec: Math.round(fillEvents / (fillMs / 1000)),
    events,
    eventsPerSec: Math.round(events / (runMs / 1000)),
    allocations: reqs.length,
    failed: reqs.filter((r) => r.status === 'failed').length,
    busyRetries: reqs.reduce((s, r) => s + r.retries, 0),
    pagesMigrated: migrated,
    pagesDropped: dropped,
    latencyMs: { p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: lat[lat.length - 1] ?? 0 },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchCma({ simulatedMs: Number(process.argv[2] ?? 2000) });
  console.log(JSON.stringify(r, null, 2));
}
