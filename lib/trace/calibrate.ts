/**
 * Fits the cost model's migration and isolation figures (models/timing/costs.ts) to a trace's
 * timings by least squares, on the phases the trace lets us recover:
 * - each migrate_pages call (mm_migrate_pages_start → mm_migrate_pages of the same task):
 *   duration = batch overhead + per-page cost × pages migrated;
 * - each request's isolation phase: duration = fixed (drain, lock) + per-pageblock cost × pageblocks;
 * - each request's finishing phase: duration = fixed + per-pageblock cost × pageblocks;
 * - each request's latency: fixed + per-pageblock × pageblocks + per-page × pages migrated.
 */
import type { ImportedTrace } from './importTrace.ts';
import { leastSquares } from './leastSquares.ts';
import type { TraceRequest } from './traceRequest.ts';
import { formatDuration } from '../text/duration.ts';

export interface FittedParam {
  readonly name: string;
  /** Cost-model field this value stands for (costs.<field>), null if none. */
  readonly costField: string | null;
  /** ns (per unit named in `name`). */
  readonly value: number;
  readonly stderr: number;
}

export interface CalibrationFit {
  readonly name: string;
  readonly formula: string;
  readonly n: number;
  readonly params: readonly FittedParam[];
  /** Residual standard error, ns. */
  readonly rse: number;
  readonly r2: number;
  /** Why no fit was possible (too few samples, a regressor that never varies); params empty then. */
  readonly error: string | null;
}

export interface Calibration {
  readonly fits: readonly CalibrationFit[];
  /** Cost overrides from the fits (rounded ns, negative values left out). */
  readonly costs: Readonly<Record<string, number>>;
}

export interface CalibrateOptions {
  /** Pages per pageblock (2^pageblock_order); 512 for 4 KiB pages. */
  readonly pageblockPages?: number;
}

interface Spec {
  readonly name: string;
  readonly formula: string;
  readonly params: readonly { readonly name: string; readonly costField: string | null }[];
}

function fit(spec: Spec, x: number[][], y: number[]): CalibrationFit {
  const r = leastSquares(x, y);
  if (!r) {
    const why = y.length < spec.params.length ? `only ${y.length} samples for ${spec.params.length} parameters` : 'a regressor never varies (collinear with the fixed cost)';
    return { ...spec, n: y.length, params: [], rse: NaN, r2: NaN, error: why };
  }
  return {
    ...spec, n: r.n, rse: r.rse, r2: r.r2, error: null,
    params: spec.params.map((p, i) => ({ ...p, value: r.coef[i], stderr: r.stderr[i] })),
  };
}

/** Pageblocks isolated for a request: those its range touches (pageblock-aligned isolation). */
export function pageblocksOf(r: TraceRequest, pageblockPages: number): number {
  if (!r.ok) return Math.ceil(r.count / pageblockPages);
  return Math.ceil((r.pfn + r.count) / pageblockPages) - Math.floor(r.pfn / pageblockPages);
}

/** (duration, pages migrated) of each migrate_pages call inside a cma_alloc. */
function migrationBatches(trace: ImportedTrace): { ns: number; pages: number }[] {
  const inAlloc = new Set<number>();
  const started = new Map<number, number>();
  const out: { ns: number; pages: number }[] = [];
  for (const { time, event: e } of trace.events) {
    const pid = e.task.pid;
    if (e.type === 'trace.cma_alloc_start') inAlloc.add(pid);
    else if (e.type === 'trace.cma_alloc_finish') inAlloc.delete(pid);
    else if (e.type === 'trace.mm_migrate_pages_start' && inAlloc.has(pid)) started.set(pid, time);
    else if (e.type === 'trace.mm_migrate_pages' && started.has(pid)) {
      out.push({ ns: time - started.get(pid)!, pages: e.nrSucceeded + e.nrFailed });
      started.delete(pid);
    }
  }
  return out;
}

export function calibrate(trace: ImportedTrace, opts: CalibrateOptions = {}): Calibration {
  const pb = opts.pageblockPages ?? 512;
  const done = trace.requests.filter((r) => r.ok && r.phases !== null && r.latency !== null);
  const batches = migrationBatches(trace);
  const fits = [
    fit({
      name: 'migration batches', formula: 'batch ns = overhead + perPage × pages',
      params: [{ name: 'overhead per migrate_pages call', costField: null }, { name: 'per page migrated', costField: 'migratePagecacheClean' }],
    }, batches.map((b) => [1, b.pages]), batches.map((b) => b.ns)),
    fit({
      name: 'isolation phase', formula: 'isolate ns = fixed + perPageblock × pageblocks',
      params: [{ name: 'fixed (drain, locks)', costField: 'drain' }, { name: 'per pageblock isolated', costField: 'isolatePerPageblock' }],
    }, done.map((r) => [1, pageblocksOf(r, pb)]), done.map((r) => r.phases!.isolate)),
    fit({
      name: 'finishing phase', formula: 'finish ns = fixed + perPageblock × pageblocks',
      params: [{ name: 'fixed', costField: null }, { name: 'per pageblock taken', costField: 'takePerPageblock' }],
    }, done.map((r) => [1, pageblocksOf(r, pb)]), done.map((r) => r.phases!.finish)),
    fit({
      name: 'whole request', formula: 'latency ns = fixed + perPageblock × pageblocks + perPage × migrated',
      params: [{ name: 'fixed', costField: null }, { name: 'per pageblock', costField: null }, { name: 'per page migrated', costField: null }],
    }, done.map((r) => [1, pageblocksOf(r, pb), r.migrated]), done.map((r) => r.latency!)),
  ];
  const costs: Record<string, number> = {};
  for (const f of fits) {
    for (const p of f.params) if (p.costField && p.value >= 0 && !(p.costField in costs)) costs[p.costField] = Math.round(p.value);
  }
  if (costs.migratePagecacheClean !== undefined) {
    costs.migratePagecacheDirty = costs.migratePagecacheClean;
    costs.migrateAnon = costs.migratePagecacheClean;
  }
  return { fits, costs };
}

/** A fitted time in the one duration format, to the ns. */
const us = (ns: number): string => formatDuration(Math.round(ns));

export function formatCalibration(c: Calibration): string {
  const out: string[] = [];
  for (const f of c.fits) {
    out.push(`${f.name}: ${f.formula} (n=${f.n})`);
    if (f.error) {
      out.push(`  not identifiable: ${f.error}`);
      continue;
    }
    for (const p of f.params) {
      const field = p.costField ? `  [costs.${p.costField}]` : '';
      out.push(`  ${p.name.padEnd(34)} ${us(p.value).padStart(16)} ± ${us(p.stderr)}${field}`);
    }
    out.push(`  residual standard error ${us(f.rse)}, R² ${Number.isNaN(f.r2) ? 'n/a' : f.r2.toFixed(4)}`);
  }
  const sets = Object.entries(c.costs).map(([k, v]) => `--set costs.${k}=${v}`);
  out.push(sets.length > 0 ? `suggested: ${sets.join(' ')}` : 'suggested: nothing (no cost could be fitted)');
  return `${out.join('\n')}\n`;
}
