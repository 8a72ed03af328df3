/**
 * Runs of the real model for the trace tests: the scenario a real trace becomes, run to its end.
 * Not a spec file: shared by compareRuns.spec.ts (replay agreement) and exportTrace.spec.ts
 * (export of a simulated run).
 */
import type { SimEvent } from '../../../events/index.ts';
import { Engine } from '../../../lib/engine/index.ts';
import { History } from '../../../lib/history/index.ts';
import { checkScenario, requestsOf, runScenario } from '../../../lib/scenario/index.ts';
import { cmaSimModel } from '../../../models/cmaSimModel.ts';
import { bootScenario } from '../../../lib/scenario/toSimConfig.ts';
import { areasFromDmesg, ramFromDmesg, type TraceArea } from '../../../lib/trace/traceAreas.ts';
import { pickKernel } from '../../../lib/trace/traceKernel.ts';
import { traceReplay, traceToScenario } from '../../../lib/trace/traceToScenario.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import type { SimState } from '../../../models/state.ts';
import { fixtureText, realTrace } from './fixtures.ts';

function scenarioOf(name: string) {
  const dmesg = fixtureText(name, 'dmesg.txt');
  const areas = traceReplay(realTrace(name), areasFromDmesg(dmesg)).areas;
  // The profile picked from the boot log, as `replay-trace --dmesg` does.
  const kernel = pickKernel(realTrace(name).formats, dmesg)?.version;
  return { areas, scenario: checkScenario(traceToScenario(realTrace(name), { areas, ram: ramFromDmesg(dmesg), kernel })) };
}

/** The trace's scenario run by the scenario runner (the path `replay-trace` takes). */
export function replayRealTrace(name: string): { areas: readonly TraceArea[]; requests: RequestRecord[] } {
  const { areas, scenario } = scenarioOf(name);
  const h = runScenario(scenario).history;
  return { areas, requests: requestsOf(h.stateAt(h.lastSeq).model) };
}

/**
 * The same requests injected straight into an engine, keeping its history. The log must hold
 * plain events to be exported, and the replay generator currently logs immer drafts (reported).
 */
export function injectRealTrace(name: string): { history: History<SimState, SimEvent>; requests: RequestRecord[] } {
  const { scenario } = scenarioOf(name);
  const engine = new Engine<SimState, SimEvent>(cmaSimModel, bootScenario(scenario), { seed: 1 });
  const gen = scenario.workload[0];
  if (gen.kind !== 'replay') throw new Error('expected a replay generator');
  for (const { at, event } of gen.events) engine.inject(event as SimEvent, at);
  engine.run({ until: scenario.until });
  const history = new History(engine);
  return { history, requests: requestsOf(history.stateAt(history.lastSeq).model) };
}
