import { Worker } from 'node:worker_threads';
import { requestRow, type RequestRow } from '../report/aggregate.ts';
import { requestsOf } from '../scenario/metrics.ts';
import { runScenario, type RunSummary } from '../scenario/runScenario.ts';
import { checkScenario, type Scenario, type ScenarioInput } from '../scenario/scenario.ts';
import { sourceExt } from './packageRoot.ts';
import { printable } from '../text/escape.ts';

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
  /** Each result also carries one row per CMA request of the run (`--per-request`). */
  readonly perRequest?: boolean;
  /** Memory budget for each run's model state (`--max-memory`); default DEFAULT_MAX_MEMORY. */
  readonly maxMemory?: number;
}

/** One run of a sweep. */
export interface SweepTask {
  readonly variant: number;
  readonly seed: number;
}

/** A run that did not finish: it threw, or the worker running it died. Reported as its own row. */
export interface SweepFailure {
  readonly seed: number;
  /** One line. */
  readonly error: string;
}

/** A finished run: its summary, and its request rows when the job asks for them. */
export type SweepRun = RunSummary & { readonly requests?: readonly RequestRow[] };

export type SweepResult = SweepRun | SweepFailure;

export function isFailure(r: SweepResult): r is SweepFailure {
  return 'error' in r;
}

/** Variant-major, then seed order: the order results are reported in. */
export function sweepTasks(job: SweepJob, seeds: readonly number[]): SweepTask[] {
  return job.variants.flatMap((_v, variant) => seeds.map((seed) => ({ variant, seed })));
}

const checked = new WeakMap<SweepVariant, Scenario>();

export function runTask(job: SweepJob, t: SweepTask): SweepRun {
  const v = job.variants[t.variant];
  let s = checked.get(v);
  if (!s) { s = checkScenario(v.source, { maxMemory: job.maxMemory }); checked.set(v, s); }
  const o = runScenario(s, { seed: t.seed, until: job.until, maxEvents: job.maxEvents, checkInvariants: job.checkInvariants });
  return job.perRequest ? { ...o.summary, requests: requestsOf(o.history.engine.state.model).map(requestRow) } : o.summary;
}

/** The first line of an error, printable (control characters as \xNN, as everywhere text leaves the program). */
const oneLine = (s: string) => printable(s.split('\n')[0]);

/** A run, or its failure as a row: whatever it throws ends that run only. */
export function runTaskSafely(job: SweepJob, t: SweepTask): SweepResult {
  try {
    return runTask(job, t);
  } catch (e) {
    return { seed: t.seed, error: oneLine(e instanceof Error ? e.message : String(e)) };
  }
}

export function sweepSequential(job: SweepJob, tasks: readonly SweepTask[], onDone?: (n: number) => void): SweepResult[] {
  return tasks.map((t, i) => { const r = runTaskSafely(job, t); onDone?.(i + 1); return r; });
}

export interface ParallelOptions {
  /** V8 old-space limit of each worker, MiB (default: Node's); a run that needs more fails alone. */
  readonly workerHeapMb?: number;
}

/** Why a worker ended without being asked to. */
function deathReason(e: Error & { code?: string }): string {
  return e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'worker ran out of memory' : `worker died: ${oneLine(e.message)}`;
}

/**
 * Run tasks on `workers` worker threads, handing out one task at a time (so fast and slow runs
 * balance). A result depends only on (variant, seed), never on which worker ran it, so the list
 * comes back identical to a sequential sweep. A worker that dies (out of memory, a crash) fails
 * the one run it held; a new worker takes over the rest.
 */
export function sweepParallel(job: SweepJob, tasks: readonly SweepTask[], workers: number, onDone?: (n: number) => void, opts: ParallelOptions = {}): Promise<SweepResult[]> {
  const results: SweepResult[] = new Array(tasks.length);
  const n = Math.max(1, Math.min(workers, tasks.length));
  let next = 0;
  let finished = 0;
  const entry = new URL(`./sweepWorker${sourceExt}`, import.meta.url);
  // Worker threads do not inherit tsx's loader: from the sources, a .mjs shim registers it first.
  const boot = sourceExt === '.ts' ? new URL('../io/tsWorker.mjs', import.meta.url) : entry;
  return new Promise((resolve) => {
    if (tasks.length === 0) { resolve([]); return; }
    const held = new Map<Worker, number>();
    const record = (i: number, r: SweepResult) => {
      results[i] = r;
      finished++;
      onDone?.(finished);
      if (finished === tasks.length) { for (const w of held.keys()) void w.terminate(); resolve(results); }
    };
    const feed = (w: Worker) => {
      if (next < tasks.length) { const i = next++; held.set(w, i); w.postMessage({ index: i, task: tasks[i] }); } else { held.delete(w); w.postMessage({ stop: true }); }
    };
    const start = () => {
      const w = new Worker(boot, {
        workerData: { job, __entry: entry.href },
        ...(opts.workerHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: opts.workerHeapMb } } : {}),
      });
      let dead = false;
      const died = (reason: string) => {
        if (dead) return;
        dead = true;
        const i = held.get(w);
        held.delete(w);
        if (i === undefined || results[i] !== undefined) return;
        record(i, { seed: tasks[i].seed, error: reason });
        if (finished < tasks.length && next < tasks.length) start();
      };
      w.on('message', (m: { index: number; result: SweepResult }) => {
        record(m.index, m.result);
        if (finished < tasks.length) feed(w);
      });
      w.on('error', (e: Error & { code?: string }) => died(deathReason(e)));
      w.on('exit', (code) => died(`worker exited with code ${code}`));
      feed(w);
    };
    for (let k = 0; k < n; k++) start();
  });
}
