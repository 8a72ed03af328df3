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

interface Samples { readonly x: number[][]; readonly y: number[] }

/** Each fit: what it models, and how it reads its samples from a trace (so another trace can check it). */
const FITS: readonly (Spec & { readonly samples: (trace: ImportedTrace, pb: number) => Samples })[] = [
  {
    name: 'migration batches', formula: 'batch ns = overhead + perPage × pages',
    params: [{ name: 'overhead per migrate_pages call', costField: null }, { name: 'per page migrated', costField: 'migratePagecacheClean' }],
    samples: (t) => { const b = migrationBatches(t); return { x: b.map((q) => [1, q.migrated + q.failed]), y: b.map((q) => q.ns) }; },
  },
  {
    name: 'isolation phase', formula: 'isolate ns = fixed + perPageblock × pageblocks',
    params: [{ name: 'fixed (drain, locks)', costField: 'drain' }, { name: 'per pageblock isolated', costField: 'isolatePerPageblock' }],
    samples: (t, pb) => { const d = finished(t); return { x: d.map((r) => [1, pageblocksOf(r, pb)]), y: d.map((r) => r.phases!.isolate) }; },
  },
  {
    name: 'finishing phase', formula: 'finish ns = fixed + perPageblock × pageblocks',
    params: [{ name: 'fixed', costField: null }, { name: 'per pageblock taken', costField: 'takePerPageblock' }],
    samples: (t, pb) => { const d = finished(t); return { x: d.map((r) => [1, pageblocksOf(r, pb)]), y: d.map((r) => r.phases!.finish) }; },
  },
  {
    name: 'whole request', formula: 'latency ns = fixed + perPageblock × pageblocks + perPage × migrated',
    params: [{ name: 'fixed', costField: null }, { name: 'per pageblock', costField: null }, { name: 'per page migrated', costField: null }],
    samples: (t, pb) => { const d = finished(t); return { x: d.map((r) => [1, pageblocksOf(r, pb), r.migrated]), y: d.map((r) => r.latency!) }; },
  },
];

const finished = (trace: ImportedTrace): TraceRequest[] => trace.requests.filter((r) => r.ok && r.phases !== null && r.latency !== null);

/**
 * Costs of the latency mechanisms (models/timing) that a cma/migrate trace cannot identify, and
 * why: their events are not in it. Printed with the fit so nobody takes the defaults as fitted.
 */
export const NOT_IN_TRACE: readonly { readonly costs: string; readonly why: string }[] = [
  { costs: 'reclaimScanPerPage, reclaimFreePerPage', why: 'no mm_vmscan_* lines: the pages reclaim scanned and freed are not traced' },
  { costs: 'pagecache writebackPerPage, readPerPage', why: 'no writeback or block I/O lines: the waits for the flusher and for reads are not separable' },
  { costs: 'busyPerPage', why: 'fitted only when nr_failed varies; in the real traces it is always 0' },
  { costs: 'zoneLockPerPage, lruLockPerPage', why: 'no lock events: the hold times are inside the per-page migration cost' },
  { costs: 'copyPerPage (transient references)', why: 'no reader events: the references that fail a page are not traced' },
];

export function calibrate(trace: ImportedTrace, opts: CalibrateOptions = {}): Calibration {
  const pb = opts.pageblockPages ?? 512;
  const fits = FITS.map((f) => {
    const { x, y } = f.samples(trace, pb);
    return fit(f, x, y);
  });
  const failed = failedPagesFit(trace);
  if (failed !== null) fits.splice(1, 0, failed);
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

/**
 * Pages that failed to migrate (pinned, or a transient reference) cost busyPerPage each: fitted
 * from the migrate_pages calls with nr_failed > 0 beside the migrated pages, when there are such
 * calls and the counts vary; null otherwise (NOT_IN_TRACE says so).
 */
function failedPagesFit(trace: ImportedTrace): CalibrationFit | null {
  const b = migrationBatches(trace);
  if (!b.some((q) => q.failed > 0)) return null;
  return fit({
    name: 'failed pages', formula: 'batch ns = overhead + perPage × migrated + perFailed × failed',
    params: [{ name: 'overhead per migrate_pages call', costField: null }, { name: 'per page migrated', costField: null }, { name: 'per page failed', costField: 'busyPerPage' }],
  }, b.map((q) => [1, q.migrated, q.failed]), b.map((q) => q.ns));
}

/** Duration, pages migrated and pages failed of each migrate_pages call inside a cma_alloc. */
function migrationBatches(trace: ImportedTrace): { ns: number; migrated: number; failed: number }[] {
  const out: { ns: number; migrated: number; failed: number }[] = [];
  const started = new Map<number, number>();
  const inAlloc = new Set<number>();
  for (const { time, event: e } of trace.events) {
    const pid = e.task.pid;
    if (e.type === 'trace.cma_alloc_start') inAlloc.add(pid);
    else if (e.type === 'trace.cma_alloc_finish') inAlloc.delete(pid);
    else if (e.type === 'trace.mm_migrate_pages_start' && inAlloc.has(pid)) started.set(pid, time);
    else if (e.type === 'trace.mm_migrate_pages' && started.has(pid)) {
      out.push({ ns: time - started.get(pid)!, migrated: e.nrSucceeded, failed: e.nrFailed });
      started.delete(pid);
    }
  }
  return out;
}

/** How well each fit predicts samples it was not fitted on. */
export interface FitCheck {
  readonly name: string;
  readonly n: number;
  /** Root mean square error of the prediction, ns. */
  readonly rmse: number;
  /** Mean of |predicted - actual| / actual over samples with actual > 0. */
  readonly meanRelError: number;
}

function errorsOf(coef: readonly number[], s: Samples): { rmse: number; rel: number } {
  let sq = 0, rel = 0, nRel = 0;
  s.x.forEach((row, i) => {
    const pred = row.reduce((a, v, k) => a + v * coef[k], 0);
    const e = pred - s.y[i];
    sq += e * e;
    if (s.y[i] > 0) { rel += Math.abs(e) / s.y[i]; nRel++; }
  });
  return { rmse: s.y.length > 0 ? Math.sqrt(sq / s.y.length) : NaN, rel: nRel > 0 ? rel / nRel : NaN };
}

/**
 * The fits of `c` (from one trace) applied to `trace` (another one) and to `fitted` (its own):
 * the in-sample and out-of-sample errors of each fit that has parameters.
 */
export function checkCalibration(c: Calibration, fitted: ImportedTrace, trace: ImportedTrace, opts: CalibrateOptions = {}): { own: FitCheck[]; other: FitCheck[] } {
  const pb = opts.pageblockPages ?? 512;
  const own: FitCheck[] = [], other: FitCheck[] = [];
  for (const f of FITS) {
    const got = c.fits.find((g) => g.name === f.name);
    if (got === undefined || got.error !== null) continue;
    const coef = got.params.map((p) => p.value);
    for (const [t, out] of [[fitted, own], [trace, other]] as const) {
      const s = f.samples(t, pb);
      const e = errorsOf(coef, s);
      out.push({ name: f.name, n: s.y.length, rmse: e.rmse, meanRelError: e.rel });
    }
  }
  return { own, other };
}

export function formatCheck(check: { own: readonly FitCheck[]; other: readonly FitCheck[] }, fittedName: string, otherName: string): string {
  const line = (c: FitCheck) => `${String(c.n).padStart(6)} samples, RMSE ${us(c.rmse).padStart(14)}, mean relative error ${Number.isNaN(c.meanRelError) ? 'n/a' : `${(100 * c.meanRelError).toFixed(1)} %`}`;
  const out = [`checked: fitted on ${fittedName}, predicting ${otherName}`];
  check.own.forEach((c, i) => {
    out.push(`${c.name}:`);
    out.push(`  on ${fittedName} (fit)   ${line(c)}`);
    out.push(`  on ${otherName} (check) ${line(check.other[i])}`);
  });
  return `${out.join('\n')}\n`;
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
  out.push('not identifiable from a cma/migrate trace (the defaults stay):');
  for (const n of NOT_IN_TRACE) out.push(`  ${n.costs}: ${n.why}`);
  const sets = Object.entries(c.costs).map(([k, v]) => `--set costs.${k}=${v}`);
  out.push(sets.length > 0 ? `suggested: ${sets.join(' ')}` : 'suggested: nothing (no cost could be fitted)');
  return `${out.join('\n')}\n`;
}
