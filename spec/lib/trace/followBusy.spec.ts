import { expect } from 'chai';
import type { TraceEvent } from '../../../events/trace.ts';
import { bootEngine, checkScenario, requestsOf, runScenario, type ScenarioInput } from '../../../lib/scenario/index.ts';
import { exportTrace, type TimedTraceEvent } from '../../../lib/trace/exportTrace.ts';
import { formatAreaOption, traceAreasOf } from '../../../lib/trace/traceAreas.ts';
import { runReplayTrace } from '../../../lib/trace/traceCommands.ts';
import { scenario } from '../../../examples/05-mainline-busy-retries.ts';

const simulate = (input: ScenarioInput) => {
  const h = runScenario(checkScenario(input)).history;
  return requestsOf(h.stateAt(h.lastSeq).model);
};

// Issue 13: busy retries come from transient references no trace records (here the example's
// short-term pins); --follow-busy makes them happen where the trace shows them.
describe('replay-trace --follow-busy', () => {
  it('a trace with busy retries: predicted placement diverges, conditioned agrees on every request', () => {
    const engine = bootEngine(scenario, scenario.seed);
    const traced: TimedTraceEvent[] = [];
    engine.events$.subscribe((env) => { if (env.event.type.startsWith('trace.')) traced.push({ time: env.time, event: env.event as TraceEvent }); });
    engine.run({ until: Math.min(scenario.until, 2e9) });
    const areas = traceAreasOf(engine.state.model);
    const text = exportTrace(traced, { flavour: 'latest', areas });
    expect(text).to.include('cma_alloc_busy_retry');
    const out = runReplayTrace({ file: 'ex05.txt', text, allowUnfinished: true, followBusy: true, area: areas.map(formatAreaOption), simulate });
    const fig = (label: string) => {
      const m = new RegExp(`^${label}: +outcome (\\d+)/(\\d+), placement (\\d+)/(\\d+), busy retries (\\d+)/(\\d+)$`, 'm').exec(out);
      expect(m, `${label} line in:\n${out}`).to.not.equal(null);
      return m!.slice(1).map(Number);
    };
    const [, , pAgree, pTotal, pRetries, n] = fig('predicted');
    const [cOut, cN, cAgree, cTotal, cRetries] = fig('conditioned');
    expect(pAgree < pTotal || pRetries < n, 'the model alone does not predict the pins').to.equal(true);
    expect([cOut, cAgree, cRetries]).to.deep.equal([cN, cTotal, cN]);
  });
});
