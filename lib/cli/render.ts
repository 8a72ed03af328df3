import type { SimEvent } from '../../events/index.ts';
import type { SimState } from '../../models/state.ts';
import type { History } from '../history/index.ts';
import { collectRunData, renderReport, REPORT_FILE, REPORT_FORMATS, type ReportFormat, type RunData } from '../report/index.ts';
import type { RunSummary } from '../scenario/runScenario.ts';
import { exportTrace, traceEventsOf, TRACE_FLAVOURS, type TraceFlavour } from '../trace/index.ts';
import { summaryText } from './summary.ts';

export const FORMATS = [...REPORT_FORMATS, 'ftrace'] as const satisfies readonly string[];
export type Format = ReportFormat | 'ftrace';
export { TRACE_FLAVOURS, type TraceFlavour };

/** File name of each format inside --out. */
export const FORMAT_FILES: Readonly<Record<Format, string>> = { ...REPORT_FILE, ftrace: 'trace.txt' };

/** A finished run (live or rebuilt from a log), as the renderers need it. */
export interface RenderInput {
  readonly summary: RunSummary;
  readonly history: History<SimState, SimEvent>;
  readonly traceFormat: TraceFlavour;
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
    this.data ??= collectRunData(this.input.history, { scenario: this.input.summary.scenario, seed: this.input.summary.seed });
    return this.data;
  }

  render(format: Format): string {
    if (format === 'ftrace') return this.ftrace();
    const body = renderReport(this.runData(), format);
    return format === 'text' ? `${body}\n${summaryText(this.input.summary, true)}` : body;
  }

  private ftrace(): string {
    const final = this.input.history.engine.state.model;
    const pageSize = final.memory.config.pageSize;
    const areas = Object.values(final.cma.areas).map((a) => ({ name: a.name, size: a.count * pageSize, base: a.basePfn * pageSize }));
    return exportTrace(traceEventsOf(this.input.history.engine.log.envelopes()), { flavour: this.input.traceFormat, areas });
  }
}
