import { parentPort, workerData } from 'node:worker_threads';
import { modelHash } from '../history/stateHash.ts';
import { loadExploreScenario } from './loadExploreScenario.ts';
import type { ScenarioSource, TaskReply, TaskRequest } from '../explore/parallel.ts';
import { newCache, runTask, type RunRec, type TaskPlan } from '../explore/tasks.ts';

/**
 * Explorer worker: loads the scenario as the parent did, runs each task it is sent and posts the
 * runs back with their final states keyed by hash (each state once per task). What it returns
 * depends only on the task, never on which worker ran it or what it ran before.
 */
const { source, plan } = workerData as { source: ScenarioSource; plan: TaskPlan };
let scn = await loadExploreScenario(source.file, { full: source.full === true });
if (source.noInvariants) scn = { ...scn, checks: scn.checks.filter((c: { kind: string }) => c.kind !== 'invariant') };
const cache = newCache<unknown, any>();

parentPort!.on('message', (req: TaskRequest) => {
  const runs: TaskReply['runs'] = [];
  const finals: Record<string, unknown> = {};
  try {
    const r = runTask(scn, plan, req.task, (run: RunRec<unknown>) => {
      const key = modelHash(scn.model, run.final);
      if (!(key in finals)) finals[key] = run.final;
      const { final: _f, ...rest } = run;
      runs.push({ ...rest, outcome: null, key });
      return runs.length < req.budget && !(plan.first && run.failure !== null);
    }, cache, {}, false);
    parentPort!.postMessage({ slot: req.slot, runs, finals, children: r.children, complete: r.complete, weight: r.weight } satisfies TaskReply);
  } catch (e) {
    parentPort!.postMessage({ slot: req.slot, runs: [], finals: {}, children: [], complete: false, weight: 0, error: `explore worker: ${(e as Error).message.split('\n')[0]}` } satisfies TaskReply);
  }
});
