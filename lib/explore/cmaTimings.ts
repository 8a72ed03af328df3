import { produce } from 'immer';
import type { Costs } from '../../models/timing/costs.ts';
import type { SimState } from '../../models/state.ts';
import type { Perturbation } from './types.ts';

/** The CMA costs swarm runs vary: lock hand-off, migration and drop per page, busy pages, release, copies (writeback waits follow the flusher's per-page I/O, varied below). */
const COSTS: readonly (keyof Costs)[] = ['lockHandoff', 'migratePagecacheClean', 'migratePagecacheDirty', 'migrateAnon', 'dropPerCleanPage', 'busyPerPage', 'releasePerPage', 'copyPerPage'];

/** Bounds of a varied timing: from half to twice the scenario's own value, in whole ns. */
const bounds = (v: number): { min: number; max: number } => ({ min: Math.floor(v / 2), max: v * 2 });

/**
 * The timings of a CMA scenario that swarm runs may vary, each between half and twice its value
 * in `s`: the costs above (models/timing/costs.ts) and the page cache's writeback I/O per page
 * (the completion time of writeback). A cost of 0 is left alone.
 */
export function cmaTimings(s: SimState): Perturbation<SimState>[] {
  const out: Perturbation<SimState>[] = COSTS.filter((k) => s.cma.costs[k] > 0).map((k) => ({
    name: k, ...bounds(s.cma.costs[k]),
    apply: (st, value) => produce(st, (d) => { (d.cma.costs as { -readonly [K in keyof Costs]: number })[k] = value; }),
  }));
  const wb = s.pagecache.config.writebackPerPageNs;
  if (wb > 0) out.push({ name: 'writebackPerPage', ...bounds(wb), apply: (st, value) => produce(st, (d) => { (d.pagecache.config as { writebackPerPageNs: number }).writebackPerPageNs = value; }) });
  return out;
}
