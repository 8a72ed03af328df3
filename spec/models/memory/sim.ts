/** Test helpers: a whole simulation state over a small machine, and an engine to drive it. */
import { produce, type Draft } from 'immer';
import { Engine } from '../../../lib/engine/index.ts';
import type { SimEvent } from '../../../events/index.ts';
import { cmaSimModel } from '../../../models/cmaSimModel.ts';
import { createInitialState, type SimConfig } from '../../../models/initialState.ts';
import type { MachineConfig } from '../../../models/memory/createMemoryState.ts';
import { reserveRange } from '../../../models/memory/contig.ts';
import type { PageCacheConfig } from '../../../models/pagecache/createPageCacheState.ts';
import type { SimState } from '../../../models/state.ts';
import { checkInvariants, formatViolation } from '../../../models/invariants/index.ts';

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

export function engineFor(s: SimState, seed = 1): Engine<SimState, SimEvent> {
  return new Engine<SimState, SimEvent>(cmaSimModel as never, s, { seed, snapshotEvery: 64 });
}

/** Inject events at t = 0, 1, 2 ... ns and run to idle (or `until`), checking every invariant after every event. */
export function runChecked(s: SimState, events: readonly SimEvent[], opts: { check?: boolean; until?: number } = {}): { engine: Engine<SimState, SimEvent>; state: SimState; emitted: SimEvent[] } {
  const engine = engineFor(s);
  events.forEach((e, i) => engine.inject(e, i));
  const emitted: SimEvent[] = [];
  let prev = engine.state.model;
  engine.run({
    until: opts.until,
    stopWhen: (env, state) => {
      emitted.push(env.event);
      if (opts.check === false) return false;
      const next = state().model;
      const v = checkInvariants(next, { prev, seq: env.seq });
      if (v) throw new Error(`${formatViolation(v)} after ${JSON.stringify(env.event)}`);
      prev = next;
      return false;
    },
  });
  return { engine, state: engine.state.model, emitted };
}

/** Apply a draft mutation to a state (for the contig API). */
export function mutate(s: SimState, f: (d: Draft<SimState>) => void): SimState {
  return produce(s, f);
}
