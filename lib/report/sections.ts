/**
 * The tabular content shared by the terminal and Markdown reports: a title, a few summary lines
 * and tables of raw strings. Renderers escape; this module only decides what is shown.
 */
import { aggregate, type GroupBy, type GroupStats, type RequestRow } from './aggregate.ts';
import { DECOMPOSITION_PARTS, type Decomposition } from './decomposition.ts';
import type { RunData } from './runData.ts';
import { series } from './series.ts';
import { fmtFailures, fmtNs, fmtPct, hex } from './units.ts';
import { maxOf, minOf } from './minMax.ts';
import type { Table as TextTable } from '../text/table.ts';
import { modelRevision, TOOL_VERSION } from '../version.ts';

/** A report table always has a title (the Markdown and HTML reports make it a heading). */
export interface Table extends TextTable {
  readonly title: string;
}

export interface ReportSections {
  readonly title: string;
  readonly lines: readonly string[];
  readonly tables: readonly Table[];
}

export interface SectionOptions {
  /** How many of the slowest requests to list (all of them are in CSV and JSON). Default 20. */
  readonly topRequests?: number;
}

const GROUP_TITLES: Readonly<Record<GroupBy, string>> = {
  device: 'device', kind: 'kind', area: 'area', lockMode: 'lock mode',
};

function failureCell(g: GroupStats): string {
  const f = Object.keys(g.failures).length ? fmtFailures(g.failures) : '';
  const w = g.inFlight ? `${g.inFlight} in flight` : '';
  return [f, w].filter(Boolean).join(', ') || '-';
}

function groupTable(by: GroupBy, stats: readonly GroupStats[]): Table {
  return {
    title: `Latency by ${GROUP_TITLES[by]}`,
    headers: [GROUP_TITLES[by], 'count', 'ok', 'failures', 'p50', 'p90', 'p99', 'max', 'mean lock wait'],
    right: [false, true, true, false, true, true, true, true, true],
    rows: stats.map((g) => [
      g.key === '' ? '(none)' : g.key, String(g.count), String(g.ok), failureCell(g),
      fmtNs(g.p50), fmtNs(g.p90), fmtNs(g.p99), fmtNs(g.max), fmtNs(g.meanLockWait === null ? null : Math.round(g.meanLockWait)),
    ]),
  };
}

/** Slowest first (requests still in flight last), ties by id: the order of both request tables. */
function slowestFirst(rows: readonly RequestRow[]): RequestRow[] {
  return [...rows].sort((a, b) => (b.latency ?? -1) - (a.latency ?? -1) || a.id - b.id);
}

/** `rows` slowest first (slowestFirst). */
function requestTable(rows: readonly RequestRow[], top: number): Table {
  const slow = rows.slice(0, top);
  return {
    title: rows.length > top ? `Slowest ${top} of ${rows.length} requests` : 'Requests, slowest first',
    headers: ['id', 'device', 'kind', 'area', 'pages', 'latency', 'lock wait', 'search', 'isolation', 'migration', 'finishing', 'migrated', 'dropped', 'busy', 'retries', 'result', 'pfn'],
    right: [true, false, false, false, true, true, true, true, true, true, true, true, true, true, true, false, true],
    rows: slow.map((r) => [
      String(r.id), r.requester, r.kind || '-', r.area || '-', String(r.count), fmtNs(r.latency),
      fmtNs(r.phases.lockWait), fmtNs(r.phases.search), fmtNs(r.phases.isolation), fmtNs(r.phases.migration), fmtNs(r.phases.finishing),
      String(r.migrated), String(r.dropped), String(r.busy), String(r.retries), r.result, hex(r.pfn),
    ]),
    note: rows.length > top ? 'Every request is in the CSV and JSON reports.' : undefined,
  };
}

const PART_TITLES: Readonly<Record<keyof Decomposition, string>> = {
  lockWait: 'lock wait', search: 'search', isolation: 'isolation', migrationCpu: 'migration CPU', reclaim: 'reclaim', throttleWait: 'reclaim throttle',
  writebackWait: 'writeback wait', pageLockWait: 'page lock wait', zoneLruWait: 'zone/LRU lock wait', runQueueWait: 'run-queue wait', finishing: 'finishing', retries: 'retries',
};

/** `rows` slowest first (slowestFirst); only finished requests have a latency to split. */
function decompositionTable(rows: readonly RequestRow[], top: number): Table {
  const slow = rows.filter((r) => r.latency !== null).slice(0, top);
  return {
    title: 'Where the latency went, slowest first',
    headers: ['id', 'latency', ...DECOMPOSITION_PARTS.map((p) => PART_TITLES[p])],
    right: [true, true, ...DECOMPOSITION_PARTS.map(() => true)],
    rows: slow.map((r) => [String(r.id), fmtNs(r.latency), ...DECOMPOSITION_PARTS.map((p) => fmtNs(r.decomposition[p]))]),
    note: 'Retries: the failed attempts before the last one, with the clearing and searching again they caused (lock waits apart).',
  };
}

function areaTable(data: RunData): Table {
  const s = series(data);
  return {
    title: 'Areas over time',
    headers: ['area', 'base pfn', 'pages', 'peak utilisation', 'min largest free', 'peak fragmentation', 'peak page cache'],
    right: [false, true, true, true, true, true, true],
    rows: s.areas.map((a, i) => [
      a.name, hex(data.areas[i].basePfn), String(data.areas[i].pages),
      a.utilisation.length ? fmtPct(maxOf(a.utilisation)!) : '-',
      a.largestFree.length ? String(minOf(a.largestFree)) : '-',
      a.fragmentation.length ? fmtPct(maxOf(a.fragmentation)!) : '-',
      a.pagecache.length ? String(maxOf(a.pagecache)) : '-',
    ]),
    note: s.t.length
      ? `${s.t.length} samples; pages migrated: ${data.samples[data.samples.length - 1].migratedTotal}, peak ${Math.round(maxOf(s.migrationsPerSec)!)} pages/s.`
      : 'No samples.',
  };
}

export function reportSections(data: RunData, opts: SectionOptions = {}): ReportSections {
  const agg = aggregate(data);
  const m = data.meta;
  const s = agg.summary;
  const failed = s.count - s.ok - s.inFlight;
  const slow = slowestFirst(agg.rows);
  return {
    title: `cma-sim report: ${m.scenario}`,
    lines: [
      `seed ${m.seed}, cma-sim ${TOOL_VERSION} (model revision ${modelRevision(m.modelVersion)}), lock mode ${m.lockMode}`,
      `simulated ${fmtNs(m.durationNs)}, ${m.eventCount} events, ${s.count} requests (${s.ok} ok, ${failed} failed, ${s.inFlight} in flight)`,
      `latency (nearest-rank) p50 ${fmtNs(s.p50)}, p90 ${fmtNs(s.p90)}, p99 ${fmtNs(s.p99)}, max ${fmtNs(s.max)}; failures ${fmtFailures(s.failures)}`,
    ],
    tables: [
      ...(['device', 'kind', 'area', 'lockMode'] as const).map((g) => groupTable(g, agg.groups[g])),
      areaTable(data),
      requestTable(slow, opts.topRequests ?? 20),
      decompositionTable(slow, opts.topRequests ?? 20),
    ],
  };
}
