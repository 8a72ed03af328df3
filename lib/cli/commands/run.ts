import { exportLog } from '../../history/index.ts';
import { isFatal, runScenario, type RunOutcome } from '../../scenario/runScenario.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { CHECK_MODES } from '../../scenario/invariants.ts';
import { COMMON_OPTIONS, QUIET_OPTION, read, type Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import { printable } from '../../text/escape.ts';
import { KEY_HELP, KEY_OPTION, readLogKey } from '../logKey.ts';
import { FORCE_HELP, FORCE_OPTION, OutputSet } from '../outputDir.ts';
import { progressFor } from '../progress.ts';
import type { RunData } from '../../report/index.ts';
import { FORMAT_FILES, FORMATS, liveRunData, needsRunData, type LiveRunData, AT_HELP, AT_OPTION, readAt, readTraceFormat, Renderer, TRACE_FORMAT_HELP, type Format, type TraceFlavour } from '../render.ts';
import { reportSectionOf, resolveScenario, runnableSource, type ScenarioArg } from '../scenarioArg.ts';
import { applyBootAreas, type BootSources } from '../bootAreas.ts';
import { applySets, readSets, SET_HELP, SET_OPTION, type SetEdit } from '../setOption.ts';
import { summaryText } from '../summary.ts';

export interface RunCliOptions {
  /** Scenario file (`-`: JSON on standard input); null: the embedded default scenario. */
  readonly scenario: string | null;
  readonly sets: SetEdit[];
  /** Areas from a kernel command line and/or device tree, replacing the scenario's. */
  readonly boot: BootSources;
  readonly seed?: number;
  readonly until?: number;
  readonly out?: string;
  readonly formats: Format[];
  /** undefined: the run's kernel profile's format. */
  readonly traceFormat?: TraceFlavour;
  readonly checkInvariants: boolean;
  /** `--check full`: the whole-state walk after every event. */
  readonly checkFull: boolean;
  readonly maxEvents?: number;
  /** Memory budget for the model state (bytes); a machine needing more is refused before boot. */
  readonly maxMemory?: number;
  readonly quiet: boolean;
  readonly force: boolean;
  /** `--key env:NAME|file:PATH`: chain log.jsonl with an HMAC under that secret. */
  readonly key?: string;
  /** `--at T`: the simulated time the kernel-file formats show. */
  readonly at?: number;
}

/** Log header meta: enough to rebuild the initial state from the log alone (replay, report). */
export function logMeta(s: Scenario, o: RunOutcome, source: string | null): Record<string, unknown> {
  return {
    scenario: s.source, until: o.summary.until, now: o.summary.simTimeNs, stopReason: o.summary.stopReason,
    assertions: o.summary.assertions, ...(source !== null ? { source } : {}),
  };
}

/** The files of `run --out`, written as one set (see OutputSet); `key` HMAC-chains the log. */
export function writeRunOutputs(set: OutputSet, s: Scenario, o: RunOutcome, formats: readonly Format[], r: Renderer, source: string | null, key?: Uint8Array): string[] {
  const until = o.summary.until;
  set.write('scenario.json', JSON.stringify({ ...s.source, seed: o.seed, until }, null, 2) + '\n');
  set.write('summary.json', JSON.stringify(o.summary, null, 2) + '\n');
  exportLog(set.path('log.jsonl'), o.history, o.seed, logMeta(s, o, source), { key });
  for (const f of formats) set.write(FORMAT_FILES[f], r.render(f));
  return set.commit();
}

export const runCommand: Command<RunCliOptions> = {
  name: 'run',
  summary: 'run a scenario and print its report',
  usage: 'run [scenario.json|scenario.ts|-] [options]',
  options: {
    ...COMMON_OPTIONS, ...QUIET_OPTION,
    seed: { type: 'string' },
    until: { type: 'string' },
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f', multiple: true },
    'trace-format': { type: 'string' },
    'check-invariants': { type: 'boolean' },
    check: { type: 'string' },
    'max-events': { type: 'string' },
    'max-memory': { type: 'string' },
    ...FORCE_OPTION,
    ...SET_OPTION,
    cmdline: { type: 'string' },
    dts: { type: 'string' },
    ...KEY_OPTION,
    ...AT_OPTION,
  },
  optionHelp: [
    ['--seed N', 'PRNG seed (default: the scenario\'s seed)'],
    SET_HELP,
    ['--cmdline "cma=..."', 'boot with the areas this kernel command line declares (cma=, hugetlb_cma=, cma_pernuma=, numa_cma=), replacing the scenario\'s'],
    ['--dts FILE', 'boot with the CMA areas of this device tree\'s /reserved-memory node (with --cmdline: both, as the kernel does)'],
    ['--until T', 'simulated end time, e.g. 10s, 250ms (default: the scenario\'s)'],
    ['--out DIR', 'write scenario.json, log.jsonl, summary.json and one file per --format'],
    ['--format F', `${FORMATS.join('|')}; repeat or comma-separate (default: text)`],
    AT_HELP,
    TRACE_FORMAT_HELP,
    ['--check-invariants', 'check model invariants after every event, on what the event changed; a violation exits 1'],
    ['--check full', 'check them by walking the whole state after every event instead (slow: cross-checks the incremental check)'],
    ['--max-events N', 'stop after N events (default 50000000); the summary says which bound stopped the run'],
    ['--max-memory SIZE', 'memory budget for the model state (default 4G, about 64 bytes per page): a larger machine is refused, naming the field'],
    FORCE_HELP,
    KEY_HELP,
    ['--quiet', 'no progress bar'],
  ],
  examples: [
    'cma-sim run                                  # the embedded default scenario',
    'cma-sim run examples/basic.ts --seed 7 --until 500ms',
    'cma-sim run my.json --out results --format text,json',
    'cma-sim run my.json --check-invariants --quiet',
    'cma-sim run my.json --cmdline "console=ttyS0 cma=64M@0-0x40000000" --set cma.areas[0].allocator=best-fit',
  ],
  parse(v, pos) {
    read.maxPositionals(pos, 1, 'run');
    const formats = read.choices(v.format, '--format', FORMATS, ['text']);
    if (v.out === undefined && formats.length > 1) throw new UsageError('several --format values need --out DIR', 'run');
    if (v.force && v.out === undefined) throw new UsageError('--force only makes sense with --out DIR', 'run');
    if (v.key !== undefined && v.out === undefined) throw new UsageError('--key only makes sense with --out DIR (it keys log.jsonl)', 'run');
    return {
      scenario: pos[0] ?? null,
      sets: readSets(v.set),
      boot: { cmdline: v.cmdline as string | undefined, dts: v.dts as string | undefined },
      seed: read.seed(v.seed),
      until: read.duration(v.until, '--until'),
      out: v.out as string | undefined,
      formats,
      traceFormat: readTraceFormat(v['trace-format']),
      checkInvariants: v['check-invariants'] === true || v.check !== undefined,
      checkFull: read.choices(v.check, '--check', CHECK_MODES, ['incremental'])[0] === 'full',
      maxEvents: read.positiveInt(v['max-events'], '--max-events'),
      ...(v['max-memory'] !== undefined ? { maxMemory: read.size(v['max-memory'], '--max-memory') } : {}),
      quiet: v.quiet === true,
      force: v.force === true,
      ...(v.key !== undefined ? { key: String(v.key) } : {}),
      ...readAt(v.at, formats, 'run'),
    };
  },
  async run(o, io) {
    const arg = await resolveScenario(o.scenario, io, { maxMemory: o.maxMemory });
    const loaded = arg.scenario;
    const budget = { maxMemory: o.maxMemory };
    const s = applySets(applyBootAreas(loaded, o.boot, budget), o.sets, budget);
    const key = readLogKey(o.key);
    const set = o.out !== undefined ? OutputSet.open(o.out, o.force) : null;
    const progress = progressFor(io, o.quiet);
    const live: { collector?: LiveRunData } = {};
    const observe = needsRunData(o.formats) ? (e: Parameters<typeof liveRunData>[0]) => { live.collector = liveRunData(e, o.until ?? s.until); } : undefined;
    try {
      let outcome: RunOutcome;
      try {
        outcome = runScenario(s, { seed: o.seed, until: o.until, checkInvariants: o.checkInvariants, checkFull: o.checkFull, maxEvents: o.maxEvents, onProgress: progress.onProgress, observe });
      } finally {
        progress.done();
      }
      const data = live.collector?.finish(outcome.summary) ?? null;
      await report(io, s, outcome, o, s !== loaded ? null : arg, set, key, data);
      return isFatal(outcome.summary) ? EXIT.failed : EXIT.ok;
    } finally {
      set?.abort();
    }
  },
};

/** `arg` null: --set, --cmdline or --dts changed the scenario, so its module's extras (report section, runnable) no longer describe it. */
async function report(io: Io, s: Scenario, outcome: RunOutcome, o: RunCliOptions, arg: ScenarioArg | null, set: OutputSet | null, key: Uint8Array | undefined, data: RunData | null): Promise<void> {
  const r = new Renderer({ summary: outcome.summary, history: outcome.history, traceFormat: o.traceFormat, at: o.at, data });
  if (set === null) {
    io.out(r.render(o.formats[0], io.columns));
    const section = o.formats[0] === 'text' && arg !== null ? reportSectionOf(arg) : null;
    if (section) io.out(`\n${section(outcome.history)}\n`);
    return;
  }
  const files = writeRunOutputs(set, s, outcome, o.formats, r, arg === null ? null : runnableSource(arg), key);
  if (!o.quiet) io.out(`${summaryText(outcome.summary)}wrote ${printable(files.join(', '))}\n`);
}
