/** One target's inputs in a worker thread, so the parent can stop a hang or an out-of-memory run. */
import { parentPort, workerData } from 'node:worker_threads';
import { emptyTally, runRange } from './fuzz.ts';
import { cleanupTargets, TARGETS } from './targets.ts';

const { target, seed, from, to, progress } = workerData as { target: string; seed: number; from: number; to: number; progress: SharedArrayBuffer };
const at = new Int32Array(progress);
const t = TARGETS.find((x) => x.name === target)!;
const tally = emptyTally();
// Report in steps so the parent always knows the index being run.
for (let i = from; i < to; i++) {
  Atomics.store(at, 0, i);
  runRange(t, seed, i, i + 1, tally, (f) => parentPort!.postMessage({ failure: f }));
}
cleanupTargets();
parentPort!.postMessage({ done: { inputs: tally.inputs, accepted: tally.accepted, rejected: tally.rejected } });
