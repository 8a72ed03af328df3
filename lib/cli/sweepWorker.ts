import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type SweepJob, type SweepTask } from './sweepRun.ts';

/**
 * Sweep worker: runs each task the parent sends and posts back its summary. Results depend only
 * on (variant, seed), never on which worker ran them.
 */
const { job } = workerData as { job: SweepJob };
parentPort!.on('message', (m: { index: number; task: SweepTask } | { stop: true }) => {
  if ('stop' in m) { parentPort!.close(); return; }
  try {
    parentPort!.postMessage({ index: m.index, summary: runTask(job, m.task) });
  } catch (e) {
    parentPort!.postMessage({ index: m.index, error: (e as Error).message });
  }
});
