import type { RunSummary } from '../scenario/runScenario.ts';
import { isFatal } from '../scenario/runScenario.ts';
import { csvText } from '../text/csv.ts';
import { formatDuration } from '../text/duration.ts';
import { textTable } from '../text/table.ts';

/** Per-metric min / mean / max over a set of runs. */
export interface SweepAggregate {
  readonly runs: number;
  readonly fatal: number;
  readonly metrics: Readonly<Record<string, { readonly min: number; readonly mean: number; readonly max: number }>>;
}

/** The runs of one variant, in seed order. */
export interface VariantRows {
  readonly label: string;
  readonly rows: readonly RunSummary[];
}

export function aggregateSweep(rows: readonly RunSummary[]): SweepAggregate {
  const metrics: Record<string, { min: number; mean: number; max: number }> = {};
  for (const k of Object.keys(rows[0]?.metrics ?? {})) {
    const xs = rows.map((r) => r.metrics[k]);
    metrics[k] = { min: Math.min(...xs), mean: xs.reduce((a, b) => a + b, 0) / xs.length, max: Math.max(...xs) };
  }
  return { runs: rows.length, fatal: rows.filter(isFatal).length, metrics };
}

const COLS = ['events', 'workload.emitted', 'alloc.done', 'alloc.failed', 'alloc.retries', 'alloc.latency.p50', 'alloc.latency.p99', 'alloc.latency.max'];

/** The program's one table layout; the label columns (metric, variant) left-aligned. */
function table(head: string[], body: string[][]): string {
  const right = head.map((h, i) => !(i === 0 || (i === 1 && head[0] === 'variant')));
  return textTable({ headers: head, right, rows: body }) + '\n';
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
/** Latencies and times read as durations; counts as numbers. */
const cell = (metric: string, x: number) => (metric.startsWith('alloc.latency') || metric === 'simTimeNs' ? formatDuration(Math.round(x), 3) : num(x));

export function sweepText(groups: readonly VariantRows[]): string {
  const many = groups.length > 1;
  const seedRows = groups.flatMap((g) => g.rows.map((r) => [
    ...(many ? [g.label] : []), String(r.seed), ...COLS.map((c) => cell(c, r.metrics[c])), isFatal(r) ? 'yes' : 'no', r.finalHash.slice(0, 12),
  ]));
  const perSeed = table([...(many ? ['variant'] : []), 'seed', ...COLS, 'fatal', 'hash'], seedRows);
  if (!many) {
    const agg = aggregateSweep(groups[0]?.rows ?? []);
    const aggT = table(['metric', 'min', 'mean', 'max'], Object.entries(agg.metrics).map(([k, v]) => [k, cell(k, v.min), cell(k, v.mean), cell(k, v.max)]));
    return `${perSeed}\n${agg.runs} runs, ${agg.fatal} with fatal failures\n\n${aggT}`;
  }
  const cmp = table(['variant', 'runs', 'fatal', ...COLS.map((c) => `mean ${c}`)], groups.map((g) => {
    const a = aggregateSweep(g.rows);
    return [g.label, String(a.runs), String(a.fatal), ...COLS.map((c) => cell(c, a.metrics[c]?.mean ?? 0))];
  }));
  return `${perSeed}\n${cmp}`;
}

/** One row per run, written by the program's one CSV writer (RFC 4180, CRLF). */
export function sweepCsv(groups: readonly VariantRows[]): string {
  const keys = Object.keys(groups[0]?.rows[0]?.metrics ?? {});
  const rows = groups.flatMap((g) => g.rows.map((r) => [g.label, r.seed, ...keys.map((k) => r.metrics[k]), isFatal(r) ? 1 : 0, r.finalHash]));
  return csvText(['variant', 'seed', ...keys, 'fatal', 'hash'], rows);
}
