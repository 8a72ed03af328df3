/**
 * Shared pieces of the built-in race scenarios: a small booted machine, a settle phase that runs
 * the setup (page-cache fill, earlier allocations) to idle so exploration starts from its end,
 * a dry run to find the instant a race must hit, and the checks the races assert.
 */
import type { Envelope } from '../../lib/engine/index.ts';
import { cmaPlugin } from '../../lib/debug/cmaPlugin.ts';
import type { Injection } from '../../lib/run/runnable.ts';
import { runToHistory } from '../../lib/run/runToHistory.ts';
import { cmaTimings } from '../../lib/explore/cmaTimings.ts';
import type { Check, ExploreScenario } from '../../lib/explore/types.ts';
import type { History } from '../../lib/history/index.ts';
import { defineScenario, scenarioRunnable, type ScenarioInput } from '../../lib/scenario/index.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import type { SimEvent } from '../../events/index.ts';
import { footprint } from '../../models/footprint.ts';
import { checkInvariants, checkIsolateNotAllocated, INVARIANT_SUITES } from '../../models/invariants/index.ts';
import type { SimState } from '../../models/state.ts';
import { pagecacheOf } from '../../models/mm/contig.ts';

export type Race = ExploreScenario<SimState, SimEvent>;
export const MS = 1_000_000;

/** Boot a scenario's machine and CMA areas (no workload generators: races inject their own events). */
export function bootRace(input: Pick<ScenarioInput, 'machine' | 'cma' | 'costs'>): SimState {
  // The races are about locks, pins and isolation on a page cache that has settled: its setup
  // reads complete at once (readPerPage 0), so no page is still locked under read I/O when a race starts.
  return scenarioRunnable(defineScenario({ name: 'race', seed: 1, pagecache: { readPerPage: 0 }, ...input })).initial;
}

export interface Settled {
  readonly state: SimState;
  /** Clock when the setup went idle; the race's events come after it. */
  readonly end: number;
}

/** Run setup events to idle and keep the end state: every explored run starts from there. */
export function settle(state: SimState, setup: readonly Injection<SimEvent>[]): Settled {
  const e = runToHistory({ name: 'settle', model: cmaSimModel, initial: state, seed: 1, inject: setup }).engine;
  return { state: e.state.model, end: e.now };
}

/** The default-order run of `inject` from `s`, kept whole, to locate the instant a race must hit. */
export function dryRun(s: Settled, inject: readonly Injection<SimEvent>[]): History<SimState, SimEvent> {
  return runToHistory({ name: 'dry run', model: cmaSimModel, initial: s.state, seed: 1, inject });
}

/** The first logged event matching `p`, or an error naming what the dry run lacked. */
export function firstEvent(h: History<SimState, SimEvent>, what: string, p: (env: Envelope<SimEvent>, after: SimState) => boolean): Envelope<SimEvent> {
  for (let s = 1; s <= h.lastSeq; s++) {
    const env = h.envelope(s);
    if (p(env, h.stateAt(s).model)) return env;
  }
  throw new Error(`race setup: the dry run never reached ${what}`);
}

/** File index whose cached page sits at `pfn`. */
export function fileIndexAt(s: SimState, file: string, pfn: number): number {
  const p = pagecacheOf(s, pfn);
  if (p !== null && p.file === file) return p.index;
  throw new Error(`race setup: no page of '${file}' is cached at pfn 0x${pfn.toString(16)}`);
}

export const alloc = (id: number, area: string, count: number, time: number, requester = `dev${id}`): Injection<SimEvent> =>
  ({ event: { type: 'cma.alloc.request', id, area, count, align: 0, requester, pid: 100 + id }, time });

const CMA_SUITE = INVARIANT_SUITES.filter((x) => x.name === 'cma');

/** The CMA model's own invariants (models/invariants/cma.ts) after every event, on what it changed. */
export const cmaInvariants: Check<SimState> = {
  name: 'cma-invariants', kind: 'invariant',
  test: (s, prev) => { const v = checkInvariants(s, { prev: prev ?? undefined, suites: CMA_SUITE }); return v ? `${v.invariant}: ${v.message}` : null; },
};

/** Reference §3 step 1: the page allocator never hands out a free page of an isolated pageblock. */
export const isolateNeverAllocates: Check<SimState> = {
  name: 'isolate-never-allocates', kind: 'invariant',
  test: (s, prev) => { const v = prev && checkIsolateNotAllocated(prev, s); return v ? v.message : null; },
};

/** `sometimes`/`always`/`eventually` check from a predicate on the state. */
export function check(name: string, kind: Check<SimState>['kind'], holds: (s: SimState) => boolean, why: (s: SimState) => string = () => 'does not hold'): Check<SimState> {
  return { name, kind, test: (s) => (holds(s) ? null : why(s)) };
}

/**
 * Common parts of a race: the model, its footprints for reduction, the CMA debugger plugin and
 * the timings swarm runs may vary (cmaTimings, unless the race declares its own).
 */
export function defineRace(r: Omit<Race, 'model' | 'seed' | 'footprint' | 'plugin'> & { seed?: number }): Race {
  return { seed: 1, perturbations: cmaTimings(r.initial), ...r, model: cmaSimModel, footprint, plugin: cmaPlugin };
}
