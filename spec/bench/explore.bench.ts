/**
 * Explored runs per second on race scenario 3 (examples/races/race3.ts: two concurrent 1 MiB
 * cma_alloc calls under 'split' locking, page cache to migrate, 68 events per run). Reduction is
 * off so the search has thousands of orderings to run; every run after the first resumes from a
 * snapshot at a choice point. Target: >= 1,000 runs/s.
 */
import { performance } from 'node:perf_hooks';
import { explore, type ExploreOptions } from '../../lib/explore/explore.ts';
import { race } from '../../examples/races/race3.ts';

export interface ExploreBench {
  /** Exhaustive DFS, checks (CMA invariants, no-overlapping-claims, eventually) after every event. */
  readonly runsPerSec: number;
  /** The same search without per-event checks: the cost of running and forking alone. */
  readonly runsPerSecNoChecks: number;
  /** Seeded random walks from the first choice point, with checks. */
  readonly randomRunsPerSec: number;
  readonly runs: number;
}

function rate(opts: Partial<ExploreOptions>, checks: boolean, runs: number): number {
  const scn = checks ? race : { ...race, checks: [] };
  const t0 = performance.now();
  const r = explore(scn, { por: false, maxRuns: runs, ...opts });
  return Math.round(r.runs / ((performance.now() - t0) / 1000));
}

export async function benchExploreDetail(runs = 2000): Promise<ExploreBench> {
  rate({}, true, 200); // warm-up
  return {
    runsPerSec: rate({}, true, runs),
    runsPerSecNoChecks: rate({}, false, runs),
    randomRunsPerSec: rate({ strategy: 'random', seed: 1 }, true, runs),
    runs,
  };
}

/** Explored runs per second on race 3 (exhaustive, checks on). */
export async function benchExplore(runs = 2000): Promise<number> {
  return (await benchExploreDetail(runs)).runsPerSec;
}

if (process.argv[1]?.endsWith('explore.bench.ts')) {
  console.log(await benchExploreDetail());
}
