import { parentPort, workerData } from 'node:worker_threads';
import { runSeed, type SweepJob } from './sweepRun.ts';

/**
 * Sweep worker: checks the scenario once, then runs each seed the parent sends and posts back
 * its summary. Results depend only on (scenario, seed), never on which worker ran them.
 */
const job = workerData as SweepJob;
parentPort!.on('message', (m: { seed: number } | { stop: true }) => {
  if ('stop' in m) { parentPort!.close(); return; }
  try {
    parentPort!.postMessage({ seed: m.seed, summary: runSeed(job, m.seed) });
  } catch (e) {
    parentPort!.postMessage({ seed: m.seed, error: (e as Error).message });
  }
});
