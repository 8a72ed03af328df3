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
import { calibrate, formatCalibration } from './calibrate.ts';
import { compareRuns } from './compareRuns.ts';
import { formatDivergence } from './formatDivergence.ts';
import { importTrace, type ImportedTrace } from './importTrace.ts';
import { areasFromDmesg, formatAreaOption, parseAreaOption, ramFromDmesg, type TraceArea } from './traceAreas.ts';
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
  /** With `calibrate`: run again with the fitted costs and report the agreement after the fit. */
  readonly applyCalibration?: boolean;
  /** Runs a scenario input to its end and returns its request records. */
  readonly simulate: (scenario: ScenarioInput) => readonly RequestRecord[];
}

interface Loaded {
  readonly trace: ImportedTrace;
  readonly areas: readonly TraceArea[];
  readonly ram: number | null;
}

function load(opts: TraceCommandOptions): Loaded {
  const trace = importTrace(opts.text ?? readFileSync(opts.file, 'utf8'), { file: opts.file, allowUnfinished: opts.allowUnfinished });
  const log = opts.dmesg === undefined ? null : readFileSync(opts.dmesg, 'utf8');
  // Later sources win: boot log < the trace's own console lines and `# area` comments < --area.
  const areas = [...(log ? areasFromDmesg(log) : []), ...trace.areas, ...(opts.area ?? []).map(parseAreaOption)];
  return { trace, areas, ram: log ? ramFromDmesg(log) : null };
}

/** What was read: source, generation, counts, skipped events, areas. */
export function formatImportSummary(trace: ImportedTrace, areas: readonly TraceArea[] = trace.areas): string {
  const ok = trace.requests.filter((r) => r.ok).length;
  const skipped = Object.entries(trace.skipped).map(([k, v]) => `${k} ${v}`).join(', ');
  const lines = [
    `${trace.file}: ${trace.source} text, ${trace.lines} lines, cma events of the ${trace.generation ?? 'no'} generation`,
    `requests: ${trace.requests.length} (${ok} succeeded, ${trace.requests.length - ok} failed), busy retries ${trace.requests.reduce((a, r) => a + r.busyRetries, 0)}, releases ${trace.releases.length}`,
    `skipped ${trace.skippedTotal} other event lines${skipped ? `: ${skipped}` : ''}`,
  ];
  if (trace.lostEvents > 0 || trace.overrun) lines.push(`ring buffer lost events (lost ${trace.lostEvents}, overrun ${trace.overrun}); ${trace.orphans} finishes without start ignored`);
  if (trace.unfinished > 0) lines.push(`${trace.unfinished} requests unfinished at the end of the trace were dropped`);
  lines.push(`areas: ${areas.length > 0 ? areas.map(formatAreaOption).join(' ') : 'none declared'}`);
  return `${lines.join('\n')}\n`;
}

export function runImport(opts: ImportCommandOptions): string {
  const { trace, areas, ram } = load(opts);
  const scenario = (opts.edit ?? ((x) => x))(traceToScenario(trace, { areas, ram }));
  const json = `${JSON.stringify(scenario, null, 2)}\n`;
  if (opts.out === undefined) return json;
  writeFileAtomic(opts.out, json);
  return `${formatImportSummary(trace, traceReplay(trace, areas).areas)}scenario written to ${opts.out}\n`;
}

export function runReplayTrace(opts: ReplayCommandOptions): string {
  const { trace, areas, ram } = load(opts);
  const scenario = (opts.edit ?? ((x) => x))(traceToScenario(trace, { areas, ram }));
  const used = traceReplay(trace, areas).areas;
  const report = compareRuns(trace.requests, opts.simulate(scenario), { areas: used });
  const parts = [formatImportSummary(trace, used), formatDivergence(report)];
  if (opts.calibrate) {
    const fit = calibrate(trace);
    parts.push(formatCalibration(fit));
    if (opts.applyCalibration) {
      const tuned = { ...scenario, costs: { ...(scenario.costs as Record<string, unknown> | undefined), ...fit.costs } } as ScenarioInput;
      parts.push(`with the suggested costs applied:\n${formatDivergence(compareRuns(trace.requests, opts.simulate(tuned), { areas: used }))}`);
    }
  }
  return parts.join('\n');
}
