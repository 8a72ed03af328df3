import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Engine, Rng, seedRng, type Model } from '../../lib/engine/index.ts';
import { History } from '../../lib/history/index.ts';
import { plainLoop } from './plainLoop.ts';

interface S { readonly n: number; readonly acc: number }
type E = { readonly type: 'self'; readonly k: number };

/** The benchmark's reducer: trivial work, then reschedule itself (a fresh event object each time). */
const model: Model<S, E> = {
  name: 'bench', version: '1',
  reducers: {
    self(d, e, ctx) {
      d.n++;
      d.acc = (d.acc + e.k) & 0xffff;
      ctx.schedule({ type: 'self', k: e.k + 1 }, 1 + (e.k & 3));
    },
  },
};

/**
 * A diagnostic, not a model: the same work written to a plain object outside the state, so the
 * reducer makes no immer draft reads or writes. Beside `model` it separates what the engine's
 * queue, log and batching cost from what the reducer's two reads and two writes through immer's
 * proxy traps cost.
 */
const outside = { n: 0, acc: 0 };
const modelOutsideImmer: Model<S, E> = {
  name: 'bench-outside-immer', version: '1',
  reducers: {
    self(_d, e, ctx) {
      outside.n++;
      outside.acc = (outside.acc + e.k) & 0xffff;
      ctx.schedule({ type: 'self', k: e.k + 1 }, 1 + (e.k & 3));
    },
  },
};

const gc = (globalThis as { gc?: () => void }).gc;

export interface EngineBench {
  eventsPerSec: number;
  bytesPerEvent: number | null;
  seekP50Ms: number;
  seekMaxMs: number;
  events: number;
}

export async function benchEngine(events = 1_000_000): Promise<EngineBench> {
  // warm-up
  { const e = new Engine(model, { n: 0, acc: 0 }); e.inject({ type: 'self', k: 0 }, 0); e.run({ maxEvents: 200_000 }); }
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const e = new Engine(model, { n: 0, acc: 0 }, { snapshotEvery: 1024 });
  e.inject({ type: 'self', k: 0 }, 0);
  const t0 = performance.now();
  e.run({ maxEvents: events });
  const dt = performance.now() - t0;
  gc?.();
  const after = process.memoryUsage().heapUsed;
  const h = new History(e);
  const rng = new Rng(seedRng(1));
  const lat: number[] = [];
  for (let i = 0; i < 200; i++) {
    const k = rng.int(0, h.lastSeq);
    const s0 = performance.now();
    h.stateAt(k);
    lat.push(performance.now() - s0);
  }
  lat.sort((a, b) => a - b);
  return {
    events,
    eventsPerSec: Math.round(events / (dt / 1000)),
    bytesPerEvent: gc ? Math.round((after - before) / events) : null,
    seekP50Ms: +lat[lat.length >> 1].toFixed(3),
    seekMaxMs: +lat[lat.length - 1].toFixed(3),
  };
}

/** 100 processes of timeouts (1 + (k & 3) ns each) up to `until` on the engine, log on: events, wall and CPU ms, final state. */
export function engineTimeouts(until: number, processes = 100, m: Model<S, E> = model): { events: number; ms: number; cpuMs: number; n: number; acc: number } {
  const e = new Engine(m, { n: 0, acc: 0 }, { snapshotEvery: 1024 });
  for (let i = 0; i < processes; i++) e.inject({ type: 'self', k: i }, 0);
  const t0 = performance.now(), c0 = process.cpuUsage();
  const r = e.run({ until });
  const ms = performance.now() - t0, c = process.cpuUsage(c0);
  return { events: r.dispatched, ms, cpuMs: (c.user + c.system) / 1000, n: e.state.model.n, acc: e.state.model.acc };
}

interface Rate { readonly eventsPerSec: number; readonly eventsPerCpuSec: number }

/** SimPy on the same shape (spec/bench/simpyTimeouts.py), or why it could not run. */
function simpyTimeouts(until: number): (Rate & { version: string }) | string {
  const script = fileURLToPath(new URL('./simpyTimeouts.py', import.meta.url));
  // Debian's python3-simpy3 installs for the system interpreter, which may not be first on PATH.
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, [script, String(until)], { encoding: 'utf8' });
    if (r.status === 0) return JSON.parse(r.stdout) as Rate & { version: string };
  }
  return 'n/a (no python3 with simpy: apt-get install python3-simpy3)';
}

export interface TimeoutsBench {
  readonly events: number;
  /** Medians of `rounds` runs each, interleaved engine / plain / SimPy so load hits all alike; per wall and per CPU second. */
  readonly engine: Rate;
  /** The engine with the reducer writing outside immer (modelOutsideImmer): the engine's own cost. */
  readonly engineOutsideImmer: Rate;
  readonly plain: Rate;
  readonly simpy: (Rate & { version: string }) | string;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const medianRate = (rs: Rate[]): Rate => ({ eventsPerSec: Math.round(median(rs.map((r) => r.eventsPerSec))), eventsPerCpuSec: Math.round(median(rs.map((r) => r.eventsPerCpuSec))) });
const rateOf = (r: { events: number; ms: number; cpuMs: number }): Rate => ({ eventsPerSec: r.events / (r.ms / 1000), eventsPerCpuSec: r.events / (r.cpuMs / 1000) });

/** The 100-process timeouts shape on the engine, a plain mutable JS loop with a columnar log, and SimPy 3, in one run. */
export function benchTimeouts(until = 10_000, rounds = 5): TimeoutsBench {
  // Warm-up: under load, the JIT tiers up late; three full runs of each before measuring.
  for (let i = 0; i < 3; i++) { engineTimeouts(until); plainLoop(100, until); }
  const eng: Rate[] = [], outsideImmer: Rate[] = [], plain: Rate[] = [], py: Rate[] = [];
  let events = 0;
  let simpy: TimeoutsBench['simpy'] = '';
  for (let i = 0; i < rounds; i++) {
    const e = engineTimeouts(until);
    events = e.events;
    eng.push(rateOf(e));
    plain.push(rateOf(plainLoop(100, until)));
    const s = simpyTimeouts(until);
    if (typeof s !== 'string') py.push(s);
    simpy = s;
  }
  // After the interleaved rounds: a second reducer makes the engine's call sites polymorphic,
  // which would slow the engine rows above if it ran among them.
  for (let i = 0; i < rounds + 2; i++) {
    const r = engineTimeouts(until, 100, modelOutsideImmer);
    if (i >= 2) outsideImmer.push(rateOf(r));
  }
  return {
    events,
    engine: medianRate(eng),
    engineOutsideImmer: medianRate(outsideImmer),
    plain: medianRate(plain),
    simpy: typeof simpy === 'string' ? simpy : { ...medianRate(py), version: simpy.version },
  };
}

if (process.argv[1]?.endsWith('engine.bench.ts')) {
  console.log(await benchEngine());
  console.log(benchTimeouts());
}
