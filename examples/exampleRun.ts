/**
 * What the examples share: run a scenario to its end and read its outcome from the final state
 * (CMA request records, device buffers), plus the small text-table printer their reports use.
 */
import { pathToFileURL } from 'node:url';
import type { DeviceBufferInput, DeviceWorkInput, SimEvent } from '../events/index.ts';
import { runEngine } from '../lib/run/runEngine.ts';
import { bootEngine, type Scenario } from '../lib/scenario/index.ts';
import { getAllocator } from '../models/cma/allocators/registry.ts';
import { pageState } from '../models/mm/contig.ts';
import type { RequestRecord } from '../models/cma/request.ts';
import type { SimState } from '../models/state.ts';
import { formatDuration } from '../lib/text/duration.ts';
import { textTable } from '../lib/text/table.ts';

export const MiB = 2 ** 20;
export const MS = 1_000_000;

export interface ExampleRun {
  readonly state: SimState;
  readonly events: number;
  readonly now: number;
}

export interface RunOptions {
  /** Look at the state every `every` ns (after the events of that instant). */
  readonly sample?: { readonly every: number; readonly fn: (state: SimState, now: number) => void };
  readonly maxEvents?: number;
}

/** Run to the scenario's end (deterministic for its seed), optionally sampling the state on the way. */
export function runExample(s: Scenario, opts: RunOptions = {}): ExampleRun {
  const engine = bootEngine(s, s.seed);
  const maxEvents = opts.maxEvents ?? 5_000_000;
  let events = 0;
  const step = opts.sample?.every ?? s.until;
  for (let t = Math.min(step, s.until); ; t = Math.min(t + step, s.until)) {
    const res = runEngine(engine, { until: t, maxEvents: maxEvents - events });
    events += res.dispatched;
    if (res.reason === 'maxEvents') throw new Error(`${s.name}: stopped after ${maxEvents} events before ${s.until} ns`);
    opts.sample?.fn(engine.state.model, t);
    if (t >= s.until) return { state: engine.state.model, events, now: t };
  }
}

/** A replay workload entry: `event` at `at` ns. */
export const at = (t: number, event: SimEvent): { at: number; event: SimEvent } => ({ at: t, event });

export const open = (t: number, device: string, buffers: readonly DeviceBufferInput[], work?: DeviceWorkInput) =>
  at(t, { type: 'device.open', device, buffers, ...(work ? { work } : {}) });
export const close = (t: number, device: string) => at(t, { type: 'device.close', device });

/** Replay entries in time order (stable: same-time entries keep their order), as the replay generator wants them. */
export function timeline<T extends { at: number }>(...groups: readonly (readonly T[])[]): T[] {
  return groups.flat().map((e, i) => ({ e, i })).sort((x, y) => x.e.at - y.e.at || x.i - y.i).map((x) => x.e);
}

export function requests(state: SimState, pred: (r: RequestRecord) => boolean = () => true): RequestRecord[] {
  return Object.values(state.cma.requests as Readonly<Record<string, RequestRecord>>).filter(pred).sort((a, b) => a.id - b.id);
}

export interface RequestSummary {
  readonly count: number;
  readonly failed: number;
  readonly pages: number;
  readonly migrated: number;
  readonly dropped: number;
  readonly retries: number;
  /** Summed phase times, ns. */
  readonly migrationNs: number;
  readonly latencyNs: readonly number[];
}

export function summarize(rs: readonly RequestRecord[]): RequestSummary {
  const done = rs.filter((r) => r.finishedAt !== null);
  return {
    count: rs.length,
    failed: rs.filter((r) => r.status === 'failed').length,
    pages: rs.filter((r) => r.status === 'done').reduce((a, r) => a + r.count, 0),
    migrated: rs.reduce((a, r) => a + r.attempts.reduce((b, t) => b + t.migrated, 0), 0),
    dropped: rs.reduce((a, r) => a + r.attempts.reduce((b, t) => b + t.dropped, 0), 0),
    retries: rs.reduce((a, r) => a + r.retries, 0),
    migrationNs: rs.reduce((a, r) => a + r.phases.migration, 0),
    latencyNs: done.map((r) => r.finishedAt! - r.submittedAt).sort((a, b) => a - b),
  };
}

/** Nearest-rank quantile of ascending values; 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** A duration in the program's one format, three significant digits (`1.87ms`, `100us`). */
export const ms = (ns: number): string => formatDuration(Math.round(ns), 3);

/** The program's table layout; the first row is the header, the first column left-aligned. */
export function table(rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((r) => r.map(String));
  return textTable({ headers: cells[0], right: cells[0].map((_, i) => i > 0), rows: cells.slice(1) });
}

/** debugfs `maxchunk` and free pages of an area: its largest free run and total free, in pages. */
export function areaFree(state: SimState, name: string): { maxChunk: number; free: number; holes: number } {
  const a = state.cma.areas[name];
  const runs = getAllocator(a.allocator).freeRuns(a.alloc, { name: a.name, basePfn: a.basePfn, count: a.count, orderPerBit: a.orderPerBit });
  let maxChunk = 0;
  let free = 0;
  for (let i = 0; i < runs.length; i += 2) {
    maxChunk = Math.max(maxChunk, runs[i + 1] - runs[i]);
    free += runs[i + 1] - runs[i];
  }
  return { maxChunk, free, holes: runs.length / 2 };
}

/** Page-cache pages lent inside an area right now (MIGRATE_CMA pageblocks borrowed by movable pages). */
export function pageCacheIn(state: SimState, name: string): number {
  const a = state.cma.areas[name];
  let n = 0;
  for (let pfn = a.basePfn; pfn < a.basePfn + a.count; pfn++) if (pageState(state.memory, pfn).kind === 'pagecache') n++;
  return n;
}

/** Call `main` when the module is the program being run (`npx tsx examples/NN-name.ts`). */
export function runIfMain(moduleUrl: string, main: () => void): void {
  if (moduleUrl === pathToFileURL(process.argv[1] ?? '').href) main();
}
