import { worldHash } from '../history/index.ts';
import { computeMetrics, metricValue } from '../scenario/metrics.ts';
import type { RunSummary } from '../scenario/runScenario.ts';
import { holds } from '../scenario/sections/assertions.ts';
import type { LoadedLog } from './loadLog.ts';

/**
 * The summary of a run rebuilt from its history (a replayed log): the same numbers `run` printed,
 * except 'always' assertions, which are re-checked only on the final state.
 */
export function summaryFromLog(l: LoadedLog): RunSummary {
  const { scenario: s, until, now } = l;
  const h = l.replayed.history;
  const world = h.engine.state;
  const st = world.model;
  const events = h.lastSeq;
  return {
    scenario: s.name, seed: l.replayed.header.seed, until, stopReason: l.stopReason, events, simTimeNs: now, finalHash: worldHash(h.engine.model, world),
    metrics: computeMetrics({ state: st, events, now }),
    emitted: st.workload.emitted, undeliverable: st.workload.undeliverable,
    assertions: s.assertions.map((a) => {
      const v = metricValue(a.metric, { state: st, events, now });
      const ok = holds(a.op, v, a.value);
      return { name: a.name, fatal: a.fatal, ok, value: v, at: ok ? null : now };
    }),
    violations: [],
  };
}
