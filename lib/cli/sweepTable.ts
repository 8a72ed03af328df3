import { COLUMNS as REQUEST_COLUMNS } from '../report/csvReport.ts';
import { nearestRank, sortedNumbers } from '../text/percentile.ts';
import { isFatal, type RunSummary } from '../scenario/runScenario.ts';
import { csvText } from '../text/csv.ts';
import { formatDuration } from '../text/duration.ts';
import { printable } from '../text/escape.ts';
import { textTable } from '../text/table.ts';
import { isFailure, type SweepResult, type SweepRun } from './sweepRun.ts';
import type { SweepPlan } from './sweepShard.ts';

/** Per-metric spread over the runs that finished. */
export interface MetricSpread {
  readonly min: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
  readonly mean: number;
}

export interface SweepAggregate {
  /** Runs that finished (failed runs are not in the metrics). */
  readonly runs: number;
  readonly fatal: number;
  /** Runs that threw or whose worker died. */
  readonly failed: number;
  readonly metrics: Readonly<Record<string, MetricSpread>>;
}

/** The runs of one variant, in seed order. */
export interface VariantRows {
  readonly label: string;
  readonly rows: readonly SweepResult[];
}

const finished = (rows: readonly SweepResult[]): SweepRun[] => rows.filter((r): r is SweepRun => !isFailure(r));

export function aggregateSweep(rows: readonly SweepResult[]): SweepAggregate {
  const ok = finished(rows);
  const metrics: Record<string, MetricSpread> = {};
  for (const k of Object.keys(ok[0]?.metrics ?? {})) {
    const xs = sortedNumbers(ok.map((r) => r.metrics[k]));
    // Nearest rank, as the reports use: always a value some run had.
    const at = (p: number) => nearestRank(xs, p)!;
    metrics[k] = { min: xs[0], p10: at(10), p50: at(50), p90: at(90), max: xs[xs.length - 1], mean: xs.reduce((a, b) => a + b, 0) / xs.length };
  }
  return { runs: ok.length, fatal: ok.filter(isFatal).length, failed: rows.length - ok.length, metrics };
}

/** Whether any run failed outright or ended fatally (exit code 1). */
export function sweepFailed(rows: readonly SweepResult[]): boolean {
  return rows.some((r) => isFailure(r) || isFatal(r));
}

const COLS = ['events', 'workload.emitted', 'alloc.done', 'alloc.failed', 'alloc.retries', 'alloc.latency.p50', 'alloc.latency.p99', 'alloc.latency.max'];

/** The program's one table layout; the label columns (metric, variant) left-aligned. */
function table(head: string[], body: string[][], width?: number): string {
  const right = head.map((h, i) => !(i === 0 || (i === 1 && head[0] === 'variant')));
  return textTable({ headers: head, right, rows: body }, width) + '\n';
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
/** Latencies and times read as durations; counts as numbers. */
const cell = (metric: string, x: number) => (metric.startsWith('alloc.latency') || metric === 'simTimeNs' ? formatDuration(Math.round(x), 3) : num(x));

function failureLines(groups: readonly VariantRows[]): string {
  const lines = groups.flatMap((g) => g.rows.filter(isFailure).map((r) => `  seed ${r.seed}${g.label ? ` (${printable(g.label)})` : ''}: ${r.error}`));
  return lines.length === 0 ? '' : `\n${lines.length} runs failed:\n${lines.join('\n')}\n`;
}

/** `width`: the terminal's columns (wider tables are split into column groups). */
export function sweepText(groups: readonly VariantRows[], width?: number): string {
  const many = groups.length > 1;
  const seedRows = groups.flatMap((g) => g.rows.map((r) => [
    ...(many ? [printable(g.label)] : []), String(r.seed),
    ...(isFailure(r) ? [...COLS.map(() => '-'), 'FAILED', '-'] : [...COLS.map((c) => cell(c, r.metrics[c])), isFatal(r) ? 'yes' : 'no', r.finalHash.slice(0, 12)]),
  ]));
  const perSeed = table([...(many ? ['variant'] : []), 'seed', ...COLS, 'fatal', 'hash'], seedRows, width);
  const failures = failureLines(groups);
  if (!many) {
    const agg = aggregateSweep(groups[0]?.rows ?? []);
    const aggT = table(['metric', 'min', 'p10', 'p50', 'p90', 'max', 'mean'], Object.entries(agg.metrics).map(([k, v]) => [k, ...(['min', 'p10', 'p50', 'p90', 'max', 'mean'] as const).map((s) => cell(k, v[s]))]), width);
    return `${perSeed}${failures}\n${agg.runs} runs, ${agg.fatal} with fatal failures${agg.failed ? `, ${agg.failed} failed to run` : ''}\n\n${aggT}`;
  }
  // Each metric as its median with the p10..p90 range around it.
  const cmp = table(['variant', 'runs', 'fatal', 'failed', ...COLS.map((c) => `${c} p50 (p10..p90)`)], groups.map((g) => {
    const a = aggregateSweep(g.rows);
    return [printable(g.label), String(a.runs), String(a.fatal), String(a.failed), ...COLS.map((c) => {
      const m = a.metrics[c];
      return m ? `${cell(c, m.p50)} (${cell(c, m.p10)}..${cell(c, m.p90)})` : '-';
    })];
  }), width);
  return `${perSeed}${failures}\n${cmp}`;
}

/** One row per run, written by the program's one CSV writer (RFC 4180, CRLF). */
export function sweepCsv(groups: readonly VariantRows[]): string {
  const keys = Object.keys(groups.flatMap((g) => finished(g.rows))[0]?.metrics ?? {});
  const rows = groups.flatMap((g) => g.rows.map((r) => (isFailure(r)
    ? [g.label, r.seed, ...keys.map(() => null), null, null, r.error]
    : [g.label, r.seed, ...keys.map((k) => r.metrics[k]), isFatal(r) ? 1 : 0, r.finalHash, null])));
  return csvText(['variant', 'seed', ...keys, 'fatal', 'hash', 'error'], rows);
}

export type SweepFormat = 'text' | 'json' | 'csv';

/** The sweep's report from its plan and results in task order (a sweep's own, or merged shards'). */
export function renderSweep(plan: SweepPlan, results: readonly SweepResult[], format: SweepFormat, width?: number): string {
  const per = plan.seeds.length;
  const groups: VariantRows[] = plan.job.variants.map((v, i) => ({ label: v.label, rows: results.slice(i * per, (i + 1) * per) }));
  if (plan.job.perRequest) return perRequestCsv(groups);
  if (format === 'json') {
    const out = { schema: 'cma-sim-sweep/2', sets: Object.fromEntries(plan.sets), vary: Object.fromEntries(plan.vary), variants: groups.map((g) => ({ label: g.label, aggregate: aggregateSweep(g.rows), runs: g.rows })) };
    return JSON.stringify(out, null, 2) + '\n';
  }
  return format === 'csv' ? sweepCsv(groups) : sweepText(groups, width);
}

/** `--per-request`: one row per CMA request of every finished run (variant, seed, then requests.csv's columns). */
function perRequestCsv(groups: readonly VariantRows[]): string {
  const rows = groups.flatMap((g) => finished(g.rows).flatMap((r) => (r.requests ?? []).map((q) => [g.label, r.seed, ...REQUEST_COLUMNS.map(([, f]) => f(q))])));
  return csvText(['variant', 'seed', ...REQUEST_COLUMNS.map(([h]) => h)], rows);
}
