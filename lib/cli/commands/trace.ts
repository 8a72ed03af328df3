import { existsSync } from 'node:fs';
import path from 'node:path';
import { requestsOf } from '../../scenario/metrics.ts';
import { runScenario } from '../../scenario/runScenario.ts';
import { checkScenario, type ScenarioInput } from '../../scenario/scenario.ts';
import { runImport, runReplayTrace } from '../../trace/index.ts';
import { TraceFormatError } from '../../trace/traceError.ts';
import { ScenarioError } from '../../scenario/check.ts';
import { COMMON_OPTIONS, read, type Command } from '../command.ts';
import { EXIT, InputError, UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import { applySetsInput, readSets, SET_HELP, SET_OPTION, type SetEdit } from '../setOption.ts';
import { readStdin, STDIN } from '../stdin.ts';

/** The file, or the temporary sibling it is written through (`.<name>.<pid>.tmp`), of an --out FILE. */
function isOutput(file: string | undefined, out: string | undefined): boolean {
  if (file === undefined || out === undefined) return false;
  const [f, o] = [path.resolve(file), path.resolve(out)];
  return f === o || (path.dirname(f) === path.dirname(o) && path.basename(f).startsWith(`.${path.basename(o)}.`));
}

/** Trace problems, unreadable files, an unwritable --out and bad --area values are input errors (exit 2, one line). */
function asInput<T>(f: () => T, out?: string): T {
  try {
    return f();
  } catch (e) {
    const { code, path: file, syscall } = e as NodeJS.ErrnoException;
    if (e instanceof TraceFormatError || e instanceof ScenarioError) throw new InputError(e.message);
    if (code !== undefined && syscall !== undefined && isOutput(file, out)) throw new InputError(`--out ${out}: cannot write: ${code}`);
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new InputError(`${file ?? ''}: cannot read: ${code}`);
    if (e instanceof Error && /^--area /.test(e.message)) throw new InputError(e.message);
    throw e;
  }
}

const TRACE_OPTIONS = {
  ...SET_OPTION,
  area: { type: 'string', multiple: true },
  dmesg: { type: 'string' },
  'allow-unfinished': { type: 'boolean' },
} as const;

const TRACE_HELP: readonly (readonly [string, string])[] = [
  ['--area name=size@base', 'declare or override an area (repeatable), e.g. reserved=256M@0xf0000000'],
  ['--dmesg FILE', "the traced kernel's boot log, for area bases and RAM size"],
  ['--allow-unfinished', 'drop requests still unfinished at the end of the trace instead of failing'],
  [SET_HELP[0], 'edit any field of the imported scenario, e.g. costs.migratePerPage=2us as --calibrate suggests (repeatable)'],
];

interface TraceOpts {
  /** The trace file; `-`: standard input. */
  readonly file: string;
  readonly sets: SetEdit[];
  readonly area: string[];
  readonly dmesg?: string;
  readonly allowUnfinished: boolean;
}

function traceOpts(cmd: string, v: Record<string, unknown>, pos: readonly string[]): TraceOpts {
  read.maxPositionals(pos, 1, cmd);
  return {
    file: read.requiredPositional(pos, 0, "a trace file (ftrace text, trace_pipe or trace-cmd report; '-' for standard input)", cmd),
    sets: readSets(v.set), area: (v.area as string[] | undefined) ?? [], dmesg: v.dmesg as string | undefined, allowUnfinished: v['allow-unfinished'] === true,
  };
}

export const importCommand: Command<TraceOpts & { out?: string; force: boolean }> = {
  name: 'import',
  summary: 'turn a kernel ftrace of CMA events into a replay scenario',
  usage: 'import <trace.txt|-> [--area name=size@base ...] [--dmesg boot.log] [--out scenario.json [--force]]',
  options: { ...COMMON_OPTIONS, ...TRACE_OPTIONS, out: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
  optionHelp: [...TRACE_HELP, ['--out FILE', 'write the scenario JSON there (default: print it)'], ['--force', 'overwrite an existing --out file']],
  examples: ['cma-sim import trace.txt --dmesg dmesg.txt --out replay.json', 'cma-sim import trace.txt --area reserved=256M@0xf0000000 > replay.json'],
  parse(v, pos) {
    return { ...traceOpts('import', v, pos), out: v.out as string | undefined, force: v.force === true };
  },
  async run(o, io) {
    if (o.out !== undefined && existsSync(o.out) && !o.force) throw new InputError(`--out ${o.out}: file exists; pass --force to overwrite it`);
    const input = await traceInput(o, io);
    io.out(asInput(() => runImport(input), o.out));
    return EXIT.ok;
  },
};

/** Run an imported scenario and hand back its request records, for the divergence report. */
function simulate(input: ScenarioInput) {
  const o = runScenario(checkScenario(input));
  return requestsOf(o.history.engine.state.model);
}

/** What lib/trace's commands take: the trace text when it comes from standard input, `--set` as an edit. */
async function traceInput(o: TraceOpts, io: Io) {
  const stdin = o.file === STDIN;
  return {
    ...o, file: stdin ? '<stdin>' : o.file, text: stdin ? await readStdin(io) : undefined,
    edit: (s: ScenarioInput) => applySetsInput(s, o.sets),
  };
}

export const replayTraceCommand: Command<TraceOpts & { calibrate: boolean; applyCalibration: boolean; followBusy?: boolean; checkOn?: string }> = {
  name: 'replay-trace',
  summary: 'replay a kernel trace through the model and report where they diverge',
  usage: 'replay-trace <trace.txt|-> [--area name=size@base ...] [--dmesg boot.log] [--calibrate [--apply] [--check-on other.txt]] [--follow-busy]',
  options: { ...COMMON_OPTIONS, ...TRACE_OPTIONS, calibrate: { type: 'boolean' }, apply: { type: 'boolean' }, 'check-on': { type: 'string' }, 'follow-busy': { type: 'boolean' } },
  optionHelp: [
    ...TRACE_HELP,
    ['--calibrate', "fit the cost model's migration and isolation figures to the trace's latencies"],
    ['--apply', 'with --calibrate: run again with the suggested costs and print the agreement after the fit'],
    ['--check-on F', 'with --calibrate: predict another trace with the fit and print both errors (fit and check)'],
    ['--follow-busy', 'also replay with the busy retries where the trace shows them, and print both agreements'],
  ],
  examples: ['cma-sim replay-trace trace.txt --dmesg dmesg.txt', 'cma-sim replay-trace trace.txt --calibrate --apply', 'cma-sim replay-trace trace.txt --follow-busy'],
  parse(v, pos) {
    if (v.apply === true && v.calibrate !== true) throw new UsageError('--apply applies the fit of --calibrate; give both', 'replay-trace');
    if (v['check-on'] !== undefined && v.calibrate !== true) throw new UsageError('--check-on checks the fit of --calibrate; give both', 'replay-trace');
    return {
      ...traceOpts('replay-trace', v, pos), calibrate: v.calibrate === true, applyCalibration: v.apply === true,
      ...(v['follow-busy'] === true ? { followBusy: true } : {}),
      ...(typeof v['check-on'] === 'string' ? { checkOn: v['check-on'] } : {}),
    };
  },
  async run(o, io) {
    const input = await traceInput(o, io);
    io.out(asInput(() => runReplayTrace({ ...input, simulate })));
    return EXIT.ok;
  },
};
