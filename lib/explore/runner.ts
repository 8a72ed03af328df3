import { Engine, SimulationError } from '../engine/engine.ts';
import type { Checkpoint } from '../engine/checkpoint.ts';
import type { Choice, Nanos, SimEventBase, World } from '../engine/types.ts';
import { modelHash } from '../history/stateHash.ts';
import { persistentSet } from './dependence.ts';
import { runEngine } from '../run/runEngine.ts';
import { RUNNABLE_MAX_EVENTS } from '../run/runnable.ts';
import { startEngine } from '../run/startEngine.ts';
import type { ChoiceRecord, ExploreScenario, Failure, RunReport } from './types.ts';

/** Never snapshot inside an exploration run: the explorer keeps its own snapshots at choice points. */
const NO_SNAPSHOTS = 2 ** 30;

/**
 * Everything needed to resume a run at a choice point, as if it had never stopped: the engine's
 * checkpoint (its pending queue starts with the choice point's candidates) and the checks' progress.
 */
export interface Snap<S, E> extends Checkpoint<S, E> {
  readonly choices: readonly ChoiceRecord[];
  readonly sometimes: readonly string[];
  readonly eventually: readonly string[];
}

export interface ChoicePoint<S, E> {
  readonly candidates: readonly Choice<E>[];
  readonly nextSeq: number;
  /** Non-default choices made so far in this run. */
  readonly preemptions: number;
  /** Candidate indices worth exploring here (all of them without footprints or with reduction off). */
  alternatives(): number[];
  /** A resumable snapshot taken just before this decision. */
  snapshot(): Snap<S, E>;
}

export type Decide<S, E> = (cp: ChoicePoint<S, E>) => number;

export interface RunOptions {
  /** Use footprints to limit alternatives (partial-order reduction). */
  readonly por: boolean;
  readonly window: Nanos;
  /** Progress inside a long run: called every `progressEvents` (default PROGRESS_EVERY of lib/run) events with the last seq and the clock. */
  readonly onEvents?: (seq: number, now: Nanos) => void;
  readonly progressEvents?: number;
}

/** The outcome of a final state: the scenario's own key, else the model's words for it, else a hash. */
export function outcomeOf<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, s: S): string {
  return scn.outcome ? scn.outcome(s) : scn.plugin?.describe ? scn.plugin.describe(s) : modelHash(scn.model, s).slice(0, 12);
}

/**
 * One run, from the start or from a snapshot, with `decide` choosing at every choice point.
 * Invariants and `always` checks run after every event and stop the run at the first violation.
 */
export function runOnce<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, from: Snap<S, E> | null, decide: Decide<S, E>, opts: RunOptions): RunReport<S, E> {
  let engine: Engine<S, E>;
  if (from) {
    engine = Engine.resume(scn.model, from, { snapshotEvery: NO_SNAPSHOTS });
  } else {
    engine = startEngine(scn, NO_SNAPSHOTS);
  }
  const choices: ChoiceRecord[] = from ? [...from.choices] : [];
  const sometimes = new Set(from?.sometimes ?? []);
  const eventually = new Set(from?.eventually ?? []);
  const every = scn.checks.filter((c) => c.kind === 'invariant' || c.kind === 'always');
  const some = scn.checks.filter((c) => c.kind === 'sometimes');
  const ev = scn.checks.filter((c) => c.kind === 'eventually');
  let failure: Failure | null = null;

  const choose = (cands: readonly Choice<E>[], nextSeq: number): number => {
    let alts: number[] | null = null;
    const cp: ChoicePoint<S, E> = {
      candidates: cands, nextSeq, preemptions: choices.length,
      alternatives: () => {
        if (alts) return alts;
        if (!opts.por || !scn.footprint) return (alts = cands.map((_, i) => i));
        const st = engine.state.model;
        return (alts = persistentSet(cands.map((c) => scn.footprint!(c.event, st))));
      },
      snapshot: () => ({ ...engine.checkpoint(), choices: [...choices], sometimes: [...sometimes], eventually: [...eventually] }),
    };
    const i = decide(cp);
    if (i !== 0) choices.push({ seq: nextSeq, pick: i, of: cands.length, type: cands[i].event.type });
    return i;
  };

  const needState = every.length + some.length + ev.length > 0;
  let prev: S | null = from ? from.world.model : scn.initial;
  const fp = scn.footprint;
  const stopWhen = needState ? (env: { seq: number; time: Nanos; event: E }, state: () => World<S>): boolean => {
    // An event whose footprint writes nothing (a trace record, a notification) leaves the state as
    // it was: skip the commit that reading the state would cost, and the checks.
    if (fp !== undefined && prev !== null && fp(env.event, prev).writes.length === 0) return false;
    const m = state().model;
    const before = prev;
    prev = m;
    // Checks are pure functions of the state: an event that changed nothing (a trace record, a
    // notification) cannot break what held before it, nor make anything newly hold.
    if (m === before) return false;
    const at = { seq: env.seq, time: env.time };
    for (const c of every) {
      const r = c.test(m, before, at);
      if (r !== null) { failure = { check: c.name, kind: c.kind, message: r, seq: env.seq, time: env.time }; return true; }
    }
    for (const c of some) if (!sometimes.has(c.name) && c.test(m, before, at) === null) sometimes.add(c.name);
    for (const c of ev) if (!eventually.has(c.name) && c.test(m, before, at) === null) eventually.add(c.name);
    return false;
  } : undefined;

  try {
    runEngine(engine, {
      until: scn.until, maxEvents: Math.max(0, (scn.maxEvents ?? RUNNABLE_MAX_EVENTS) - engine.lastSeq), choose, window: opts.window, check: stopWhen,
      ...(opts.onEvents ? { progress: (p: { seq: number; now: number }) => opts.onEvents!(p.seq, p.now), progressEvery: opts.progressEvents } : {}),
    });
  } catch (e) {
    // A reducer refusing the state it was handed (e.g. taking pages already taken) is a finding too.
    if (!(e instanceof SimulationError)) throw e;
    const why = e.cause instanceof Error ? e.cause.message : String(e.cause);
    failure = { check: 'model-refused', kind: 'invariant', message: `${e.envelope.event.type}: ${why}`, seq: e.seq, time: e.envelope.time };
  }
  const final = engine.state.model;
  if (failure === null) {
    const end = { seq: engine.lastSeq, time: engine.now };
    const missing = ev.find((c) => !eventually.has(c.name));
    if (missing) failure = { check: missing.name, kind: 'eventually', message: `never held: ${missing.test(final, null, end) ?? ''}`.trim(), ...end };
    for (const c of scn.checks) {
      if (failure !== null || c.kind !== 'final') continue;
      const r = c.test(final, null, end);
      if (r !== null) failure = { check: c.name, kind: 'final', message: r, ...end };
    }
  }
  const lastEvent = engine.lastSeq > (from?.seq ?? 0) ? engine.log.envelope(engine.lastSeq) : null;
  return { choices, failure, outcome: outcomeOf(scn, final), final, lastSeq: engine.lastSeq, dispatched: engine.lastSeq - (from?.seq ?? 0), sometimes: [...sometimes], lastEvent };
}
