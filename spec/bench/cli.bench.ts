import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Median wall time (s) of `node args...` over `runs` spawns. */
function medianSpawn(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    times.push((performance.now() - t0) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/**
 * `cma-sim --version` through the bin (the build in dist/; run `npm run build` first), beside a
 * bare `node -e 0` so the figure can be read against Node's own start-up on a loaded machine.
 */
export function benchCli(runs = 11): { versionS: number; nodeS: number } {
  return { versionS: medianSpawn([path.resolve('bin/cma-sim.js'), '--version'], runs), nodeS: medianSpawn(['-e', '0'], runs) };
}
