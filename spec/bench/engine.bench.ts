import { performance } from 'node:perf_hooks';
import { Engine, Rng, seedRng, type Model } from '../../lib/engine/index.ts';
import { History } from '../../lib/history/index.ts';

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

if (process.argv[1]?.endsWith('engine.bench.ts')) {
  console.log(await benchEngine());
}
