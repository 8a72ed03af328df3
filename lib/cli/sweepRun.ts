import { Worker } from 'node:worker_threads';
import { runScenario, type RunSummary } from '../scenario/runScenario.ts';
import { sourceExt } from './packageRoot.ts';
import { checkScenario, type Scenario, type ScenarioInput } from '../scenario/scenario.ts';

/** One point of a sweep's parameter grid: the scenario input with its --set/--vary edits applied. */
export interface SweepVariant {
  /** `path=value, ...` of the --vary values (empty without --vary). */
  readonly label: string;
  readonly source: ScenarioInput;
}

/** What a sweep runs: every variant for every seed, with the same bounds. */
export interface SweepJob {
  readonly variants: readonly SweepVariant[];
  readonly until?: number;
  readonly maxEvents?: number;
  readonly checkInvariants: boolean;
}

/** One run of a sweep. */
export interface SweepTask {
  readonly variant: number;
  readonly seed: number;
}

/** Variant-major, then seed order: the order results are reported in. */
export function sweepTasks(job: SweepJob, seeds: readonly number[]): SweepTask[] {
  return job.variants.flatMap((_v, variant) => seeds.map((seed) => ({ variant, seed })));
}

const checked = new WeakMap<SweepVariant, Scenario>();

export function runTask(job: SweepJob, t: SweepTask): RunSummary {
  const v = job.variants[t.variant];
  let s = checked.get(v);
  if (!s) { s = checkScenario(v.source); checked.set(v, s); }
  return runScenario(s, { seed: t.seed, until: job.until, maxEvents: job.maxEvents, checkInvariants: job.checkInvariants }).summary;
}

export function sweepSequential(job: SweepJob, tasks: readonly SweepTask[], onDone?: (n: number) => void): RunSummary[] {
  return tasks.map((t, i) => { const r = runTask(job, t); onDone?.(i + 1); return r; });
}

/**
 * Run tasks on `workers` worker threads, handing out one task at a time (so fast and slow runs
 * balance). A result depends only on (variant, seed), never on which worker ran it, so the list
 * comes back identical to a sequential sweep.
 */
export function sweepParallel(job: SweepJob, tasks: readonly SweepTask[], workers: number, onDone?: (n: number) => void): Promise<RunSummary[]> {
  const results: RunSummary[] = new Array(tasks.length);
  const n = Math.max(1, Math.min(workers, tasks.length));
  let next = 0;
  let finished = 0;
  const entry = new URL(`./sweepWorker${sourceExt}`, import.meta.url);
  // Worker threads do not inherit tsx's loader: from the sources, a .mjs shim registers it first.
  const boot = sourceExt === '.ts' ? new URL('./tsWorker.mjs', import.meta.url) : entry;
  return new Promise((resolve, reject) => {
    if (tasks.length === 0) { resolve([]); return; }
    const pool: Worker[] = [];
    let failed = false;
    const stopAll = () => { for (const w of pool) void w.terminate(); };
    const feed = (w: Worker) => {
      if (next < tasks.length) { const i = next++; w.postMessage({ index: i, task: tasks[i] }); } else w.postMessage({ stop: true });
    };
    for (let k = 0; k < n; k++) {
      const w = new Worker(boot, { workerData: { job, __entry: entry.href } });
      pool.push(w);
      w.on('message', (m: { index: number; summary?: RunSummary; error?: string }) => {
        if (failed) return;
        if (m.error !== undefined) {
          failed = true; stopAll();
          const t = tasks[m.index];
          reject(new Error(`seed ${t.seed}${job.variants[t.variant].label ? ` (${job.variants[t.variant].label})` : ''}: ${m.error}`));
          return;
        }
        results[m.index] = m.summary!;
        finished++;
        onDone?.(finished);
        if (finished === tasks.length) { stopAll(); resolve(results); return; }
        feed(w);
      });
      w.on('error', (e) => { if (!failed) { failed = true; stopAll(); reject(e); } });
      feed(w);
    }
  });
}
