import { childPath } from '../jsonPath.ts';
import { keysOf } from '../shape.ts';
import { COST_ALIAS_NAMES, COSTS } from '../scenarioShape.ts';
import { duration, knownKeys, object } from '../check.ts';

/** Shorthands for several cost fields at once; a field given explicitly wins over its shorthand. */
export const COST_ALIASES: Readonly<Record<(typeof COST_ALIAS_NAMES)[number], readonly string[]>> = {
  migratePerPage: ['migratePagecacheClean', 'migratePagecacheDirty', 'migrateAnon'],
};

/** Cost-model overrides (models/timing's fields, or a shorthand): name -> integer ns. */
export function checkCosts(v: unknown, path: string): Record<string, number> {
  const o = object(v ?? {}, path, 'an object of cost overrides');
  knownKeys(o, path, keysOf(COSTS));
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(o)) {
    if (x === undefined || !Object.hasOwn(COST_ALIASES, k)) continue;
    const ns = duration(x, childPath(path, k));
    for (const f of COST_ALIASES[k as keyof typeof COST_ALIASES]) out[f] = ns;
  }
  for (const [k, x] of Object.entries(o)) if (x !== undefined && !Object.hasOwn(COST_ALIASES, k)) out[k] = duration(x, childPath(path, k));
  return out;
}
