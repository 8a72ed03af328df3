import type { Engine, StopReason } from '../engine/index.ts';
import { runEngine } from '../run/runEngine.ts';
import { startEngine } from '../run/startEngine.ts';
import { History, worldHash } from '../history/index.ts';
import type { SimEvent } from '../../events/index.ts';
import type { SimState } from '../../models/state.ts';
import { checkInvariants } from './invariants.ts';
import { computeMetrics, metricValue } from './metrics.ts';
import type { Scenario } from './scenario.ts';
import { holds, type AssertionSpec } from './sections/assertions.ts';
import { scenarioRunnable } from './scenarioRunnable.ts';


export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Overrides the scenario's end time (ns). */
  readonly until?: number;
  /** Check invariants after every event (slower). */
  readonly checkInvariants?: boolean;
  /** With checkInvariants: walk the whole state after every event instead of what the event changed (much slower; cross-checks the incremental check). */
  readonly checkFull?: boolean;
  /** Called every so many events while the run goes (wall-clock progress is the caller's business). */
  readonly onProgress?: (p: { now: number; until: number; dispatched: number }) => void;
  /** Stop after this many events in all (a runaway workload ends with stop reason 'maxEvents'). */
  readonly maxEvents?: number;
  readonly snapshotEvery?: number;
  /** Called with the booted engine before it runs, to listen to its event stream (live reports). */
  readonly observe?: (engine: Engine<SimState, SimEvent>) => void;
}

export interface AssertionResult {
  readonly name: string;
  readonly fatal: boolean;
  readonly ok: boolean;
  /** Metric value that decided it (the first failing one for 'always'). */
  readonly value: number;
  /** Simulated time of the failure, ns (null when it held). */
  readonly at: number | null;
}

/** Everything a summary, a sweep row or an exit code needs; plain data. */
export interface RunSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly until: number;
  readonly stopReason: StopReason | 'violation';
  readonly events: number;
  readonly simTimeNs: number;
  readonly finalHash: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly emitted: Readonly<Record<string, number>>;
  readonly undeliverable: Readonly<Record<string, number>>;
  readonly assertions: readonly AssertionResult[];
  /** Invariant violations (the run stops at the first event that breaks one). */
  readonly violations: readonly string[];
}

export interface RunOutcome {
  readonly summary: RunSummary;
  readonly history: History<SimState, SimEvent>;
  readonly seed: number;
}

/** A fresh engine for a scenario, booted and primed with `workload.start` at t = 0. */
export function bootEngine(s: Scenario, seed: number, snapshotEvery?: number): Engine<SimState, SimEvent> {
  return startEngine(scenarioRunnable(s, { seed }), snapshotEvery);
}

const metricAt = (a: AssertionSpec, state: SimState, events: number, now: number) => metricValue(a.metric, { state, events, now });

/** Run a checked scenario to its end; deterministic for a given scenario and seed. */
export function runScenario(s: Scenario, opts: RunOptions = {}): RunOutcome {
  const seed = opts.seed ?? s.seed;
  const until = opts.until ?? s.until;
  const engine = bootEngine(s, seed, opts.snapshotEvery);
  opts.observe?.(engine);
  const always = s.assertions.filter((a) => a.when === 'always');
  const failedAlways = new Map<AssertionSpec, AssertionResult>();
  const violations: string[] = [];
  const perEvent = opts.checkInvariants === true || always.length > 0;
  let prev: SimState | undefined = opts.checkInvariants ? engine.state.model : undefined;
  const stopWhen = perEvent
    ? (env: { time: number; seq: number }, state: () => { model: SimState }) => {
      const st = state().model;
      for (const a of always) {
        if (failedAlways.has(a)) continue;
        const v = metricAt(a, st, env.seq, env.time);
        if (!holds(a.op, v, a.value)) failedAlways.set(a, { name: a.name, fatal: a.fatal, ok: false, value: v, at: env.time });
      }
      if (opts.checkInvariants) {
        for (const v of checkInvariants(st, prev, env.seq, opts.checkFull)) violations.push(`t=${env.time}ns: ${v}`);
        prev = st;
      }
      return violations.length > 0;
    }
    : undefined;
  const res = runEngine(engine, {
    until, maxEvents: opts.maxEvents, check: stopWhen,
    ...(opts.onProgress ? { progress: (p: { now: number; dispatched: number }) => opts.onProgress!({ now: p.now, until, dispatched: p.dispatched }) } : {}),
  });
  const dispatched = res.dispatched;
  const world = engine.state;
  const st = world.model;
  const assertions = s.assertions.map((a): AssertionResult => {
    if (a.when === 'always') return failedAlways.get(a) ?? { name: a.name, fatal: a.fatal, ok: true, value: metricAt(a, st, dispatched, res.now), at: null };
    const v = metricAt(a, st, dispatched, res.now);
    const ok = holds(a.op, v, a.value);
    return { name: a.name, fatal: a.fatal, ok, value: v, at: ok ? null : res.now };
  });
  const summary: RunSummary = {
    scenario: s.name, seed, until,
    stopReason: violations.length > 0 ? 'violation' : res.reason,
    events: dispatched, simTimeNs: res.now, finalHash: worldHash(engine.model, world),
    metrics: computeMetrics({ state: st, events: dispatched, now: res.now }),
    emitted: st.workload.emitted, undeliverable: st.workload.undeliverable,
    assertions, violations,
  };
  return { summary, history: new History(engine), seed };
}

/** Fatal: a fatal assertion failed or an invariant broke (exit code 1). */
export function isFatal(s: RunSummary): boolean {
  return s.violations.length > 0 || s.assertions.some((a) => a.fatal && !a.ok);
}
