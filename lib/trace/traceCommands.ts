/**
 * The `import` and `replay-trace` commands as plain functions (the CLI parses argv, prints the
 * returned text, maps a thrown error's message to stderr and an exit code):
 *
 *   cma-sim import <trace.txt> [--area name=size@base]... [--dmesg boot.log] [--out scenario.json]
 *   cma-sim replay-trace <trace.txt> [--area ...] [--dmesg ...] [--calibrate]
 *
 * `replay-trace` needs a simulation; it is passed in (`simulate`) so that this module stays a
 * translator between traces and scenarios and does not depend on the scenario runner.
 */
import { readFileSync } from 'node:fs';
import type { RequestRecord } from '../../models/cma/request.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import type { ScenarioInput } from '../scenario/scenario.ts';
import { calibrate, checkCalibration, formatCalibration, formatCheck } from './calibrate.ts';
import { compareRuns, type DivergenceReport } from './compareRuns.ts';
import { formatDivergence } from './formatDivergence.ts';
import { importTrace, type ImportedTrace } from './importTrace.ts';
import { areasFromDmesg, formatAreaOption, parseAreaOption, ramFromDmesg, type TraceArea } from './traceAreas.ts';
import { kernelsForFormats, pickKernel, type PickedKernel } from './traceKernel.ts';
import { traceReplay, traceToScenario } from './traceToScenario.ts';

export interface TraceCommandOptions {
  /** Path of the trace text. */
  readonly file: string;
  /** The trace text, if already read (tests, stdin). */
  readonly text?: string;
  /** `--area name=size@base` values, in order. */
  readonly area?: readonly string[];
  /** `--dmesg <file>`: the traced kernel's boot log, for area bases and RAM size. */
  readonly dmesg?: string;
  readonly allowUnfinished?: boolean;
  /** Edits the imported scenario before it is written or run (the CLI's `--set`). */
  readonly edit?: (scenario: ScenarioInput) => ScenarioInput;
}

export interface ImportCommandOptions extends TraceCommandOptions {
  /** Write the scenario JSON here and return a summary; without it the JSON is returned. */
  readonly out?: string;
}

export interface ReplayCommandOptions extends TraceCommandOptions {
  readonly calibrate?: boolean;
  /** Also run the conditioned replay: the traced busy retries happen where the trace shows them. */
  readonly followBusy?: boolean;
  /** With `calibrate`: run again with the fitted costs and report the agreement after the fit. */
  readonly applyCalibration?: boolean;
  /** With `calibrate`: another trace the fit predicts, to report its error beside the fit's own. */
  readonly checkOn?: string;
  /** Runs a scenario input to its end and returns its request records. */
  readonly simulate: (scenario: ScenarioInput) => readonly RequestRecord[];
}

interface Loaded {
  readonly trace: ImportedTrace;
  readonly areas: readonly TraceArea[];
  readonly ram: number | null;
  readonly kernel: PickedKernel | null;
}

function load(opts: TraceCommandOptions): Loaded {
  const trace = importTrace(opts.text ?? readFileSync(opts.file, 'utf8'), { file: opts.file, allowUnfinished: opts.allowUnfinished });
  const log = opts.dmesg === undefined ? null : readFileSync(opts.dmesg, 'utf8');
  // Later sources win: boot log < the trace's own console lines and `# area` comments < --area.
  const areas = [...(log ? areasFromDmesg(log) : []), ...trace.areas, ...(opts.area ?? []).map(parseAreaOption)];
  return { trace, areas, ram: log ? ramFromDmesg(log) : null, kernel: pickKernel(trace.formats, log) };
}

const LAYOUTS: Readonly<Record<ImportedTrace['source'], string>> = {
  ftrace: 'ftrace text (tracefs trace file layout)', trace_pipe: 'trace_pipe text (no header)', 'trace-cmd': 'trace-cmd report text',
};

/** What was read: layout, format, counts, skipped events, areas, and the kernel profile used. */
export function formatImportSummary(trace: ImportedTrace, areas: readonly TraceArea[] = trace.areas, kernel: PickedKernel | null = null): string {
  const ok = trace.requests.filter((r) => r.ok).length;
  const skipped = Object.entries(trace.skipped).map(([k, v]) => `${k} ${v}`).join(', ');
  const kernels = kernelsForFormats(trace.formats);
  const lines = [
    `${trace.file}: ${trace.source} text, ${trace.lines} lines, cma events of the ${trace.generation ?? 'no'} generation${kernels.length > 0 ? ` (printed by kernels ${kernels.join(', ')})` : ''}`,
    `layout detected: ${LAYOUTS[trace.source]}`,
    `requests: ${trace.requests.length} (${ok} succeeded, ${trace.requests.length - ok} failed), busy retries ${trace.requests.reduce((a, r) => a + r.busyRetries, 0)}, releases ${trace.releases.length}`,
    `skipped ${trace.skippedTotal} other event lines${skipped ? `: ${skipped}` : ''}`,
  ];
  if (trace.lostEvents > 0 || trace.overrun) lines.push(`ring buffer lost events (lost ${trace.lostEvents}, overrun ${trace.overrun}); ${trace.orphans} finishes without start ignored`);
  if (trace.unfinished > 0) lines.push(`${trace.unfinished} requests unfinished at the end of the trace were dropped`);
  lines.push(`areas: ${areas.length > 0 ? areas.map(formatAreaOption).join(' ') : 'none declared'}`);
  if (kernel !== null) lines.push(`kernel profile: ${kernel.version} (${kernel.reason})`);
  return `${lines.join('\n')}\n`;
}

/** The trace as a scenario, with the command's `--set` edits applied (every run of a command uses it). */
function scenarioOf(opts: TraceCommandOptions, loaded: ReturnType<typeof load>, followBusy = false): ScenarioInput {
  const { trace, areas, ram, kernel } = loaded;
  return (opts.edit ?? ((x) => x))(traceToScenario(trace, { areas, ram, kernel: kernel?.version, ...(followBusy ? { followBusy } : {}) }));
}

export function runImport(opts: ImportCommandOptions): string {
  const loaded = load(opts);
  const { trace, areas, kernel } = loaded;
  const scenario = scenarioOf(opts, loaded);
  const json = `${JSON.stringify(scenario, null, 2)}\n`;
  if (opts.out === undefined) return json;
  writeFileAtomic(opts.out, json);
  return `${formatImportSummary(trace, traceReplay(trace, areas).areas, kernel)}scenario written to ${opts.out}\n`;
}

export function runReplayTrace(opts: ReplayCommandOptions): string {
  const loaded = load(opts);
  const { trace, areas, kernel } = loaded;
  const scenario = scenarioOf(opts, loaded);
  const used = traceReplay(trace, areas).areas;
  const report = compareRuns(trace.requests, opts.simulate(scenario), { areas: used });
  const parts = [formatImportSummary(trace, used, kernel), formatDivergence(report)];
  if (opts.followBusy) {
    const conditioned = compareRuns(trace.requests, opts.simulate(scenarioOf(opts, loaded, true)), { areas: used });
    parts.push(formatConditioned(report, conditioned));
  }
  if (opts.calibrate) {
    const fit = calibrate(trace);
    parts.push(formatCalibration(fit));
    if (opts.checkOn !== undefined) {
      const other = importTrace(readFileSync(opts.checkOn, 'utf8'), { file: opts.checkOn, allowUnfinished: opts.allowUnfinished });
      parts.push(formatCheck(checkCalibration(fit, trace, other), trace.file, other.file));
    }
    if (opts.applyCalibration) {
      const tuned = { ...scenario, costs: { ...(scenario.costs as Record<string, unknown> | undefined), ...fit.costs } } as ScenarioInput;
      parts.push(`with the suggested costs applied:\n${formatDivergence(compareRuns(trace.requests, opts.simulate(tuned), { areas: used }))}`);
    }
  }
  return parts.join('\n');
}

/**
 * The two figures of --follow-busy: predicted (the model decides every busy retry) and
 * conditioned (the candidates the kernel found busy fail there too), then the conditioned run's
 * divergence.
 */
function formatConditioned(predicted: DivergenceReport, conditioned: DivergenceReport): string {
  const fig = (r: DivergenceReport): string =>
    `outcome ${r.outcomeAgree}/${r.compared}, placement ${r.placementAgree}/${r.placementCompared}, busy retries ${r.retriesAgree}/${r.compared}`;
  return [
    '--follow-busy: the traced kernel\'s busy retries are made to happen in the model where the trace shows them',
    `predicted:   ${fig(predicted)}`,
    `conditioned: ${fig(conditioned)}`,
    '',
    formatDivergence(conditioned),
  ].join('\n');
}
