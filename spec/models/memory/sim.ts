/** Test helpers: a whole simulation state over a small machine, and an engine to drive it. */
import { produce, type Draft } from 'immer';
import type { SimEvent } from '../../../events/index.ts';
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
