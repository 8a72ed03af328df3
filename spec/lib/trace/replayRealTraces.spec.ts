/**
 * End to end against the real kernel: each real trace becomes a scenario, runs through the
 * model, and is compared request by request. The traces have no busy retries, so placement
 * depends only on the bitmap allocator and the request sequence (reference §2): every placement
 * must agree, and any difference is a model bug.
 */
import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { Engine } from '../../../lib/engine/index.ts';
import { History } from '../../../lib/history/index.ts';
import { checkScenario, requestsOf, runScenario, simModel } from '../../../lib/scenario/index.ts';
import { bootScenario } from '../../../lib/scenario/toSimConfig.ts';
import { compareRuns } from '../../../lib/trace/compareRuns.ts';
import { exportTrace, traceEventsOf } from '../../../lib/trace/exportTrace.ts';
import { formatDivergence } from '../../../lib/trace/formatDivergence.ts';
import { importTrace } from '../../../lib/trace/importTrace.ts';
import { areasFromDmesg, ramFromDmesg } from '../../../lib/trace/traceAreas.ts';
import { traceReplay, traceToScenario } from '../../../lib/trace/traceToScenario.ts';
import type { SimState } from '../../../models/state.ts';
import { fixtureText, realTrace, REAL_TRACES } from './fixtures.ts';

function replay(name: string) {
  const trace = realTrace(name);
  const dmesg = fixtureText(name, 'dmesg.txt');
  const areas = traceReplay(trace, areasFromDmesg(dmesg)).areas;
  const outcome = runScenario(checkScenario(traceToScenario(trace, { areas, ram: ramFromDmesg(dmesg) })));
  const h = outcome.history;
  return { trace, areas, outcome, requests: requestsOf(h.stateAt(h.lastSeq).model as SimState) };
}

describe('replaying the real traces through the model', () => {
  for (const name of REAL_TRACES) {
    it(`${name}: 100% of placements and outcomes agree (no busy retries in the trace)`, () => {
      const { trace, areas, requests } = replay(name);
      expect(trace.requests.every((r) => r.busyRetries === 0)).to.equal(true);
      const report = compareRuns(trace.requests, requests, { areas });
      const text = formatDivergence(report);
      expect(report.compared, text).to.equal(trace.requests.length);
      expect(report.placementAgree, text).to.equal(report.placementCompared);
      expect(report.outcomeAgree, text).to.equal(trace.requests.length);
      expect(report.firstDivergence, text).to.equal(null);
    });
  }

  it('the simulated run, exported as ftrace, imports back to its own request sequence', () => {
    // The scenario's requests are injected straight into an engine: the log must hold plain
    // events, and the replay generator currently logs immer drafts (see the trace helper's report).
    const trace = realTrace('smoke-3g-misaligned');
    const scenario = checkScenario(traceToScenario(trace, { areas: areasFromDmesg(fixtureText('smoke-3g-misaligned', 'dmesg.txt')) }));
    const engine = new Engine<SimState, SimEvent>(simModel, bootScenario(scenario), { seed: 1 });
    const gen = scenario.workload[0];
    if (gen.kind !== 'replay') throw new Error('expected a replay generator');
    for (const { at, event } of gen.events) engine.inject(event as SimEvent, at);
    engine.run({ until: scenario.until });
    const h = new History(engine);
    const requests = requestsOf(h.stateAt(h.lastSeq).model);
    expect(requests).to.have.length(trace.requests.length);
    const entries = traceEventsOf(h.envelopes(1, h.lastSeq));
    for (const flavour of ['6.1', 'latest'] as const) {
      const back = importTrace(exportTrace(entries, { flavour }), { file: `sim.${flavour}` });
      expect(back.requests.map((r) => [r.comm, r.pid, r.area, r.count, r.align, r.ok, r.pfn])).to.deep.equal(
        requests.map((r) => [r.requester.slice(0, 15), r.pid, r.area, r.count, r.align, r.status === 'done', r.pfn ?? -1]));
      const report = compareRuns(back.requests, requests, { areas: [] });
      expect(report.firstDivergence).to.equal(null);
      // Same start times, to the microsecond the text keeps.
      expect(back.requests.map((r) => r.start / 1000)).to.deep.equal(requests.map((r) => Math.floor(r.submittedAt / 1000)));
    }
  });
});
