import { isReserved, ScenarioError } from './check.ts';
import { splitPath } from './jsonPath.ts';
import type { ScenarioInput } from './scenario.ts';

/**
 * A copy of `input` with the value at `path` replaced (`costs.migratePerPage`, `workload[1].rate`,
 * `cma.areas[0].size`). Missing objects on the way are created; arrays must already hold the
 * index. The result is re-checked by the caller like any scenario.
 */
export function setPath(input: ScenarioInput, path: string, value: unknown): ScenarioInput {
  const keys = splitPath(path);
  if (!keys) throw new ScenarioError('', `expected a field path like costs.migratePerPage or workload[0].rate, got ${JSON.stringify(path)}`);
  const bad = keys.find((k) => typeof k === 'string' && isReserved(k));
  if (bad !== undefined) throw new ScenarioError('', `--set ${path}: '${String(bad)}' is reserved and cannot be a field`);
  const root = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  let cur: unknown = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    const c = cur as Record<string | number, unknown>;
    if (typeof k === 'number' && (!Array.isArray(c) || k >= c.length)) throw new ScenarioError('', `--set ${path}: no element [${k}] there`);
    if (!Object.hasOwn(c, k) || c[k] === undefined) c[k] = {};
    cur = c[k];
    if (typeof cur !== 'object' || cur === null) throw new ScenarioError('', `--set ${path}: '${String(k)}' is not an object or array`);
  }
  (cur as Record<string | number, unknown>)[keys[keys.length - 1]] = value;
  return root as unknown as ScenarioInput;
}
