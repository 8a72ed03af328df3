/**
 * Realistic-workload benchmark (issue 12): the scenarios in spec/bench/scenarios/, each run as a
 * user's `cma-sim run` would (history and snapshots on) in its own process, so peak memory is that
 * run's. Reports simulated seconds per wall second and peak RSS. A run stops at its scenario's end
 * or after `budgetSec` of wall time, whichever comes first (the figure is then a rate over the
 * part that ran, and `completed` is false).
 * Run one: node --import tsx spec/bench/realistic.bench.ts board [budgetSec]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bootEngine } from '../../lib/scenario/index.ts';
import type { Scenario } from '../../lib/scenario/index.ts';
import { cpuSec } from './cpuSec.ts';

export const REALISTIC = ['phone', 'board', 'server'] as const;

export interface RealisticRow {
  readonly name: string;
  readonly simSeconds: number;
  readonly untilSeconds: number;
  readonly wallSeconds: number;
  readonly simPerWall: number;
  /** CPU seconds of the run, and simulated seconds per CPU second: comparable on a shared, loaded machine. */
  readonly cpuSeconds: number;
  readonly simPerCpu: number;
  readonly events: number;
  readonly peakRssMiB: number;
  readonly completed: boolean;
  readonly allocs: { readonly done: number; readonly failed: number };
}

/** Run one scenario in this process. */
export async function runRealistic(name: string, budgetSec: number): Promise<RealisticRow> {
  const s = (await import(`./scenarios/${name}.ts`)).default as Scenario;
  const c0 = cpuSec();
  const t0 = performance.now();
  const engine = bootEngine(s, s.seed);
  let events = 0;
  let completed = false;
  while (!completed && performance.now() - t0 < budgetSec * 1000) {
    const r = engine.run({ until: s.until, maxEvents: 5_000 });
    events += r.dispatched;
    completed = r.reason !== 'maxEvents';
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSec() - c0;
  const reqs = Object.values(engine.state.model.cma.requests);
  return {
    name,
    simSeconds: engine.now / 1e9,
    untilSeconds: s.until / 1e9,
    wallSeconds: wall,
    simPerWall: engine.now / 1e9 / wall,
    cpuSeconds: cpu,
    simPerCpu: engine.now / 1e9 / cpu,
    events,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    completed,
    allocs: { done: reqs.filter((q) => q.status === 'done').length, failed: reqs.filter((q) => q.status === 'failed').length },
  };
}

/** Run each scenario in a child process of its own (peak memory per run). */
export function benchRealistic(budgetSec = 120, names: readonly string[] = REALISTIC): RealisticRow[] {
  const self = fileURLToPath(import.meta.url);
  return names.map((n) => JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', self, n, String(budgetSec)], { encoding: 'utf8', maxBuffer: 1 << 20 })) as RealisticRow);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, budget] = process.argv.slice(2);
  console.log(JSON.stringify(await runRealistic(name, Number(budget ?? 120))));
}
