/**
 * `npm run fuzz [-- --count N] [--seed S] [--target name,...] [--memory-mb M]`: every parser and
 * loader, N generated inputs each (100,000 by default), each target in a worker thread with a heap
 * limit. Prints per target: inputs, accepted, rejected with the project's own error, and foreign
 * failures (any other exception, over 2 s, over the memory budget, or a hang) with a minimal
 * reproducer each. Exit code 1 when any foreign failure was found.
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { TIME_LIMIT_MS, type Failure } from './fuzz.ts';
import { TARGETS } from './targets.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' }, target: { type: 'string' }, 'memory-mb': { type: 'string', default: '2048' } } });
const count = Number(values.count);
const seed = Number(values.seed);
const memoryMb = Number(values['memory-mb']);
const wanted = values.target ? values.target.split(',') : TARGETS.map((t) => t.name);
/** No progress for this long is a hang (the 2 s limit is checked when an input returns; shrinking a failure takes at most 10 s). */
const HANG_MS = 30_000;

interface Totals { inputs: number; accepted: number; rejected: number; foreign: Failure[] }

/** Run [from, count) in a worker; on a hang or out-of-memory, record it and go on after that input. */
function runTarget(name: string): Promise<Totals> {
  const totals: Totals = { inputs: 0, accepted: 0, rejected: 0, foreign: [] };
  const start = (from: number, resolve: (t: Totals) => void): void => {
    if (from >= count) { resolve(totals); return; }
    const progress = new SharedArrayBuffer(16);
    const at = new Int32Array(progress);
    // from - 1 until the worker starts its first input: loading it is not a hang.
    Atomics.store(at, 0, from - 1);
    // Worker threads do not inherit tsx's loader: the CLI's bootstrap registers it, then loads the entry.
    const w = new Worker(new URL('../../lib/io/tsWorker.mjs', import.meta.url), {
      workerData: { __entry: new URL('./worker.ts', import.meta.url).href, target: name, seed, from, to: count, progress },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    let last = from - 1;
    let lastChange = Date.now();
    let finished = false;
    const stopAt = (kind: string, fatal = false): void => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      const i = Atomics.load(at, 0);
      const input = TARGETS.find((t) => t.name === name)!.input(seed, i);
      totals.foreign.push({ target: name, index: i, kind, reproducer: input });
      // What the worker finished before input i, and input i itself.
      totals.inputs += Atomics.load(at, 1) + 1;
      totals.accepted += Atomics.load(at, 2);
      totals.rejected += Atomics.load(at, 3);
      void w.terminate().then(() => (fatal ? resolve(totals) : start(i + 1, resolve)));
    };
    const timer = setInterval(() => {
      const i = Atomics.load(at, 0);
      if (i !== last) { last = i; lastChange = Date.now(); } else if (i >= from && Date.now() - lastChange > HANG_MS) stopAt(`hang (no result after ${HANG_MS / 1000} s)`);
    }, 250);
    w.on('message', (m: { failure?: Failure; done?: { inputs: number; accepted: number; rejected: number } }) => {
      if (m.failure) totals.foreign.push(m.failure);
      if (m.done) {
        finished = true;
        clearInterval(timer);
        totals.inputs += m.done.inputs; totals.accepted += m.done.accepted; totals.rejected += m.done.rejected;
        void w.terminate().then(() => resolve(totals));
      }
    });
    w.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') stopAt(`over the memory budget (${memoryMb} MiB heap)`);
      else stopAt(`worker died (target stopped): ${e.message.split('\n')[0]}`, true);
    });
  };
  return new Promise((resolve) => start(0, resolve));
}

const t0 = Date.now();
console.log(`fuzz: seed ${seed}, ${count} inputs per target, time limit ${TIME_LIMIT_MS} ms per input, heap ${memoryMb} MiB`);
let foreign = 0;
for (const name of wanted) {
  if (!TARGETS.some((t) => t.name === name)) { console.error(`fuzz: unknown target '${name}' (targets: ${TARGETS.map((t) => t.name).join(', ')})`); process.exit(2); }
  const s = Date.now();
  const r = await runTarget(name);
  foreign += r.foreign.length;
  console.log(`${name.padEnd(16)} inputs ${r.inputs}  accepted ${r.accepted}  rejected ${r.rejected}  foreign ${r.foreign.length}  (${((Date.now() - s) / 1000).toFixed(1)} s)`);
  for (const f of r.foreign) console.log(`  #${f.index} ${f.kind}\n    reproducer (${f.reproducer.length} chars): ${JSON.stringify(f.reproducer.length > 400 ? `${f.reproducer.slice(0, 400)}...` : f.reproducer)}`);
}
console.log(`fuzz: ${foreign} foreign failure(s) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(foreign > 0 ? 1 : 0);
