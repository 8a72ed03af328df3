/**
 * A scenario that replays a trace: the same cma_alloc and cma_release sequence at the same times
 * (relative to the first one), on areas with the trace's names, sizes and bases. The result is
 * plain JSON in lib/scenario's input format (a `replay` workload generator); `traceReplay` gives
 * the flat request/release lists it is built from.
 */
import type { ScenarioInput } from '../scenario/scenario.ts';
import type { ImportedTrace } from './importTrace.ts';
import type { TraceArea } from './traceAreas.ts';
import { TraceFormatError } from './traceError.ts';
import { pickKernel } from './traceKernel.ts';
import type { KernelVersion } from '../../models/kernel/profile.ts';
import { PROFILES } from '../../models/kernel/profiles.ts';

export interface ReplayRequest {
  /** ns after the first request or release of the trace. */
  readonly at: number;
  /** Request id in the scenario: trace seq + 1, so sim requests line up with trace requests. */
  readonly id: number;
  readonly area: string;
  readonly count: number;
  readonly align: number;
  readonly requester: string;
  readonly pid: number;
  readonly cpu: number;
  /** First pfns of the candidates the traced kernel found busy (cma_alloc_busy_retry), in order. */
  readonly busy: readonly number[];
}

export interface ReplayRelease {
  readonly at: number;
  readonly area: string;
  readonly pfn: number;
  readonly count: number;
  /** Id of the replayed request that the trace shows owning this range, null if none does. */
  readonly request: number | null;
}

export interface TraceReplay {
  readonly areas: readonly TraceArea[];
  readonly requests: readonly ReplayRequest[];
  readonly releases: readonly ReplayRelease[];
  /** Trace time (ns) that `at` = 0 stands for. */
  readonly origin: number;
}

export interface TraceScenarioOptions {
  /** Areas from --area options or dmesg; they override `# area` comments of the trace. */
  readonly areas?: readonly TraceArea[];
  /** Total RAM in bytes (e.g. ramFromDmesg); default: the 1 GiB-aligned span of the areas. */
  readonly ram?: number | null;
  readonly name?: string;
  readonly seed?: number;
  /** Kernel profile of the traced kernel (pickKernel); default: the newest printing the trace's format. */
  readonly kernel?: KernelVersion;
  /** Conditioned replay: each request's traced busy retries become candidates that fail with -EBUSY. */
  readonly followBusy?: boolean;
}

const GIB = 2 ** 30;

/**
 * The area behind each name the trace uses, failing with a hint when nobody declared it. Traces
 * of kernels that did not print area names use '' and take the one area given, if only one is.
 */
function resolveAreas(trace: ImportedTrace, given: readonly TraceArea[]): Map<string, TraceArea> {
  const byName = new Map<string, TraceArea>();
  for (const a of [...trace.areas, ...given]) byName.set(a.name, a);
  const used = new Map<string, TraceArea>();
  for (const name of [...trace.requests.map((r) => r.area), ...trace.releases.map((r) => r.area)]) {
    if (used.has(name)) continue;
    const a = name === '' && byName.size === 1 ? [...byName.values()][0] : byName.get(name);
    if (!a) {
      const what = name === '' ? 'the trace does not name its area (pre-5.x kernel) and more or less than one area was given'
        : `area '${name}' has no size and base`;
      throw new TraceFormatError(trace.file, null, `${what}: pass --area ${name || 'name'}=<size>@<base> or the boot log (--dmesg)`);
    }
    used.set(name, a);
  }
  return used;
}

export function traceReplay(trace: ImportedTrace, given: readonly TraceArea[] = []): TraceReplay {
  const byTraceName = resolveAreas(trace, given);
  const areaOf = (name: string): string => byTraceName.get(name)!.name;
  const areas = [...new Set(byTraceName.values())];
  const first = Math.min(trace.requests[0]?.start ?? Infinity, trace.releases[0]?.time ?? Infinity);
  const origin = Number.isFinite(first) ? first : 0;
  const requests = trace.requests.map((r): ReplayRequest => ({
    at: r.start - origin, id: r.seq + 1, area: areaOf(r.area), count: r.count, align: Math.max(0, r.align),
    requester: r.comm, pid: r.pid, cpu: r.cpuStart, busy: r.retryPfns,
  }));
  // A release frees what the latest earlier successful request at that place allocated.
  const live = new Map<string, number>();
  const events = [
    ...trace.requests.filter((r) => r.ok).map((r) => ({ t: r.end, line: r.endLine, req: r })),
    ...trace.releases.map((r) => ({ t: r.time, line: r.line, rel: r })),
  ].sort((a, b) => a.line - b.line);
  const releases: ReplayRelease[] = [];
  for (const e of events) {
    if ('req' in e && e.req) live.set(`${e.req.area}/${e.req.pfn}/${e.req.count}`, e.req.seq + 1);
    else if ('rel' in e && e.rel) {
      const key = `${e.rel.area}/${e.rel.pfn}/${e.rel.count}`;
      releases.push({ at: e.rel.time - origin, area: areaOf(e.rel.area), pfn: e.rel.pfn, count: e.rel.count, request: live.get(key) ?? null });
      live.delete(key);
    }
  }
  return { areas, requests, releases, origin };
}

function bankFor(areas: readonly TraceArea[], ram: number | null): { name: string; base: number; size: number } {
  const lo = Math.min(...areas.map((a) => a.base));
  const hi = Math.ceil(Math.max(...areas.map((a) => a.base + a.size)) / GIB) * GIB;
  // RAM is assumed to end at the 1 GiB boundary above the highest area: traces do not say where it ends.
  if (ram !== null && ram >= hi - lo) return { name: 'ram', base: Math.max(0, hi - ram), size: ram };
  const base = Math.floor(lo / GIB) * GIB;
  return { name: 'ram', base, size: hi - base };
}

/**
 * The scenario, under the kernel profile given (picked from the boot log by the commands) or the
 * newest one printing the trace's format: its lock mode is the profile's (6.1: the global
 * cma_mutex around alloc_contig_range; 6.18: per-area). Releases go by request id when the
 * trace shows which request owned the range, so they free the right chunk even where the
 * simulation placed it elsewhere.
 */
export function traceToScenario(trace: ImportedTrace, opts: TraceScenarioOptions = {}): ScenarioInput {
  const replay = traceReplay(trace, opts.areas ?? []);
  const kernel = opts.kernel ?? pickKernel(trace.formats, null)?.version ?? null;
  if (replay.areas.length === 0) throw new TraceFormatError(trace.file, null, 'no cma_alloc or cma_release lines: nothing to replay');
  const timed = [
    ...replay.requests.map((r) => ({
      at: r.at,
      event: {
        type: 'cma.alloc.request', id: r.id, area: r.area, count: r.count, align: r.align, requester: r.requester, pid: r.pid, cpu: r.cpu,
        ...(opts.followBusy && r.busy.length > 0 ? { busy: r.busy } : {}),
      },
    })),
    ...replay.releases.map((r) => ({
      at: r.at,
      event: r.request !== null ? { type: 'cma.release', chunk: r.request } : { type: 'cma.release', area: r.area, pfn: r.pfn, count: r.count },
    })),
  ].sort((a, b) => a.at - b.at);
  const last = timed.length > 0 ? timed[timed.length - 1].at : 0;
  const longest = Math.max(0, ...trace.requests.map((r) => r.latency ?? 0));
  return {
    name: opts.name ?? trace.file.replace(/^.*\//, '').replace(/\.txt$/, ''),
    description: `replay of ${trace.file}: ${replay.requests.length} cma_alloc, ${replay.releases.length} cma_release (${trace.generation ?? 'no'} trace format)`,
    seed: opts.seed ?? 1,
    until: last + Math.max(1e9, 10 * longest),
    machine: { banks: [bankFor(replay.areas, opts.ram ?? null)] },
    // The kernel profile sets the lock mode and the rest; without one, the newest kernel printing the trace's format.
    ...(kernel !== null ? { kernel } : {}),
    cma: {
      ...(kernel !== null ? { lockMode: PROFILES[kernel].lockMode } : {}),
      areas: replay.areas.map((a) => ({ name: a.name, size: a.size, base: a.base, allocator: 'bitmap', default: a.name === 'reserved' })),
    },
    workload: [{ generator: 'replay', name: 'trace', events: timed }],
  };
}
