import { expect } from 'chai';
import type { TraceEvent } from '../../../events/trace.ts';
import { bootEngine, checkScenario, requestsOf, runScenario, type Scenario } from '../../../lib/scenario/index.ts';
import { exportTrace, type TimedTraceEvent } from '../../../lib/trace/exportTrace.ts';
import { exportFormatOf } from '../../../lib/trace/formatTraceEvent.ts';
import { importTrace } from '../../../lib/trace/importTrace.ts';
import { traceAreasOf } from '../../../lib/trace/traceAreas.ts';
import { traceToScenario } from '../../../lib/trace/traceToScenario.ts';
import { scenario as ex1 } from '../../../examples/01-fimc-mfc-two-banks.ts';
import { scenario as ex2 } from '../../../examples/02-gui-fragmentation.ts';
import { scenario as ex3 } from '../../../examples/03-3d-textures.ts';
import { scenario as ex4 } from '../../../examples/04-ivtv-capture-boards.ts';
import { scenario as ex5 } from '../../../examples/05-mainline-busy-retries.ts';
import { scenario as ex6 } from '../../../examples/06-one-context-or-many.ts';
import { scenario as ex7 } from '../../../examples/07-shared-camera-gpu.ts';
import { scenario as basic } from '../../../examples/basic.ts';

const EXAMPLES: readonly Scenario[] = [ex1, ex2, ex3, ex4, ex5, ex6, ex7, basic];
/** Enough simulated time for concurrent requests of one device; the whole runs are the example specs' business. */
const SPAN = 400_000_000;

// Issue 18 item 8: every concurrent request is its own caller thread, so the tool's own export imports.
describe("lib/trace: each example's ftrace export imports back and replays", () => {
  for (const s of EXAMPLES) {
    it(s.name, () => {
      const engine = bootEngine(s, s.seed);
      const traced: TimedTraceEvent[] = [];
      engine.events$.subscribe((env) => { if (env.event.type.startsWith('trace.')) traced.push({ time: env.time, event: env.event as TraceEvent }); });
      // Up to the first finished request, then SPAN more (or the example's end).
      let t = 0;
      while (t < s.until && !traced.some((x) => x.event.type === 'trace.cma_alloc_finish')) engine.run({ until: (t = Math.min(s.until, t + SPAN / 4)) });
      engine.run({ until: Math.min(s.until, t + SPAN) });
      const state = engine.state.model;
      const done = requestsOf(state).filter((r) => r.status === 'done' || r.status === 'failed');
      expect(done.length, 'the example makes CMA requests in its first 400 ms').to.be.above(0);
      const areas = traceAreasOf(state);
      const back = importTrace(exportTrace(traced, { flavour: exportFormatOf(state.cma.kernel.traceFormat), areas }), { file: s.name, allowUnfinished: true });
      const traceable = done.filter((r) => r.attempts.length > 0 || r.errno !== -22);
      expect(back.requests.map((r) => [r.count, r.ok])).to.deep.equal(
        [...traceable].sort((a, b) => a.finishedAt! - b.finishedAt! || a.id - b.id).map((r) => [r.count, r.status === 'done']).slice(0, back.requests.length));
      expect(back.requests.length).to.equal(traceable.length);
      const replay = runScenario(checkScenario(traceToScenario(back, { areas }))).history;
      expect(requestsOf(replay.stateAt(replay.lastSeq).model)).to.have.length(back.requests.length);
    });
  }
});
