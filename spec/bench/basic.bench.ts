/**
 * `examples/basic.ts` as a user meets it (issue 12): `cma-sim run` over 50 k and 100 k events
 * (the run should grow linearly: 100 k in at most twice the time of 50 k), and `cma-sim explore`
 * with invariants (runs/s, and how long the user sees nothing on stderr while it searches).
 *
 * Every function takes the root of the tree to measure and loads that tree's public modules by
 * path (lib/scenario, lib/cli), so `spec/bench/rows.ts --root DIR` measures another checkout,
 * such as a commit from before this file existed, with this file's code.
 * Run: node --import tsx spec/bench/basic.bench.ts [root]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cpuSec } from './cpuSec.ts';

/** This checkout's root. */
export const OWN_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A module of the tree at `root`, by its path inside the tree. */
export const fromTree = <T>(root: string, path: string): Promise<T> => import(pathToFileURL(resolve(root, path)).href) as Promise<T>;

/** Wall and CPU seconds since `t0` / `c0`. */
const since = (t0: number, c0: number) => ({ wallSec: +((performance.now() - t0) / 1000).toFixed(2), cpuSec: +(cpuSec() - c0).toFixed(2) });

export interface BasicScaling {
  /** Wall and CPU seconds to reach `half` events and to reach `events` (one run: the first half is the same run's prefix). */
  readonly half: number;
  readonly events: number;
  readonly atHalf: { readonly wallSec: number; readonly cpuSec: number };
  readonly atEnd: { readonly wallSec: number; readonly cpuSec: number };
  /** CPU seconds of `events` over those of `half`: linear growth is 2. */
  readonly cpuRatio: number;
  readonly peakRssMiB: number;
}

interface ScenarioApi {
  runScenario(s: unknown, o: { until?: number; maxEvents?: number; onProgress?: (p: { dispatched: number }) => void }): { summary: { events: number } };
}

/**
 * `cma-sim run examples/basic.ts --until 600s --max-events <events>` in this process (history and
 * snapshots on, as the command keeps them), timed when it passes `half` events and at its end.
 */
export async function benchBasicScaling(root = OWN_ROOT, events = 100_000, half = events / 2): Promise<BasicScaling> {
  const { runScenario } = await fromTree<ScenarioApi>(root, 'lib/scenario/index.ts');
  const { scenario } = await fromTree<{ scenario: unknown }>(root, 'examples/basic.ts');
  const t0 = performance.now(), c0 = cpuSec();
  let atHalf: BasicScaling['atHalf'] | undefined;
  // Progress comes every 1,000 events (lib/run): `half` must be a multiple of that.
  const r = runScenario(scenario, { until: 600e9, maxEvents: events, onProgress: (p) => { if (p.dispatched === half) atHalf = since(t0, c0); } });
  const atEnd = since(t0, c0);
  if (r.summary.events !== events || !atHalf) throw new Error(`basic.ts: ran ${r.summary.events} events, wanted ${events} with a progress call at ${half}`);
  return { half, events, atHalf, atEnd, cpuRatio: +(atEnd.cpuSec / atHalf.cpuSec).toFixed(2), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

export interface ExploreBasic {
  readonly runs: number;
  readonly wallSec: number;
  readonly cpuSec: number;
  readonly runsPerSec: number;
  readonly runsPerCpuSec: number;
  /** Longest wall time with nothing new on stderr (`--progress`), from the command's start to its summary, ms. */
  readonly longestSilenceMs: number;
  /** The same in CPU time of this process (comparable on a loaded machine), ms. */
  readonly longestSilenceCpuMs: number;
  /** Wall time before the first progress line, ms (loading the scenario, booting, the first events). */
  readonly firstLineMs: number;
  readonly progressLines: number;
  /** The command's summary line (runs, strategy, time, runs/s as the user reads it). */
  readonly summary: string;
}

/**
 * `cma-sim explore examples/basic.ts --max-runs <maxRuns> --progress` (invariants on, the default)
 * through the tree's own command line, in this process, recording when each stderr write comes.
 */
export async function benchExploreBasic(root = OWN_ROOT, maxRuns = 1000): Promise<ExploreBasic> {
  const { cli } = await fromTree<{ cli(argv: readonly string[], io: unknown): Promise<number> }>(root, 'lib/cli/cli.ts');
  const dir = mkdtempSync(join(tmpdir(), 'cma-sim-explore-bench-'));
  const writes: number[] = [], cpuAt: number[] = [];
  let stdout = '';
  const io = {
    out: (t: string) => { stdout += t; },
    err: () => { writes.push(performance.now()); cpuAt.push(cpuSec()); },
    errIsTTY: false, clock: () => performance.now(),
  };
  const t0 = performance.now(), c0 = cpuSec();
  try {
    const code = await cli(['explore', resolve(root, 'examples/basic.ts'), '--max-runs', String(maxRuns), '--progress', '--out', join(dir, 'out')], io);
    const took = since(t0, c0);
    const summary = stdout.split('\n').find((l) => / runs \(/.test(l)) ?? '';
    const runs = Number(/: (\d+) runs \(/.exec(summary)?.[1]);
    if (code !== 0 || !Number.isInteger(runs)) throw new Error(`explore basic.ts: exit ${code}, output: ${stdout.slice(0, 300)}`);
    const longest = (ts: number[]): number => Math.max(...ts.slice(1).map((t, i) => t - ts[i]));
    return {
      runs, ...took, runsPerSec: +(runs / took.wallSec).toFixed(1), runsPerCpuSec: +(runs / took.cpuSec).toFixed(1),
      longestSilenceMs: Math.round(longest([t0, ...writes])), longestSilenceCpuMs: Math.round(1000 * longest([c0, ...cpuAt])), firstLineMs: Math.round((writes[0] ?? performance.now()) - t0), progressLines: writes.length, summary: summary.trim(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? OWN_ROOT;
  console.log(await benchBasicScaling(root));
  console.log(await benchExploreBasic(root));
}
