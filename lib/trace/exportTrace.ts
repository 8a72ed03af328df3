/**
 * Trace-equivalent events of a run as the text of `/sys/kernel/tracing/trace` (tracer nop), so
 * runs open in the tools kernel engineers use (less, trace-cmd-style scripts, Perfetto).
 */
import { TRACE_EVENT_TYPES, type TraceEvent } from '../../events/trace.ts';
import { printable } from '../text/escape.ts';
import { formatTraceEvent, type TraceFlavour } from './formatTraceEvent.ts';
import { AREA_COMMENT, formatAreaOption, type TraceArea } from './traceAreas.ts';

export interface TimedTraceEvent {
  /** Integer ns since the start of the run (printed as seconds since boot). */
  readonly time: number;
  readonly event: TraceEvent;
}

export interface ExportOptions {
  readonly flavour: TraceFlavour;
  /** Written as `# area name=size@base` comment lines, read back by importTrace. */
  readonly areas?: readonly TraceArea[];
  /** Number of CPUs for the `#P:` header field; default: highest CPU seen + 1. */
  readonly cpus?: number;
}

const TRACE_TYPES: ReadonlySet<string> = new Set(TRACE_EVENT_TYPES);

/** The trace-equivalent events of a run's log (envelopes or any `{ time, event }`), in log order. */
export function traceEventsOf(log: Iterable<{ readonly time: number; readonly event: { readonly type: string } }>): TimedTraceEvent[] {
  const out: TimedTraceEvent[] = [];
  for (const { time, event } of log) if (TRACE_TYPES.has(event.type)) out.push({ time, event: event as TraceEvent });
  return out;
}

/** The kernel's task comm holds at most 15 characters (TASK_COMM_LEN - 1). */
const COMM_MAX = 15;

const COLUMNS = [
  '#                                _-----=> irqs-off/BH-disabled',
  '#                               / _----=> need-resched',
  '#                              | / _---=> hardirq/softirq',
  '#                              || / _--=> preempt-depth',
  '#                              ||| / _-=> migrate-disable',
  '#                              |||| /     delay',
  '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION',
  '#              | |         |   |||||     |         |',
];

/** `<seconds>.<micro>` as the kernel prints it: microseconds truncated, seconds padded to 5. */
export function formatTimestamp(ns: number): string {
  const us = Math.floor(ns / 1000);
  return `${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}`;
}

/**
 * The full line, or null where the kernel of that format printed none for the event. One line
 * whatever the names hold: control characters (a newline in a device name) are escaped.
 */
export function formatTraceLine(time: number, e: TraceEvent, flavour: TraceFlavour): string | null {
  const body = formatTraceEvent(e, flavour);
  if (body === null) return null;
  const comm = printable(e.task.comm).slice(0, COMM_MAX).padStart(16);
  const pid = String(e.task.pid).padEnd(7);
  const cpu = String(e.task.cpu).padStart(3, '0');
  return `${comm}-${pid} [${cpu}] ..... ${formatTimestamp(time)}: ${printable(body)}`;
}

export function exportTrace(entries: readonly TimedTraceEvent[], opts: ExportOptions): string {
  const cpus = opts.cpus ?? entries.reduce((m, x) => Math.max(m, x.event.task.cpu + 1), 1);
  const lines: string[] = [];
  for (const { time, event } of entries) {
    const line = formatTraceLine(time, event, opts.flavour);
    if (line !== null) lines.push(line);
  }
  const out = [
    '# tracer: nop',
    '#',
    `# entries-in-buffer/entries-written: ${lines.length}/${lines.length}   #P:${cpus}`,
    '#',
    ...COLUMNS,
    ...(opts.areas ?? []).map((a) => `${AREA_COMMENT}${printable(formatAreaOption(a))}`),
    ...lines,
  ];
  return `${out.join('\n')}\n`;
}
