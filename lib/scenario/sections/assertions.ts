import { childPath } from '../jsonPath.ts';
import { array, boolean, didYouMean, knownKeys, listed, object, oneOf, opt, req, ScenarioError, shown, string } from '../check.ts';
import { AREA_FILES, MEMINFO_FIELDS, METRIC_NAMES, metricNames } from '../metrics.ts';
import { keysOf } from '../shape.ts';
import { ASSERTION, OPS } from '../scenarioShape.ts';

/**
 * A check on a metric (`alloc.failed <= 0`) or on what the kernel shows (`cma.video.maxchunk >= 1024`,
 * `meminfo.CmaFree > 0`). Fatal failures make `cma-sim run` exit 1.
 */
export interface AssertionSpec {
  readonly name: string;
  readonly metric: string;
  readonly op: '<' | '<=' | '==' | '>=' | '>';
  readonly value: number;
  /** 'end': on the final state; 'always': after every event. */
  readonly when: 'end' | 'always';
  readonly fatal: boolean;
}


/** `areas`: the scenario's CMA area names (their kernel files can be asserted on). */
export function checkAssertions(v: unknown, path: string, areas: readonly string[] = []): AssertionSpec[] {
  const names = metricNames(areas);
  const list = array(v ?? [], path, 'a list of assertions').map((a, i) => {
    const p = childPath(path, i);
    const o = object(a, p, 'an assertion { metric, op, value }');
    knownKeys(o, p, keysOf(ASSERTION));
    const metric = req(o, 'metric', p, (x, q) => {
      if (typeof x === 'string' && names.includes(x)) return x;
      const hint = typeof x === 'string' ? didYouMean(x, names) : '';
      throw new ScenarioError(q, `expected a metric name (${listed(METRIC_NAMES)}; or an area's kernel file cma.<area>.<${AREA_FILES.join('|')}>, or meminfo.<${MEMINFO_FIELDS.join('|')}>), got ${shown(x)}${hint}`);
    });
    const op = req(o, 'op', p, (x, q) => oneOf(x, q, OPS));
    const value = req(o, 'value', p, (x, q) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new ScenarioError(q, `expected a number, got ${JSON.stringify(x)}`);
      return x;
    });
    return {
      name: opt(o, 'name', p, string, `${metric} ${op} ${value}`), metric, op, value,
      when: opt(o, 'when', p, (x, q) => oneOf(x, q, ['end', 'always'] as const), 'end'),
      fatal: opt(o, 'fatal', p, boolean, true),
    };
  });
  return list;
}

export function holds(op: AssertionSpec['op'], x: number, v: number): boolean {
  switch (op) {
    case '<': return x < v;
    case '<=': return x <= v;
    case '==': return x === v;
    case '>=': return x >= v;
    case '>': return x > v;
  }
}
