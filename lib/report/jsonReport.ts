/**
 * The JSON report. Its shape is `JsonReport` below and lib/report/SCHEMA.md; any change to a
 * field's name, type or meaning bumps JSON_SCHEMA_VERSION (adding a field does not).
 */
import { aggregate, type GroupStats, type RequestRow } from './aggregate.ts';
import type { AreaInfo, RunData, RunMeta } from './runData.ts';
import { series, type Series } from './series.ts';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonReport {
  /** Bumped on any incompatible change; readers must check it. */
  readonly schemaVersion: typeof JSON_SCHEMA_VERSION;
  readonly generator: 'cma-sim';
  /** Units of every number below: times and latencies in integer ns of simulated time, sizes in pages. */
  readonly units: { readonly time: 'ns'; readonly size: 'pages' };
  /** Percentile method used for p50/p90/p99. */
  readonly percentiles: 'nearest-rank';
  readonly meta: RunMeta;
  readonly areas: readonly AreaInfo[];
  /** All requests together (key 'all'). */
  readonly summary: GroupStats;
  /** Per device (requester), kind, area ('' = none tried) and lock mode, each sorted by key. */
  readonly groups: {
    readonly device: readonly GroupStats[];
    readonly kind: readonly GroupStats[];
    readonly area: readonly GroupStats[];
    readonly lockMode: readonly GroupStats[];
  };
  /** One row per request, in id order. */
  readonly requests: readonly RequestRow[];
  /** Over-time series; per-area arrays share the index of `t`. */
  readonly series: Series;
}

export function jsonReportData(data: RunData): JsonReport {
  const agg = aggregate(data);
  return {
    schemaVersion: JSON_SCHEMA_VERSION, generator: 'cma-sim', units: { time: 'ns', size: 'pages' }, percentiles: 'nearest-rank',
    meta: data.meta, areas: data.areas, summary: agg.summary, groups: agg.groups, requests: agg.rows, series: series(data),
  };
}

/** Pretty-printed, newline-terminated; byte-identical for identical RunData. */
export function jsonReport(data: RunData): string {
  return JSON.stringify(jsonReportData(data), null, 2) + '\n';
}
