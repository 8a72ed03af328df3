import { readFileSync } from 'node:fs';
import type { SimEventBase } from '../engine/types.ts';
import { modelHash, stateHash } from '../history/stateHash.ts';
import { runOnce, type RunOptions } from './runner.ts';
import type { ChoiceRecord, ChoiceTrace, ExploreScenario, FaultPick, PerturbPick, RunReport } from './types.ts';

/** Identifies a scenario's behaviour: model version, boot state, seed, injections and bounds. */
export function scenarioHash<S, E extends SimEventBase>(scn: ExploreScenario<S, E>): string {
  return stateHash({
    name: scn.name, model: { name: scn.model.name, version: scn.model.version }, seed: scn.seed,
    initial: modelHash(scn.model, scn.initial), inject: scn.inject, until: scn.until ?? null, maxEvents: scn.maxEvents ?? null,
    ...(scn.faults?.length ? { faults: scn.faults } : {}),
  }).slice(0, 16);
}

/** `scn` with the picked faults injected: the run a choice trace with `faults` replays. */
export function withFaults<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, picks: readonly FaultPick[]): ExploreScenario<S, E> {
  if (!picks.length) return scn;
  const byName = new Map((scn.faults ?? []).map((f) => [f.name, f]));
  const inject = [...scn.inject];
  for (const p of picks) {
    const f = byName.get(p.name);
    if (!f) throw new TraceError(`fault '${p.name}' is not declared by scenario '${scn.name}' (declared: ${[...byName.keys()].join(', ') || 'none'})`);
    inject.push({ event: f.event, time: p.time });
  }
  return { ...scn, inject };
}

/** `scn` with the picked timings set in its boot state: the run a choice trace with `perturb` replays. */
export function withPerturb<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, picks: readonly PerturbPick[]): ExploreScenario<S, E> {
  if (!picks.length) return scn;
  const byName = new Map((scn.perturbations ?? []).map((p) => [p.name, p]));
  let initial = scn.initial;
  for (const p of picks) {
    const d = byName.get(p.name);
    if (!d) throw new TraceError(`timing '${p.name}' is not declared by scenario '${scn.name}' (declared: ${[...byName.keys()].join(', ') || 'none'})`);
    if (p.value < d.min || p.value > d.max) throw new TraceError(`timing '${p.name}': ${p.value} ns is outside its bounds [${d.min}, ${d.max}]`);
    initial = d.apply(initial, p.value);
  }
  return { ...scn, initial };
}

/** The run a trace describes: the scenario with the trace's faults injected and timings set. */
export function traceScenario<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, t: Pick<ChoiceTrace, 'faults' | 'perturb'>): ExploreScenario<S, E> {
  return withPerturb(withFaults(scn, t.faults ?? []), t.perturb ?? []);
}

export function makeTrace<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, window: number, r: RunReport<S, E>): ChoiceTrace {
  return { format: 'cma-sim-choices', version: 1, scenario: scn.name, scenarioHash: scenarioHash(scn), seed: scn.seed, window, choices: r.choices, failure: r.failure, outcome: r.outcome };
}

/** A trace file that cannot be used: one line naming the file and field. */
export class TraceError extends Error {}

function isChoice(c: unknown): c is ChoiceRecord {
  const x = c as ChoiceRecord;
  return typeof x === 'object' && x !== null && Number.isInteger(x.seq) && Number.isInteger(x.pick) && Number.isInteger(x.of) && x.pick >= 0 && x.pick < x.of && typeof x.type === 'string';
}

export function readTrace(file: string): ChoiceTrace {
  let v: ChoiceTrace;
  try {
    v = JSON.parse(readFileSync(file, 'utf8')) as ChoiceTrace;
  } catch (e) {
    throw new TraceError(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (v?.format !== 'cma-sim-choices' || v.version !== 1) throw new TraceError(`${file}: expected a cma-sim-choices version 1 file`);
  if (!Array.isArray(v.choices)) throw new TraceError(`${file}: choices: expected a list`);
  v.choices.forEach((c, i) => { if (!isChoice(c)) throw new TraceError(`${file}: choices[${i}]: expected { seq, pick < of, of, type }, got ${JSON.stringify(c)}`); });
  if (v.faults !== undefined && !(Array.isArray(v.faults) && v.faults.every((f) => typeof f?.name === 'string' && Number.isSafeInteger(f.time) && f.time >= 0))) throw new TraceError(`${file}: faults: expected a list of { name, time }`);
  if (v.perturb !== undefined && !(Array.isArray(v.perturb) && v.perturb.every((p) => typeof p?.name === 'string' && Number.isSafeInteger(p.value) && p.value >= 0))) throw new TraceError(`${file}: perturb: expected a list of { name, value }`);
  if (!Number.isInteger(v.window) || v.window < 0) throw new TraceError(`${file}: window: expected a non-negative integer of ns`);
  return v;
}

/**
 * Run with the recorded choices. Strict (the default) refuses a trace whose choice points do not
 * line up with the run; lenient mode (used while shrinking) ignores choices that no longer apply.
 */
export function runChoices<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, choices: readonly ChoiceRecord[], window: number, strict = true): RunReport<S, E> {
  const bySeq = new Map(choices.map((c) => [c.seq, c]));
  let used = 0;
  const opts: RunOptions = { por: false, window };
  const r = runOnce(scn, null, (cp) => {
    const c = bySeq.get(cp.nextSeq);
    if (!c) return 0;
    const n = cp.candidates.length;
    if (c.of !== n || cp.candidates[c.pick]?.event.type !== c.type) {
      if (strict) throw new TraceError(`trace diverged at seq ${c.seq}: expected ${c.of} candidates with '${c.type}' at ${c.pick}, got ${n} (${cp.candidates.map((x) => x.event.type).join(', ')})`);
      return c.pick < n ? c.pick : 0;
    }
    used++;
    return c.pick;
  }, opts);
  if (strict && used !== choices.length) {
    const missing = choices.find((c) => c.seq > r.lastSeq) ?? choices[used];
    throw new TraceError(`trace diverged: the choice at seq ${missing?.seq} was never offered (the run ended at seq ${r.lastSeq})`);
  }
  return r;
}

/** Refuse a trace made from another scenario (or an older model) than `scn`. */
export function checkTraceScenario<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, t: ChoiceTrace, file: string): void {
  const h = scenarioHash(scn);
  if (t.scenarioHash !== h) throw new TraceError(`${file}: scenarioHash ${t.scenarioHash} is not this scenario's (${h}): it was recorded from '${t.scenario}' or an older model`);
}

/** Replay a trace file's choices against `scn`, refusing a trace made from another scenario. */
export function replayTrace<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, t: ChoiceTrace, file: string): RunReport<S, E> {
  checkTraceScenario(scn, t, file);
  return runChoices(traceScenario(scn, t), t.choices, t.window);
}
