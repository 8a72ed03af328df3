/**
 * Chrome trace-event JSON (the "JSON Object Format"), which ui.perfetto.dev and chrome://tracing
 * open. Three processes hold the tracks: "devices" (a thread per device; a slice per request
 * with one child slice per phase, and in the last attempt's migration slice one per part of the
 * latency decomposition), "locks" (a thread per lock; a slice per holding) and "areas"
 * (a thread per area; a slice per attempt on a candidate range, the last one named by the
 * request's outcome; counters for free pages, largest free chunk, fragmentation, page cache in CMA and
 * migrations/s). A flow arrow links each request slice to the attempt that completed it.
 * A track whose slices overlap (concurrent requests of one device) is split into lanes
 * "name", "name #2", ... so slices on one thread always nest. Timestamps are microseconds
 * (ns / 1000, so nanosecond precision is kept as decimals).
 */
import { errnoName, type PhaseSpan } from '../../models/cma/request.ts';
import { decompose, type Decomposition } from './decomposition.ts';
import type { ReportRequest, RunData } from './runData.ts';
import { fragmentation, series } from './series.ts';
import { assignLanes, attemptIntervals, lockHolds, phaseSpans, requestEnd } from './timeline.ts';
import { cmpStr } from './aggregate.ts';
import { maxOf } from './minMax.ts';

export interface TraceEventJson {
  readonly name: string;
  readonly ph: 'X' | 'C' | 'M' | 's' | 'f';
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly id?: number;
  readonly bp?: 'e';
  readonly args?: Readonly<Record<string, unknown>>;
}

export const PID = { devices: 1, locks: 2, areas: 3 } as const;
type Family = keyof typeof PID;

const us = (ns: number): number => ns / 1000;

/** A slice group to place on a track: all its events share one tid, chosen after lane assignment. */
interface Item {
  readonly family: Family;
  readonly track: string;
  readonly start: number;
  readonly end: number;
  readonly order: number;
  readonly emit: (tid: number) => TraceEventJson[];
}

function slice(name: string, cat: string, pid: number, tid: number, start: number, end: number, args?: Record<string, unknown>): TraceEventJson {
  return { name, cat, ph: 'X', ts: us(start), dur: us(end - start), pid, tid, ...(args ? { args } : {}) };
}

function outcome(r: ReportRequest, withPfn = true): string {
  if (r.errno === null) return 'in flight';
  if (r.errno !== 0) return `failed ${errnoName(r.errno)}`;
  return withPfn && r.pfn !== null ? `done @0x${r.pfn.toString(16)}` : 'done';
}

const resultName = (e: number): string => (e === 0 ? 'ok' : errnoName(e));

/** The migration parts of the decomposition, nested in the last attempt's migration slice. */
const MIGRATION_PARTS: readonly [keyof Decomposition, string][] = [
  ['migrationCpu', 'migration CPU'], ['reclaim', 'reclaim'], ['throttleWait', 'reclaim throttle'], ['writebackWait', 'writeback wait'],
  ['pageLockWait', 'page lock wait'], ['zoneLruWait', 'zone/LRU lock wait'], ['runQueueWait', 'run-queue wait'],
];

/**
 * The last attempt's migration split as the decomposition splits it, as slices nested in its
 * migration slice. The parts are sums over the attempt's passes, so they are laid end to end in
 * this order, not at the instants they happened (args.summed). Only when the attempt's migration
 * is one slice whose length the parts fill exactly.
 */
function migrationParts(r: ReportRequest, spans: readonly PhaseSpan[]): { name: string; start: number; end: number }[] {
  const last = r.attempts[r.attempts.length - 1];
  if (last === undefined) return [];
  const mig = spans.filter((s) => s.phase === 'migration' && s.start >= last.startedAt);
  if (mig.length !== 1) return [];
  const d = decompose(r);
  // The run-queue and shared-lock waits of the migration alone (the decomposition's parts also hold
  // isolation's and finishing's run-queue waits, and isolation's drain-mutex wait).
  const ns = (k: keyof Decomposition): number =>
    (k === 'runQueueWait' ? last.runQueueWait?.migration ?? 0 : k === 'zoneLruWait' ? d[k] - (last.drainLockWaitNs ?? 0) : d[k]);
  const parts = MIGRATION_PARTS.filter(([k]) => ns(k) > 0);
  if (parts.reduce((a, [k]) => a + ns(k), 0) !== mig[0].end - mig[0].start) return [];
  let t = mig[0].start;
  return parts.map(([k, name]) => ({ name, start: t, end: (t += ns(k)) }));
}

function requestItems(r: ReportRequest, runEnd: number): Item[] {
  const end = requestEnd(r, runEnd);
  const spans = phaseSpans(r, runEnd);
  const attempts = attemptIntervals(r, end);
  const label = `#${r.id} ${r.count} pages`;
  const args = { id: r.id, kind: r.kind, area: r.area, pages: r.count, align: r.align, retries: r.retries, result: outcome(r) };
  const items: Item[] = [{
    family: 'devices', track: r.requester, start: r.submittedAt, end, order: r.id,
    emit: (tid) => [
      slice(label, 'request', PID.devices, tid, r.submittedAt, end, args),
      // Right after its slice: Perfetto binds a flow to the innermost slice open at that point,
      // and keeps file order among events of equal timestamp.
      ...(attempts.length || r.area !== null ? [{ name: 'request', cat: 'flow', ph: 's' as const, ts: us(r.submittedAt), pid: PID.devices, tid, id: r.id }] : []),
      ...spans.map((s) => slice(s.phase, 'phase', PID.devices, tid, s.start, s.end, { request: r.id })),
      ...migrationParts(r, spans).map((p) => slice(p.name, 'decomposition', PID.devices, tid, p.start, p.end, { request: r.id, summed: true })),
    ],
  }];
  for (const h of lockHolds(spans)) {
    items.push({ family: 'locks', track: h.lock, start: h.start, end: h.end, order: r.id,
      emit: (tid) => [slice(`held by #${r.id} (${r.requester})`, 'lock', PID.locks, tid, h.start, h.end, { request: r.id })] });
  }
  if (attempts.length) {
    attempts.forEach((a, k) => {
      const last = k === attempts.length - 1;
      items.push({ family: 'areas', track: a.area, start: a.start, end: a.end, order: r.id,
        emit: (tid) => [
          slice(`#${r.id} @0x${a.pfn.toString(16)} ${last ? outcome(r, false) : `attempt ${k + 1} ${resultName(a.result)}`}`, 'area', PID.areas, tid, a.start, a.end,
            { request: r.id, attempt: k + 1, pfn: a.pfn, pages: a.count, migrated: a.migrated, dropped: a.dropped, busy: a.busy, result: resultName(a.result) }),
          ...(last ? [{ name: 'request', cat: 'flow', ph: 'f' as const, bp: 'e' as const, ts: us(a.start), pid: PID.areas, tid, id: r.id }] : []),
        ] });
    });
  } else if (r.area !== null) {
    // No timed attempt (a request that failed before trying a range): its time in the area is
    // everything after the lock wait.
    const from = Math.min(end, r.submittedAt + r.phases.lockWait);
    items.push({ family: 'areas', track: r.area, start: from, end, order: r.id,
      emit: (tid) => [
        slice(`#${r.id} ${outcome(r)}`, 'area', PID.areas, tid, from, end, args),
        { name: 'request', cat: 'flow', ph: 'f', bp: 'e', ts: us(from), pid: PID.areas, tid, id: r.id },
      ] });
  }
  return items;
}

function meta(name: 'process_name' | 'thread_name' | 'process_sort_index' | 'thread_sort_index', pid: number, tid: number, arg: string | number): TraceEventJson {
  return { name, ph: 'M', ts: 0, pid, tid, args: typeof arg === 'string' ? { name: arg } : { sort_index: arg } };
}

/** Places items on lanes; returns metadata + slices, tids numbered per family in track-name order. */
function placeItems(items: readonly Item[]): TraceEventJson[] {
  const out: TraceEventJson[] = [];
  for (const family of Object.keys(PID) as Family[]) {
    const pid = PID[family];
    out.push(meta('process_name', pid, 0, family), meta('process_sort_index', pid, 0, pid));
    const tracks = new Map<string, Item[]>();
    for (const it of items) if (it.family === family) (tracks.get(it.track) ?? tracks.set(it.track, []).get(it.track)!).push(it);
    let tid = 1;
    for (const name of [...tracks.keys()].sort(cmpStr)) {
      const its = tracks.get(name)!.sort((a, b) => a.start - b.start || a.order - b.order);
      const lanes = assignLanes(its);
      const nLanes = maxOf(lanes)! + 1;
      for (let l = 0; l < nLanes; l++) {
        out.push(meta('thread_name', pid, tid + l, l === 0 ? name : `${name} #${l + 1}`), meta('thread_sort_index', pid, tid + l, tid + l));
      }
      its.forEach((it, k) => out.push(...it.emit(tid + lanes[k])));
      tid += nLanes;
    }
  }
  return out;
}

function counters(data: RunData): TraceEventJson[] {
  const s = series(data);
  const out: TraceEventJson[] = [];
  const perArea = (name: string, k: number, f: (i: number) => number): TraceEventJson => ({
    name, ph: 'C', ts: us(s.t[k]), pid: PID.areas, tid: 0, args: Object.fromEntries(data.areas.map((a, i) => [a.name, f(i)])),
  });
  data.samples.forEach((x, k) => {
    out.push(
      perArea('free pages', k, (i) => x.areas[i].free),
      perArea('buddy free pages', k, (i) => x.areas[i].buddyFree),
      perArea('largest free chunk', k, (i) => x.areas[i].largestFree),
      perArea('fragmentation %', k, (i) => Math.round(fragmentation(x.areas[i].free, x.areas[i].largestFree) * 1000) / 10),
      perArea('page cache in CMA', k, (i) => x.areas[i].pagecache),
      { name: 'migrations/s', ph: 'C', ts: us(x.t), pid: PID.areas, tid: 0, args: { pages: Math.round(s.migrationsPerSec[k]) } },
    );
  });
  return out;
}

export function perfettoEvents(data: RunData): TraceEventJson[] {
  const runEnd = data.meta.durationNs;
  return [...placeItems(data.requests.flatMap((r) => requestItems(r, runEnd))), ...counters(data)];
}

/** The trace file: one event per line, so diffs and greps stay readable. */
export function perfettoTrace(data: RunData): string {
  const m = data.meta;
  const head = { displayTimeUnit: 'ns', otherData: { generator: 'cma-sim', scenario: m.scenario, seed: m.seed, model: m.modelVersion, lockMode: m.lockMode } };
  const events = perfettoEvents(data).map((e) => JSON.stringify(e));
  return `${JSON.stringify(head).slice(0, -1)},"traceEvents":[\n${events.join(',\n')}\n]}\n`;
}
