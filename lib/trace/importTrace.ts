/**
 * Reads ftrace text (`/sys/kernel/tracing/trace`, `trace_pipe`, `trace-cmd report`) line by line,
 * decodes the CMA, migration and isolation tracepoints, counts the other events, and pairs
 * allocations into requests. Errors are TraceFormatError: file, line, field, what was expected.
 */
import { parseTraceLine } from './traceLine.ts';
import { TRACE_FORMATS, type TraceFormat } from '../../models/kernel/profile.ts';
import { decodeEvent, isKnownEvent, UnknownFormatError, type Generation } from './decodeEvent.ts';
import { FieldError } from './fieldList.ts';
import { pairRequests, type ImportedEvent, type TraceMarker } from './pairRequests.ts';
import { AREA_COMMENT, areasFromDmesg, mergeAreas, parseAreaOption, type TraceArea } from './traceAreas.ts';
import { TraceFormatError } from './traceError.ts';
import type { TraceRequest, TraceRelease } from './traceRequest.ts';

export type TraceSource = 'ftrace' | 'trace_pipe' | 'trace-cmd';

export interface ImportOptions {
  /** Name used in error messages. */
  readonly file?: string;
  /** Drop allocations still open at the end of the trace instead of failing. */
  readonly allowUnfinished?: boolean;
}

export interface ImportedTrace {
  readonly file: string;
  /** The layout detected (ftrace `trace` with its header, `trace_pipe` lines, `trace-cmd report`). */
  readonly source: TraceSource;
  /**
   * The kernel trace format of the cma lines (include/trace/events/cma.h): the oldest of the
   * formats every line allows; null if the trace has no cma_alloc lines.
   */
  readonly generation: Exclude<TraceFormat, 'none'> | null;
  /** Every format the cma lines allow, oldest first (a trace of start lines only fits 6.1 and 6.6/6.12). */
  readonly formats: readonly TraceFormat[];
  readonly events: readonly ImportedEvent[];
  readonly markers: readonly TraceMarker[];
  readonly requests: readonly TraceRequest[];
  readonly releases: readonly TraceRelease[];
  /** Areas from printk:console boot messages, overridden by `# area ...` comment lines. */
  readonly areas: readonly TraceArea[];
  /** Event lines of other tracepoints, by event name (insertion order = first seen). */
  readonly skipped: Readonly<Record<string, number>>;
  readonly skippedTotal: number;
  /** Events the ring buffer reported lost, and whether it overran (oldest events gone). */
  readonly lostEvents: number;
  readonly overrun: boolean;
  readonly orphans: number;
  readonly unfinished: number;
  readonly migrationsOutside: number;
  readonly lines: number;
}

/** trace-cmd's `version = N` header: the text report layout of trace.dat v6 and v7. */
const TRACE_CMD_VERSIONS = [6, 7];

interface ScanState {
  source: TraceSource | null;
  /** Label of the first cma line that narrowed the format, for messages. */
  generation: Generation | null;
  generationLine: number;
  /** Formats every cma line so far allows; null before the first. */
  formats: readonly TraceFormat[] | null;
  entries: number | null;
  lostEvents: number;
  overrun: boolean;
  eventLines: number;
}

function header(file: string, st: ScanState, raw: string, lineNo: number, areas: TraceArea[]): boolean {
  const line = raw.trim();
  if (line === '') return true;
  if (line.startsWith('#')) {
    if (st.source === null && line.startsWith('# tracer:')) st.source = 'ftrace';
    const entries = /entries-in-buffer\/entries-written:\s*(\d+)\/(\d+)/.exec(line);
    if (entries) {
      st.entries = Number(entries[1]);
      if (Number(entries[1]) < Number(entries[2])) st.overrun = true;
    }
    if (/^#{5} CPU \d+ buffer started #{4}/.test(line)) st.overrun = true;
    if (raw.startsWith(AREA_COMMENT)) {
      try {
        areas.push(parseAreaOption(raw.slice(AREA_COMMENT.length)));
      } catch (e) {
        throw new TraceFormatError(file, lineNo, (e as Error).message.replace(/^--area /, 'area comment '));
      }
    }
    return true;
  }
  const version = /^version = (\S+)$/.exec(line);
  if (version) {
    if (!TRACE_CMD_VERSIONS.includes(Number(version[1]))) {
      throw new TraceFormatError(file, lineNo, `unknown trace-cmd format version '${version[1]}' (expected ${TRACE_CMD_VERSIONS.join(' or ')})`);
    }
    st.source = 'trace-cmd';
    return true;
  }
  if (/^cpus=\d+$/.test(line) || /^CPU \d+ is empty$/.test(line)) {
    st.source ??= 'trace-cmd';
    return true;
  }
  const lost = /^CPU:?\s*\d+ \[LOST (\d+) EVENTS\]$/.exec(line);
  if (lost) {
    st.lostEvents += Number(lost[1]);
    return true;
  }
  // Stack traces and other continuation lines some options add under an event.
  return line.startsWith('=>') || line.startsWith('<stack trace>') || line.startsWith('<user stack trace>');
}

function noteFormats(file: string, st: ScanState, g: Generation | null, formats: readonly TraceFormat[] | null, lineNo: number): void {
  if (formats === null) return;
  if (st.formats === null) {
    st.formats = formats;
    st.generation = g;
    st.generationLine = lineNo;
    return;
  }
  const both = st.formats.filter((f) => formats.includes(f));
  if (both.length === 0) {
    throw new TraceFormatError(file, lineNo,
      `unknown format version: cma events of the '${g}' generation after '${st.generation}' ones (line ${st.generationLine}); no kernel prints both`);
  }
  st.formats = both;
}

function truncated(file: string, line: number, what: string): TraceFormatError {
  return new TraceFormatError(file, line, `file truncated: the last line ends mid-record (${what})`);
}

export function importTrace(text: string, opts: ImportOptions = {}): ImportedTrace {
  const file = opts.file ?? '<trace>';
  const st: ScanState = { source: null, generation: null, generationLine: 0, formats: null, entries: null, lostEvents: 0, overrun: false, eventLines: 0 };
  const events: ImportedEvent[] = [];
  const markers: TraceMarker[] = [];
  const areas: TraceArea[] = [];
  // printk:console events carry the kernel log, boot messages about CMA areas included.
  const consoleLines: string[] = [];
  // A Map: event names are arbitrary words (a '__proto__' event must not touch a prototype).
  const skipped = new Map<string, number>();
  let skippedTotal = 0;
  let lineNo = 0;
  let pos = 0;
  const endsWithNewline = text.endsWith('\n');
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const raw = text.charCodeAt(nl - 1) === 13 ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    pos = nl + 1;
    lineNo += 1;
    const cutShort = pos >= text.length && !endsWithNewline;
    const tl = parseTraceLine(raw);
    if (!tl) {
      if (header(file, st, raw, lineNo, areas)) continue;
      if (cutShort) throw truncated(file, lineNo, 'no event line prefix');
      throw new TraceFormatError(file, lineNo,
        `not an ftrace line: expected '<comm>-<pid> [<cpu>] <flags> <seconds>.<micro>: <event>: <fields>', got '${raw.slice(0, 80)}'`);
    }
    st.source ??= 'trace_pipe';
    st.eventLines += 1;
    if (tl.event === 'tracing_mark_write') markers.push({ line: lineNo, time: tl.time, text: tl.body });
    else if (tl.event === 'console') consoleLines.push(tl.body);
    if (!isKnownEvent(tl.event)) {
      skipped.set(tl.event, (skipped.get(tl.event) ?? 0) + 1);
      skippedTotal += 1;
      continue;
    }
    try {
      const d = decodeEvent(tl.event, { comm: tl.comm, pid: tl.pid, cpu: tl.cpu }, tl.body);
      noteFormats(file, st, d.generation, d.formats, lineNo);
      events.push({ line: lineNo, time: tl.time, event: d.event, missing: d.missing });
    } catch (e) {
      if (cutShort) throw truncated(file, lineNo, `${tl.event}: ${(e as Error).message}`);
      if (e instanceof FieldError) throw new TraceFormatError(file, lineNo, `malformed ${tl.event} line: ${e.message}`, e.field);
      if (e instanceof UnknownFormatError) throw new TraceFormatError(file, lineNo, e.message);
      throw e;
    }
  }
  if (st.entries !== null && st.eventLines < st.entries) {
    throw new TraceFormatError(file, lineNo,
      `file truncated: the header announces ${st.entries} entries but the file ends after ${st.eventLines}`);
  }
  if (st.source === null) throw new TraceFormatError(file, null, 'no ftrace header and no event lines: not a trace');
  const lossy = st.overrun || st.lostEvents > 0;
  const formats = st.formats === null ? [] : TRACE_FORMATS.filter((f) => st.formats!.includes(f));
  const generation = (formats[0] ?? null) as ImportedTrace['generation'];
  const paired = pairRequests(events, markers, {
    file, lossy, allowUnfinished: opts.allowUnfinished ?? false, single: generation === 'single',
  });
  return {
    file, source: st.source, generation, formats, events, markers,
    areas: mergeAreas(areasFromDmesg(consoleLines.join('\n')), areas), skipped: Object.fromEntries(skipped), skippedTotal,
    lostEvents: st.lostEvents, overrun: st.overrun, lines: lineNo, ...paired,
  };
}
