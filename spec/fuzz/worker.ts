/** One target's inputs in a worker thread, so the parent can stop a hang or an out-of-memory run. */
import { parentPort, workerData } from 'node:worker_threads';
import { emptyTally, runRange } from './fuzz.ts';
import { cleanupTargets, TARGETS } from './targets.ts';

const { target, seed, from, to, progress } = workerData as { target: string; seed: number; from: number; to: number; progress: SharedArrayBuffer };
const at = new Int32Array(progress);
const t = TARGETS.find((x) => x.name === target)!;
const tally = emptyTally();
// Build the target's seed inputs (a log target runs a scenario for its seed log) before the first
// index is published, so the parent does not take that for a hang.
t.input(seed, from);
// Shared counters [index being run, inputs, accepted, rejected]: the parent reads them when it
// has to stop this worker (a hang, the heap budget).
for (let i = from; i < to; i++) {
  Atomics.store(at, 0, i);
  runRange(t, seed, i, i + 1, tally, (f) => parentPort!.postMessage({ failure: f }));
  Atomics.store(at, 1, tally.inputs);
  Atomics.store(at, 2, tally.accepted);
  Atomics.store(at, 3, tally.rejected);
}
cleanupTargets();
parentPort!.postMessage({ done: { inputs: tally.inputs, accepted: tally.accepted, rejected: tally.rejected } });
