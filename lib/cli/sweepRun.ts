import { Worker } from 'node:worker_threads';
import { runScenario, type RunSummary } from '../scenario/runScenario.ts';
import { checkScenario, type Scenario, type ScenarioInput } from '../scenario/scenario.ts';

/** What a sweep runs: a scenario input (with --set edits applied) and the run bounds. */
export interface SweepJob {
  readonly source: ScenarioInput;
  readonly until?: number;
  readonly checkInvariants: boolean;
}

const checked = new WeakMap<SweepJob, Scenario>();

export function runSeed(job: SweepJob, seed: number): RunSummary {
  let s = checked.get(job);
  if (!s) { s = checkScenario(job.source); checked.set(job, s); }
  return runScenario(s, { seed, until: job.until, checkInvariants: job.checkInvariants }).summary;
}

export function sweepSequential(job: SweepJob, seeds: readonly number[], onDone?: (n: number) => void): RunSummary[] {
  return seeds.map((seed, i) => { const r = runSeed(job, seed); onDone?.(i + 1); return r; });
}

/**
 * Run seeds on `workers` worker threads, handing out one seed at a time (so fast and slow seeds
 * balance); results come back in seed-list order, identical to a sequential sweep.
 */
export function sweepParallel(job: SweepJob, seeds: readonly number[], workers: number, onDone?: (n: number) => void): Promise<RunSummary[]> {
  const results: (RunSummary | undefined)[] = new Array(seeds.length);
  const n = Math.max(1, Math.min(workers, seeds.length));
  let next = 0;
  let finished = 0;
  const boot = new URL('./tsWorker.mjs', import.meta.url);
  const entry = new URL('./sweepWorker.ts', import.meta.url).href;
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    let failed = false;
    const stopAll = () => { for (const w of pool) void w.terminate(); };
    const feed = (w: Worker) => {
      if (next < seeds.length) w.postMessage({ seed: seeds[next++] });
      else w.postMessage({ stop: true });
    };
    for (let k = 0; k < n; k++) {
      const w = new Worker(boot, { workerData: { ...job, __entry: entry } });
      pool.push(w);
      w.on('message', (m: { seed: number; summary?: RunSummary; error?: string }) => {
        if (failed) return;
        if (m.error !== undefined) { failed = true; stopAll(); reject(new Error(`seed ${m.seed}: ${m.error}`)); return; }
        results[seeds.indexOf(m.seed)] = m.summary;
        finished++;
        onDone?.(finished);
        if (finished === seeds.length) { stopAll(); resolve(results as RunSummary[]); return; }
        feed(w);
      });
      w.on('error', (e) => { if (!failed) { failed = true; stopAll(); reject(e); } });
      feed(w);
    }
  });
}
