import { parentPort, workerData } from 'node:worker_threads';
import { runTaskSafely, type SweepJob, type SweepTask } from './sweepRun.ts';

/**
 * Sweep worker: runs each task the parent sends and posts back its summary, or its failure as a
 * row. Results depend only on (variant, seed), never on which worker ran them.
 */
const { job } = workerData as { job: SweepJob };
parentPort!.on('message', (m: { index: number; task: SweepTask } | { stop: true }) => {
  if ('stop' in m) { parentPort!.close(); return; }
  parentPort!.postMessage({ index: m.index, result: runTaskSafely(job, m.task) });
});
