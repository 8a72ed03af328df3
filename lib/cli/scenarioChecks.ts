import { metricValue } from '../scenario/metrics.ts';
import { holds, type AssertionSpec } from '../scenario/sections/assertions.ts';
import type { SimState } from '../../models/state.ts';
import type { Check } from '../explore/types.ts';

/**
 * A scenario's assertions as explorer checks: `when: 'always'` must hold after every event of
 * every explored run, `when: 'end'` in every run's final state. Metrics see the event count and
 * clock of the run being explored. Only fatal assertions count, as for `cma-sim run`'s exit code.
 */
export function assertionChecks(assertions: readonly AssertionSpec[]): Check<SimState>[] {
  return assertions.filter((a) => a.fatal).map((a) => ({
    name: a.name,
    kind: a.when === 'always' ? 'always' : 'final',
    test: (state: SimState, _prev: SimState | null, at?: { seq: number; time: number }) => {
      const v = metricValue(a.metric, { state, events: at?.seq ?? 0, now: at?.time ?? 0 });
      return holds(a.op, v, a.value) ? null : `${a.metric} = ${v}, expected ${a.op} ${a.value}`;
    },
  }));
}
