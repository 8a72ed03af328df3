import type { SimEvent } from '../../events/index.ts';
import type { SimState } from '../../models/state.ts';
import type { History } from '../history/index.ts';
import type { Engine } from '../engine/index.ts';
import { collectRunData, KERNEL_FORMATS, kernelReport, recordRun, renderReport, REPORT_FILE, REPORT_FORMATS, type KernelFormat, type ReportFormat, type RunData } from '../report/index.ts';
import { formatDuration } from '../text/duration.ts';
import { read } from './command.ts';
import { InputError, UsageError } from './errors.ts';
import type { RunSummary } from '../scenario/runScenario.ts';
import { EXPORT_FORMATS, exportFormatOf, exportTrace, traceEventsOf, type TraceFlavour } from '../trace/index.ts';
import { summaryText } from './summary.ts';

export const FORMATS = [...REPORT_FORMATS, 'ftrace', ...KERNEL_FORMATS] as const satisfies readonly string[];
export type Format = ReportFormat | 'ftrace' | KernelFormat;
export { KERNEL_FORMATS };
export { type TraceFlavour };

/** `--trace-format`: one of the exporter's formats; absent, the run's kernel profile decides. */
export function readTraceFormat(v: unknown): TraceFlavour | undefined {
  return v === undefined ? undefined : read.choices(v, '--trace-format', EXPORT_FORMATS, [])[0];
}
export const TRACE_FORMAT_HELP: readonly [string, string] = ['--trace-format V', `ftrace field layout: ${EXPORT_FORMATS.join('|')} (default: the run's kernel profile's)`];

/** File name of each format inside --out. */
export const FORMAT_FILES: Readonly<Record<Format, string>> = {
  ...REPORT_FILE, ftrace: 'trace.txt', sysfs: 'sysfs.txt', meminfo: 'meminfo.txt', buddyinfo: 'buddyinfo.txt', pagetypeinfo: 'pagetypeinfo.txt',
};

const isKernel = (f: Format): f is KernelFormat => (KERNEL_FORMATS as readonly string[]).includes(f);

/** `--at T` of run and report: its declaration and help line, read by readAt. */
export const AT_OPTION = { at: { type: 'string' } } as const;
export const AT_HELP = ['--at T', 'with --format sysfs|meminfo|buddyinfo|pagetypeinfo: show the files as they were at simulated time T (default: the end)'] as const;

/** `--at T` of run and report: a time (0 allowed: the booted machine), only with a kernel-file format. */
export function readAt(v: unknown, formats: readonly Format[], cmd: string): { at?: number } {
  const at = read.duration(v, '--at', { zero: true });
  if (at === undefined) return {};
  if (!formats.some(isKernel)) throw new UsageError(`--at applies to --format ${KERNEL_FORMATS.join('|')}`, cmd);
  return { at };
}

/** Formats drawn from RunData (the others read the log or one state). */
export function needsRunData(formats: readonly Format[]): boolean {
  return formats.some((f) => (REPORT_FORMATS as readonly string[]).includes(f));
}

/**
 * The live report path: collect RunData from the engine's event stream while it runs (or folds a
 * log), on the grid of the run's planned end. `finish` hands it over when the run reached that end;
 * a run cut short (--max-events, an invariant) returns null, and its reports are collected from the
 * history afterwards, on the grid of where it stopped, as `report` on its log would.
 */
export interface LiveRunData {
  finish(end: Pick<RunSummary, 'scenario' | 'seed' | 'simTimeNs'>): RunData | null;
}

export function liveRunData(engine: Engine<SimState, SimEvent>, until: number, nextDue?: () => number): LiveRunData {
  const rec = recordRun(engine, until, {}, nextDue);
  return {
    finish(end) {
      const data = rec.finish({ scenario: end.scenario, seed: end.seed });
      return end.simTimeNs === until ? data : null;
    },
  };
}

/** A finished run (live or rebuilt from a log), as the renderers need it. */
export interface RenderInput {
  readonly summary: RunSummary;
  readonly history: History<SimState, SimEvent>;
  /** RunData collected while the run went (liveRunData); null or absent: collected from the history. */
  readonly data?: RunData | null;
  /** The ftrace format; undefined: the run's kernel profile's (exportFormatOf). */
  readonly traceFormat?: TraceFlavour;
  /** Simulated time (ns) the kernel-file formats show; default: the end of the run. */
  readonly at?: number;
}

/**
 * The one adapter between a finished run and the output formats: lib/report renders everything
 * from RunData (collected once per run), lib/trace prints the ftrace text; the text format adds
 * the run's own footer (stop reason, assertions, invariants, state hash).
 */
export class Renderer {
  private data: RunData | null = null;

  constructor(private readonly input: RenderInput) {}

  private runData(): RunData {
    this.data ??= this.input.data ?? collectRunData(this.input.history, { scenario: this.input.summary.scenario, seed: this.input.summary.seed });
    return this.data;
  }

  /** `width`: the terminal's columns when the text goes to one (files get full-width tables). */
  render(format: Format, width?: number): string {
    if (format === 'ftrace') return this.ftrace();
    if (isKernel(format)) return kernelReport(this.stateAt().model, format);
    const body = renderReport(this.runData(), format, width);
    return format === 'text' ? `${body}\n${summaryText(this.input.summary, true)}` : body;
  }

  /** The state after every event at or before --at (the end of the run without it). */
  private stateAt() {
    const { history, at } = this.input;
    if (at === undefined) return history.engine.state;
    const end = history.engine.now;
    if (at > end) throw new InputError(`--at ${formatDuration(at)}: after the end of the run (${formatDuration(end)})`);
    return history.stateAtTime(at);
  }

  private ftrace(): string {
    const final = this.input.history.engine.state.model;
    const pageSize = final.memory.config.pageSize;
    const areas = Object.values(final.cma.areas).map((a) => ({ name: a.name, size: a.count * pageSize, base: a.basePfn * pageSize }));
    return exportTrace(traceEventsOf(this.input.history.engine.log.envelopes()), { flavour: this.input.traceFormat ?? exportFormatOf(final.cma.kernel.traceFormat), areas });
  }
}
