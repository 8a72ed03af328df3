/**
 * Exploration cut into tasks whose results depend only on the task, never on the process or
 * worker that runs it: a fault combination's default run (`root`), every ordering below a forced
 * prefix of choices (`subtree`, exhaustive search) and a range of numbered sampled runs
 * (`samples`: random, pct, swarm; run i draws from its own seeded generator). Concatenating the
 * tasks' runs in task order (children right after their parent) gives exactly the runs of a
 * sequential depth-first search, so any number of workers finds the same outcomes and failures.
 */
import { Rng, seedRng } from '../engine/prng.ts';
import type { SimEventBase } from '../engine/types.ts';
import { pctDecider } from './pct.ts';
import { runOnce, type ChoicePoint, type Decide, type RunOptions, type Snap } from './runner.ts';
import { TraceError, withFaults, withPerturb } from './trace.ts';
import type { ChoiceRecord, ExploreScenario, Failure, FaultPick, PerturbPick } from './types.ts';

export type Strategy = 'exhaustive' | 'random' | 'pct' | 'swarm';

/** How a search chooses: the explorer's options and every task's plan share them. */
export interface SearchOptions {
  readonly strategy: Strategy;
  /** Most non-default choices per run (exhaustive). */
  readonly preemptionBound: number;
  /** Seed of the explorer's own choices (random, pct, swarm); the simulation keeps the scenario's seed. */
  readonly seed: number;
  /** PCT bug depth d: d - 1 priority change points per run. */
  readonly depth: number;
  /** Partial-order reduction with the scenario's footprints. */
  readonly por: boolean;
  readonly window: number;
}

/** What every task of one exploration shares (plain data: it is sent to workers as is). */
export interface TaskPlan extends SearchOptions {
  /** Stop at the first failing run. */
  readonly first: boolean;
  /** Runs each fault combination gets under a sampling strategy (its default run included). */
  readonly share: number;
  readonly combos: readonly (readonly FaultPick[])[];
}

export type Task =
  | { readonly kind: 'root'; readonly combo: number }
  /** Every ordering below `prefix` (its last record is the forced alternative); `weight`: its share of the ordering tree. */
  | { readonly kind: 'subtree'; readonly combo: number; readonly prefix: readonly ChoiceRecord[]; readonly weight: number }
  | { readonly kind: 'samples'; readonly combo: number; readonly from: number; readonly count: number };

/** One run as the merge needs it. */
export interface RunRec<S> {
  readonly choices: readonly ChoiceRecord[];
  readonly failure: Failure | null;
  /** The outcome's name, or null when only the final state came back (from a worker). */
  readonly outcome: string | null;
  readonly final: S;
  readonly sometimes: readonly string[];
  readonly dispatched: number;
  readonly perturb: readonly PerturbPick[];
  /**
   * Random and pct runs: the decisions from the first choice point on, as (alternatives, position
   * taken) pairs, so the merge can tell when every ordering has been run.
   */
  readonly path: readonly number[];
}

export interface TaskResult {
  /** Tasks that come right after this one, in order. */
  readonly children: Task[];
  /** Whether the task ran all it stands for (not stopped by `emit`). */
  readonly complete: boolean;
  /** Its share of the ordering tree (exhaustive; the default run's share for a root). */
  readonly weight: number;
}

/** Receives each run of a task in order; returns false to stop the task there. */
export type Emit<S> = (r: RunRec<S>) => boolean;

/** Sampled runs per `samples` task: small, so a few workers balance. */
export const SAMPLE_BATCH = 4;

/** State a process keeps between its tasks: snapshots to resume from instead of replaying a prefix. */
export interface TaskCache<S, E> {
  readonly subtreeSnaps: Map<Task, Snap<S, E>>;
  readonly roots: Map<number, { snap: Snap<S, E> | null; points: number }>;
}

export const newCache = <S, E>(): TaskCache<S, E> => ({ subtreeSnaps: new Map(), roots: new Map() });

/** Run i's own generator: a pure function of (seed, combination, i). */
export function runRng(seed: number, combo: number, i: number): Rng {
  return new Rng(seedRng((seed ^ Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(combo + 1, 0x85ebca6b)) >>> 0));
}

/** Swarm testing (Groce et al., ISSTA 2012): each timing is left alone or, with probability 1/2, set anywhere in its bounds. */
export function swarmPicks<S>(scn: Pick<ExploreScenario<S, SimEventBase>, 'perturbations'>, rng: Rng): PerturbPick[] {
  const out: PerturbPick[] = [];
  for (const p of scn.perturbations ?? []) if (rng.next() < 0.5) out.push({ name: p.name, value: rng.int(p.min, p.max) });
  return out;
}

interface Frame<S, E> { readonly snap: Snap<S, E>; readonly alts: readonly number[]; next: number; readonly types: readonly string[]; readonly seq: number }

const rec = <S>(r: ReturnType<typeof runOnce<S, SimEventBase>>, perturb: readonly PerturbPick[] = [], path: readonly number[] = []): RunRec<S> =>
  ({ choices: r.choices, failure: r.failure, outcome: r.outcome, final: r.final, sometimes: r.sometimes, dispatched: r.dispatched, perturb, path });

/** `decide`, recording each decision as (alternatives, position taken) into `path`. */
function recorded<S, E>(decide: Decide<S, E>, path: number[]): Decide<S, E> {
  return (cp) => {
    const i = decide(cp);
    const alts = cp.alternatives();
    path.push(alts.length, alts.indexOf(i));
    return i;
  };
}

/**
 * Run one task of `plan` on `base` (the scenario without faults), handing each run to `emit`.
 * `keepSnaps`: the caller runs this task's children in the same process (they resume from
 * snapshots instead of replaying their prefix).
 */
export function runTask<S, E extends SimEventBase>(base: ExploreScenario<S, E>, plan: TaskPlan, task: Task, emit: Emit<S>, cache: TaskCache<S, E>, opts: Pick<RunOptions, 'onEvents' | 'progressEvents'> = {}, keepSnaps = true): TaskResult {
  const scn = withFaults(base, plan.combos[task.combo]);
  const ro: RunOptions = { por: plan.por, window: plan.window, onEvents: opts.onEvents, progressEvents: opts.progressEvents };
  let stop = false;
  const push = (r: RunRec<S>): void => { if (!emit(r)) stop = true; };
  const stopped = (): boolean => stop;

  if (plan.strategy !== 'exhaustive') {
    if (task.kind === 'root') {
      let snap: Snap<S, E> | null = null, points = 0;
      const path: number[] = [];
      push(rec(runOnce(scn, null, recorded((cp) => { points++; snap ??= cp.snapshot(); return 0; }, path), ro), [], path));
      cache.roots.set(task.combo, { snap, points });
      const more = snap !== null || (plan.strategy === 'swarm' && (scn.perturbations?.length ?? 0) > 0);
      const children: Task[] = [];
      for (let i = 1; more && i < plan.share; i += SAMPLE_BATCH) children.push({ kind: 'samples', combo: task.combo, from: i, count: Math.min(SAMPLE_BATCH, plan.share - i) });
      return { children, complete: !more, weight: 1 };
    }
    if (task.kind !== 'samples') throw new Error(`explore: a ${task.kind} task under strategy ${plan.strategy}`);
    let root = cache.roots.get(task.combo);
    if (!root) { runTask(base, plan, { kind: 'root', combo: task.combo }, () => true, cache, {}, false); root = cache.roots.get(task.combo)!; }
    for (let i = task.from; i < task.from + task.count && !stopped(); i++) {
      const rng = runRng(plan.seed, task.combo, i);
      const random: Decide<S, E> = (cp) => { const a = cp.alternatives(); return a[rng.int(0, a.length - 1)]; };
      if (plan.strategy === 'swarm') {
        const picks = swarmPicks(scn, rng);
        push(rec(runOnce(withPerturb(scn, picks), null, random, ro), picks));
      } else {
        const path: number[] = [];
        push(rec(runOnce(scn, root.snap, recorded(plan.strategy === 'random' ? random : pctDecider<S, E>(rng, plan.depth, root.points), path), ro), [], path));
      }
    }
    return { children: [], complete: !stopped(), weight: 0 };
  }

  // Exhaustive: depth-first, deepest choice point first, alternatives in order.
  if (task.kind === 'samples') throw new Error('explore: a samples task under exhaustive search');
  const stack: Frame<S, E>[] = [];
  const after = task.kind === 'subtree' ? task.prefix[task.prefix.length - 1].seq : 0;
  const dfs: Decide<S, E> = (cp) => {
    const alts = cp.alternatives();
    if (alts.length > 1 && cp.preemptions < plan.preemptionBound) stack.push({ snap: cp.snapshot(), alts, next: 1, types: cp.candidates.map((c) => c.event.type), seq: cp.nextSeq });
    return alts[0];
  };
  if (task.kind === 'root') {
    push(rec(runOnce(scn, null, dfs, ro)));
    // Children: the default run's choice points, deepest first, each alternative in order.
    const children: Task[] = [];
    const weights: number[] = [];
    let w = 1;
    for (const f of stack) { weights.push(w / f.alts.length); w /= f.alts.length; }
    for (let k = stack.length - 1; k >= 0; k--) {
      const f = stack[k];
      for (let j = 1; j < f.alts.length; j++) {
        const t: Task = { kind: 'subtree', combo: task.combo, prefix: [...f.snap.choices, { seq: f.seq, pick: f.alts[j], of: f.types.length, type: f.types[f.alts[j]] }], weight: weights[k] };
        if (keepSnaps) cache.subtreeSnaps.set(t, f.snap);
        children.push(t);
      }
    }
    return { children, complete: true, weight: w };
  }
  // A subtree: its first run takes the prefix (from the snapshot before its last choice when this
  // process has one, else replayed from the start), then depth-first search below it.
  const snap = cache.subtreeSnaps.get(task) ?? null;
  cache.subtreeSnaps.delete(task);
  const forced = new Map(task.prefix.map((c) => [c.seq, c]));
  let first = true;
  const follow: Decide<S, E> = (cp: ChoicePoint<S, E>) => {
    if (snap && first) { first = false; return task.prefix[task.prefix.length - 1].pick; }
    const c = forced.get(cp.nextSeq);
    if (c && !snap) {
      if (cp.candidates[c.pick]?.event.type !== c.type || cp.candidates.length !== c.of) throw new TraceError(`explore: a task's prefix diverged at seq ${c.seq}`);
      return c.pick;
    }
    return cp.nextSeq > after ? dfs(cp) : 0;
  };
  push(rec(runOnce(scn, snap, follow, ro)));
  while (!stopped()) {
    const top = stack[stack.length - 1];
    if (!top) break;
    if (top.next >= top.alts.length) { stack.pop(); continue; }
    const pick = top.alts[top.next++];
    let firstPick = true;
    push(rec(runOnce(scn, top.snap, (cp) => { if (firstPick) { firstPick = false; return pick; } return dfs(cp); }, ro)));
  }
  return { children: [], complete: stack.every((f) => f.next >= f.alts.length), weight: task.weight };
}
