/** Test helpers: a whole simulation state over a small machine, and an engine to drive it. */
import { produce, type Draft } from 'immer';
import type { SimEvent } from '../../../events/index.ts';
import type { Rng } from '../../../lib/engine/prng.ts';
import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import type { MachineConfig } from '../../../models/memory/createMemoryState.ts';
import { reserveRange } from '../../../models/mm/contig.ts';
import type { PageCacheConfig } from '../../../models/pagecache/createPageCacheState.ts';
import type { SimState } from '../../../models/state.ts';
import { Sim } from '../../fixtures/sim.ts';

export function simState(machine: MachineConfig, pagecache: PageCacheConfig = {}, cma?: { start: number; pages: number; mode?: 'cma' | 'private' }[], kernel?: SimConfig['kernel']): SimState {
  const s = createInitialState({ machine, pagecache, kernel } as SimConfig);
  if (!cma) return s;
  let memory = s.memory;
  for (const r of cma) memory = reserveRange(memory, r.start, r.pages, r.mode ?? 'cma');
  return { ...s, memory };
}

/**
 * The state with the flusher off (no expiry, no background writeback): dirty pages stay dirty
 * until a test writes them back, for tests about what reclaim and migration do with them.
 */
export function withoutFlusher(s: SimState): SimState {
  return { ...s, pagecache: { ...s.pagecache, config: { ...s.pagecache.config, dirtyExpireNs: null, dirtyBackgroundRatio: null } } };
}

/** The shared harness (spec/fixtures/sim.ts) over `s`, with nothing checked unless it runs a checked run. */
export function engineFor(s: SimState, seed = 1, check: 'throw' | 'off' = 'off'): Sim {
  return new Sim(s, { seed, snapshotEvery: 64, check });
}

/** Inject events at t = 0, 1, 2 ... ns and run to idle (or `until`), checking every invariant after every event. */
export function runChecked(s: SimState, events: readonly SimEvent[], opts: { check?: boolean; until?: number } = {}): { engine: Sim; state: SimState; emitted: SimEvent[] } {
  const engine = engineFor(s, 1, opts.check === false ? 'off' : 'throw');
  events.forEach((e, i) => engine.inject(e, i));
  engine.run({ until: opts.until });
  return { engine, state: engine.state.model, emitted: engine.emitted };
}

/** Apply a draft mutation to a state (for the contig API). */
export function mutate(s: SimState, f: (d: Draft<SimState>) => void): SimState {
  return produce(s, f);
}

const KINDS = ['movable', 'unmovable', 'reclaimable'] as const;

/**
 * A state after `steps` random allocations, frees, faults and evictions over four files of
 * `fileIndices` indices (memory left fragmented, types mixed), run unchecked.
 */
export function randomState(rng: Rng, base: SimState, steps: number, fileIndices = 400): SimState {
  const ev: SimEvent[] = [];
  const live: string[] = [];
  for (let i = 0; i < steps; i++) {
    const r = rng.next();
    if (r < 0.35) {
      ev.push({ type: 'memory.alloc', id: `a${i}`, kind: KINDS[rng.int(0, 2)], order: rng.int(0, 5) });
      live.push(`a${i}`);
    } else if (r < 0.55 && live.length > 0) {
      ev.push({ type: 'memory.free', id: live.splice(rng.int(0, live.length - 1), 1)[0] });
    } else if (r < 0.85) {
      ev.push({ type: 'pagecache.fault', file: `f${rng.int(0, 3)}`, index: rng.int(0, fileIndices), count: rng.int(1, 64) });
    } else {
      ev.push({ type: 'pagecache.evict', file: `f${rng.int(0, 3)}`, index: rng.int(0, fileIndices), count: rng.int(1, 100) });
    }
  }
  return runChecked(base, ev, { check: false }).state;
}
