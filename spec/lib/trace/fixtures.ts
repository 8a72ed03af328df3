/** Shared access to the real kernel traces copied under spec/fixtures/kernel-traces/. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RequestRecord } from '../../../models/cma/request.ts';
import { importTrace, type ImportedTrace } from '../../../lib/trace/importTrace.ts';
import type { TraceRequest } from '../../../lib/trace/traceRequest.ts';

export const TRACE_DIR = fileURLToPath(new URL('../../fixtures/kernel-traces/', import.meta.url));
export const REAL_TRACES = ['smoke-3g-misaligned', 'boot-and-hugetlb-1'] as const;

export function fixtureText(name: string, ext: string): string {
  return readFileSync(`${TRACE_DIR}${name}.${ext}`, 'utf8');
}

const cache = new Map<string, ImportedTrace>();

/** Imported once per test run: the big trace takes ~0.1 s. */
export function realTrace(name: string): ImportedTrace {
  let t = cache.get(name);
  if (!t) {
    t = importTrace(fixtureText(name, 'trace.txt'), { file: `${name}.trace.txt` });
    cache.set(name, t);
  }
  return t;
}

/** Rows of a `.requests.csv` (the trace's own summary, made by the tool that recorded it). */
export function csvRows(name: string): Record<string, string>[] {
  const [head, ...rows] = fixtureText(name, 'requests.csv').trim().split('\n');
  const keys = head.split(',');
  return rows.map((row) => {
    // Only the last column (phase) is quoted and may hold commas.
    const cells = row.split(',');
    const fixed = cells.slice(0, keys.length - 1);
    fixed.push(cells.slice(keys.length - 1).join(',').replace(/^"|"$/g, ''));
    return Object.fromEntries(keys.map((k, i) => [k, fixed[i]]));
  });
}

/** A simulated request record that did exactly what the trace request did (tests perturb it). */
export function simRecordOf(r: TraceRequest, patch: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: r.seq + 1, requester: r.comm, pid: r.pid, kind: '', areas: [r.area], area: r.area, count: r.count, align: r.align,
    status: r.ok ? 'done' : 'failed', submittedAt: r.start, finishedAt: r.end,
    phases: { lockWait: 0, search: 0, isolation: 0, migration: 0, finishing: 0 }, attempts: [],
    retries: r.busyRetries, pfn: r.ok ? r.pfn : null, errno: r.ok ? 0 : -12, lockMode: 'split', ...patch,
  };
}
