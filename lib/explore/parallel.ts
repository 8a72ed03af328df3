import { Worker } from 'node:worker_threads';
import type { SimEventBase } from '../engine/types.ts';
import { Merge, optionsFor, planOf, type ExploreOptions, type ExploreResult } from './explore.ts';
import type { RunRec, Task, TaskPlan } from './tasks.ts';
import type { ExploreScenario } from './types.ts';

/** How a worker loads the scenario the parent explores: the module, and the parent's edits of it. */
export interface ScenarioSource {
  /** The scenario or race module (absolute path). */
  readonly file: string;
  /** `--no-invariants`: drop the invariant checks. */
  readonly noInvariants: boolean;
  /** `--check full`: the invariants walk the whole state (default: incremental). */
  readonly full?: boolean;
}

/** A worker's answer: a task's runs (finals by key, each sent once) and its children. */
export interface TaskReply {
  readonly slot: number;
  readonly runs: (Omit<RunRec<unknown>, 'final'> & { readonly key: string })[];
  readonly finals: Record<string, unknown>;
  readonly children: Task[];
  readonly complete: boolean;
  readonly weight: number;
  readonly error?: string;
}

export interface TaskRequest {
  readonly slot: number;
  readonly task: Task;
  /** Runs the merge can still use, at least: the task stops after this many. */
  readonly budget: number;
}

const sourceExt = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/**
 * Explore on `workers` worker threads. Tasks (lib/explore/tasks.ts) are handed out in task order,
 * one at a time; each worker loads the scenario itself from `source`. Results are merged in task
 * order, never in the order workers finish, so the outcomes, failures and traces are the same for
 * any number of workers; `scn` (the parent's copy) names outcomes and describes them. `entry` is
 * the worker module (lib/cli/exploreWorker.ts), which loads the scenario as the command line does.
 */
export function exploreParallel<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, source: ScenarioSource, options: Partial<ExploreOptions>, workers: number, entry: URL): Promise<ExploreResult> {
  const o = optionsFor(scn, options);
  const plan: TaskPlan = planOf(scn, o);
  const m = new Merge(scn, o, plan);
  // Slots in task order; a task's children are inserted right after it when its reply arrives.
  let ids = 0;
  const slot = (task: Task) => ({ id: ids++, task, reply: null as TaskReply | null, sent: false });
  const slots = plan.combos.map((_, combo) => slot({ kind: 'root', combo }));
  let merged = 0;
  let complete = true;
  const boot = sourceExt === '.ts' ? new URL('../io/tsWorker.mjs', import.meta.url) : entry;
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    let finished = false;
    const finish = (e?: Error): void => {
      if (finished) return;
      finished = true;
      for (const w of pool) void w.terminate();
      if (e) reject(e); else resolve(m.result(complete));
    };
    /** Merge every reply that is next in task order. */
    const advance = (): void => {
      while (merged < slots.length && slots[merged].reply) {
        const { task, reply } = slots[merged];
        if (reply!.error) return finish(new Error(reply!.error));
        if (!m.more()) { complete = false; return finish(); }
        for (const r of reply!.runs) if (!m.add({ ...r, final: reply!.finals[r.key] as S }, task.combo)) break;
        if (reply!.complete) m.doneWeight += reply!.weight / plan.combos.length;
        complete &&= reply!.complete;
        merged++;
      }
      if (merged === slots.length || !m.more()) { if (!m.more() && merged < slots.length) complete = false; finish(); }
    };
    const feed = (w: Worker): void => {
      const i = slots.findIndex((s) => !s.sent);
      if (i < 0 || !m.more()) { idle.push(w); return; }
      slots[i].sent = true;
      const req: TaskRequest = { slot: slots[i].id, task: slots[i].task, budget: o.maxRuns - m.runs };
      w.postMessage(req);
    };
    const idle: Worker[] = [];
    for (let k = 0; k < Math.max(1, workers); k++) {
      const w = new Worker(boot, { workerData: { source, plan, __entry: entry.href } });
      pool.push(w);
      w.on('message', (reply: TaskReply) => {
        const at = slots.findIndex((s) => s.id === reply.slot);
        if (at < 0) return;
        slots[at].reply = reply;
        // Children run right after their parent, before any later task.
        if (reply.children.length) slots.splice(at + 1, 0, ...reply.children.map(slot));
        advance();
        if (finished) return;
        feed(w);
        while (idle.length && slots.some((s) => !s.sent)) feed(idle.pop()!);
      });
      w.on('error', (e: Error) => finish(e));
      w.on('exit', (code) => { if (!finished && code !== 0) finish(new Error(`explore worker exited with code ${code}`)); });
      feed(w);
    }
  });
}
