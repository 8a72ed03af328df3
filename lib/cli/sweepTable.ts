import type { RunSummary } from '../scenario/runScenario.ts';
import { isFatal } from '../scenario/runScenario.ts';

/** Per-metric min / mean / max over a sweep's seeds. */
export interface SweepAggregate {
  readonly runs: number;
  readonly fatal: number;
  readonly metrics: Readonly<Record<string, { readonly min: number; readonly mean: number; readonly max: number }>>;
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

function table(head: string[], body: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

export function sweepText(rows: readonly RunSummary[], agg: SweepAggregate): string {
  const perSeed = table(['seed', ...COLS, 'fatal', 'hash'], rows.map((r) => [String(r.seed), ...COLS.map((c) => num(r.metrics[c])), isFatal(r) ? 'yes' : 'no', r.finalHash.slice(0, 12)]));
  const aggT = table(['metric', 'min', 'mean', 'max'], Object.entries(agg.metrics).map(([k, v]) => [k, num(v.min), num(v.mean), num(v.max)]));
  return `${perSeed}\n${agg.runs} runs, ${agg.fatal} with fatal failures\n\n${aggT}`;
}

export function sweepCsv(rows: readonly RunSummary[]): string {
  const keys = Object.keys(rows[0]?.metrics ?? {});
  return [['seed', ...keys, 'fatal', 'hash'].join(','), ...rows.map((r) => [r.seed, ...keys.map((k) => r.metrics[k]), isFatal(r) ? 1 : 0, r.finalHash].join(','))].join('\n') + '\n';
}
