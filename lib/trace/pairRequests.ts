/**
 * Pairs each cma_alloc_start with the cma_alloc_finish of the same task (a task runs one
 * cma_alloc at a time: mm/cma.c traces start, the retry loop, then finish, all in the caller's
 * context), and attributes the task's migration, isolation and busy-retry lines in between.
 */
import type { ImportedTraceEvent } from './decodeEvent.ts';
import type { TraceRequest, TraceRelease, TracePhases } from './traceRequest.ts';
import { TraceFormatError } from './traceError.ts';

export interface ImportedEvent {
  readonly line: number;
  /** Integer ns. */
  readonly time: number;
  readonly event: ImportedTraceEvent;
  /** Fields this generation does not print (their values in `event` are placeholders). */
  readonly missing: readonly string[];
}

export interface TraceMarker {
  readonly line: number;
  readonly time: number;
  readonly text: string;
}

export interface PairOptions {
  readonly file: string;
  /** The ring buffer lost events (overrun, LOST lines): tolerate finishes whose start was lost. */
  readonly lossy: boolean;
  /** Drop requests still open at the end instead of failing (a trace stopped mid-allocation). */
  readonly allowUnfinished: boolean;
  /** The trace uses the single `cma_alloc` event: migrations precede the line they belong to. */
  readonly single: boolean;
}

export interface PairResult {
  readonly requests: TraceRequest[];
  readonly releases: TraceRelease[];
  /** Finishes (and their retries/migrations) whose start was lost to an overrun. */
  readonly orphans: number;
  /** Requests dropped because the trace ended before their finish. */
  readonly unfinished: number;
  /** Migration lines outside any cma_alloc (compaction, NUMA balancing...). */
  readonly migrationsOutside: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
type Open = Mutable<TraceRequest> & { firstMigrate: number | null; lastMigrate: number | null; lastTest: number | null };

function phaseText(marker: TraceMarker | undefined): string {
  if (!marker) return '';
  const bar = marker.text.indexOf(' | ');
  return (bar < 0 ? marker.text : marker.text.slice(0, bar)).trim();
}

function newRequest(ev: ImportedEvent, marker: TraceMarker | undefined): Open {
  const e = ev.event;
  return {
    seq: 0, comm: e.task.comm, pid: e.task.pid, cpuStart: e.task.cpu, cpuEnd: e.task.cpu,
    area: 'name' in e ? e.name : '', count: 'count' in e ? e.count : 0, align: 'align' in e ? e.align : -1,
    start: ev.time, end: ev.time, latency: null, ok: false, pfn: -1, errno: null, busyRetries: 0, retryPfns: [],
    migrated: 0, migrateFailed: 0, migrateCalls: 0, isolationTests: 0, isolationFailures: 0,
    availableCount: e.type === 'trace.cma_alloc_start' && !ev.missing.includes('available_count') ? e.availableCount : null,
    totalCount: e.type === 'trace.cma_alloc_start' && !ev.missing.includes('total_count') ? e.totalCount : null,
    phases: null, phase: phaseText(marker), startLine: ev.line, endLine: ev.line,
    firstMigrate: null, lastMigrate: null, lastTest: null,
  };
}

function phasesOf(r: Open): TracePhases {
  const migrateFrom = r.firstMigrate ?? r.lastTest ?? r.end;
  const migrateTo = r.lastMigrate ?? migrateFrom;
  const finishFrom = Math.max(r.lastTest ?? migrateTo, migrateTo);
  // The three phases tile [start, end]: the last check belongs to migration.
  return { isolate: migrateFrom - r.start, migrate: finishFrom - migrateFrom, finish: r.end - finishFrom };
}

/** Finish must repeat the start's name, count and align: anything else is a mis-paired trace. */
function checkSame(file: string, ev: ImportedEvent, open: Open, field: 'name' | 'count' | 'align', got: string | number): void {
  const want = field === 'name' ? open.area : open[field];
  if (want !== got) {
    throw new TraceFormatError(file, ev.line,
      `cma_alloc_finish of ${open.comm}-${open.pid} has ${field}=${got} but its cma_alloc_start (line ${open.startLine}) has ${field}=${want}`, field);
  }
}

export function pairRequests(events: readonly ImportedEvent[], markers: readonly TraceMarker[], opts: PairOptions): PairResult {
  const open = new Map<number, Open>();
  const done: Open[] = [];
  const releases: TraceRelease[] = [];
  let orphans = 0;
  let migrationsOutside = 0;
  let markerIdx = -1;
  // Migration lines of a task since its last single-generation cma_alloc (which has no start line).
  const pendingSingle = new Map<number, Open>();

  for (const ev of events) {
    while (markerIdx + 1 < markers.length && markers[markerIdx + 1].line < ev.line) markerIdx += 1;
    const marker = markerIdx >= 0 ? markers[markerIdx] : undefined;
    const e = ev.event;
    const pid = e.task.pid;
    const cur = open.get(pid);
    switch (e.type) {
      case 'trace.cma_alloc_start':
        if (cur) {
          throw new TraceFormatError(opts.file, ev.line,
            `cma_alloc_start of ${e.task.comm}-${pid} while its cma_alloc_start of line ${cur.startLine} has no cma_alloc_finish`);
        }
        open.set(pid, newRequest(ev, marker));
        break;
      case 'trace.cma_alloc_finish': {
        if (!cur) {
          if (opts.lossy) { orphans += 1; break; }
          throw new TraceFormatError(opts.file, ev.line,
            `cma_alloc_finish of ${e.task.comm}-${pid} has no cma_alloc_start (trace truncated at its start?)`);
        }
        checkSame(opts.file, ev, cur, 'name', e.name);
        checkSame(opts.file, ev, cur, 'count', e.count);
        checkSame(opts.file, ev, cur, 'align', e.align);
        const errnoKnown = !ev.missing.includes('errorno');
        cur.ok = e.pfn !== -1 && e.errorno === 0;
        cur.pfn = cur.ok ? e.pfn : -1;
        cur.errno = cur.ok ? 0 : errnoKnown ? e.errorno : null;
        cur.end = ev.time;
        cur.latency = ev.time - cur.start;
        cur.cpuEnd = e.task.cpu;
        cur.endLine = ev.line;
        cur.phases = phasesOf(cur);
        done.push(cur);
        open.delete(pid);
        break;
      }
      case 'trace.cma_alloc': {
        const r = pendingSingle.get(pid) ?? newRequest(ev, marker);
        pendingSingle.delete(pid);
        Object.assign(r, {
          comm: e.task.comm, area: e.name, count: e.count, align: e.align, start: ev.time, end: ev.time,
          ok: e.pfn !== -1, pfn: e.pfn, errno: e.pfn !== -1 ? 0 : null, cpuStart: e.task.cpu, cpuEnd: e.task.cpu,
          phase: phaseText(marker), startLine: r.startLine, endLine: ev.line,
        });
        done.push(r);
        break;
      }
      case 'trace.cma_alloc_busy_retry':
        if (!cur) {
          if (opts.lossy) break;
          throw new TraceFormatError(opts.file, ev.line, `cma_alloc_busy_retry of ${e.task.comm}-${pid} outside any cma_alloc`);
        }
        cur.busyRetries += 1;
        cur.retryPfns.push(e.pfn);
        break;
      case 'trace.cma_release':
        releases.push({
          seq: releases.length, comm: e.task.comm, pid, cpu: e.task.cpu, time: ev.time, area: e.name, pfn: e.pfn,
          count: e.count, line: ev.line,
        });
        break;
      case 'trace.mm_migrate_pages':
      case 'trace.mm_migrate_pages_start':
      case 'trace.test_pages_isolated': {
        let target = cur;
        if (!target && !opts.single) {
          if (e.type === 'trace.mm_migrate_pages') migrationsOutside += 1;
          break;
        }
        if (!target) {
          // Single generation: the cma_alloc line comes after the migrations it caused.
          target = pendingSingle.get(pid) ?? newRequest(ev, marker);
          pendingSingle.set(pid, target);
        }
        if (e.type === 'trace.mm_migrate_pages_start') target.firstMigrate ??= ev.time;
        if (e.type === 'trace.mm_migrate_pages') {
          target.lastMigrate = ev.time;
          target.migrated += e.nrSucceeded;
          target.migrateFailed += e.nrFailed;
          target.migrateCalls += 1;
        } else if (e.type === 'trace.test_pages_isolated') {
          target.lastTest = ev.time;
          target.isolationTests += 1;
          if (e.ret === 'fail') target.isolationFailures += 1;
        }
        break;
      }
    }
  }
  let unfinished = 0;
  for (const r of open.values()) {
    if (!opts.allowUnfinished) {
      throw new TraceFormatError(opts.file, r.startLine,
        `trace truncated: cma_alloc_start of ${r.comm}-${r.pid} has no cma_alloc_finish before the end of the file`);
    }
    unfinished += 1;
  }
  done.sort((a, b) => a.startLine - b.startLine);
  const requests = done.map(({ firstMigrate, lastMigrate, lastTest, ...r }, seq): TraceRequest => ({ ...r, seq }));
  return { requests, releases, orphans, unfinished, migrationsOutside };
}
