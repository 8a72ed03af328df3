import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { InputError } from '../../io/inputError.ts';
import { shrink } from '../../explore/shrink.ts';
import { fmtChoices, fmtFailure } from '../../explore/summary.ts';
import { makeTrace, readTrace, replayTrace, runChoices, TraceError, traceScenario, withFaults } from '../../explore/trace.ts';
import { fmtFaults, fmtPerturb, shrinkFaults } from '../../explore/faults.ts';
import { COMMON_OPTIONS, read, type Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import { loadExploreScenario } from '../loadExploreScenario.ts';

export interface ReplayChoicesCliOptions {
  /** The scenario or race the trace was recorded from. */
  readonly scenario: string;
  /** The choice trace (written by explore). */
  readonly choices: string;
  readonly shrink: boolean;
  /** Where --shrink writes; undefined: <trace>.shrunk.json. */
  readonly out?: string;
}

/**
 * `cma-sim replay <scenario> --choices`: 0 the run passes, 1 it fails (reproduced), 2 a stale
 * trace or a recorded failure that did not reproduce. The table routes `replay` here when
 * --choices is on the command line (commands.ts findCommand).
 */
export const replayChoicesCommand: Command<ReplayChoicesCliOptions> = {
  name: 'replay',
  summary: 'replay an explorer choice trace',
  usage: 'replay <scenario | race1..race6> --choices trace.json [--shrink] [--out shrunk.json]',
  options: { ...COMMON_OPTIONS, choices: { type: 'string' }, shrink: { type: 'boolean' }, out: { type: 'string', short: 'o' } },
  optionHelp: [
    ['--choices TRACE', 'the choice trace to re-run exactly (written by explore); exit 1 when the run fails'],
    ['--shrink', 'minimise a failing trace (fewer non-default choices, a shorter run)'],
    ['--out FILE', 'where --shrink writes the shrunk trace (default <trace>.shrunk.json)'],
  ],
  examples: ['cma-sim explore race3-reserve-after --out found && cma-sim replay race3-reserve-after --choices found/failure-1-<check>.json --shrink'],
  parse(v, pos) {
    read.maxPositionals(pos, 1, 'replay');
    const scenario = read.requiredPositional(pos, 0, 'the scenario or race the trace was recorded from', 'replay');
    if (v.choices === undefined || v.choices === '') throw new UsageError('--choices <trace.json> is required', 'replay');
    if (v.out !== undefined && v.shrink !== true) throw new UsageError('--out only makes sense with --shrink (it names the shrunk trace)', 'replay');
    return { scenario, choices: String(v.choices), shrink: v.shrink === true, ...(v.out !== undefined ? { out: String(v.out) } : {}) };
  },
  async run(o, io) {
    try {
      return await replayChoices(o, io);
    } catch (e) {
      // A trace that does not fit the scenario is a bad input file.
      if (e instanceof TraceError) throw new InputError(e.message);
      throw e;
    }
  },
};

async function replayChoices(o: ReplayChoicesCliOptions, io: Io): Promise<number> {
  const file = o.choices;
  const scn = await loadExploreScenario(o.scenario);
  const trace = readTrace(file);
  const r = replayTrace(scn, trace, file);
  io.out(`${scn.name}: replayed ${trace.choices.length} choice(s) (${fmtChoices(trace.choices)})${trace.faults?.length ? ` with faults ${fmtFaults(trace.faults)}` : ''}${trace.perturb?.length ? ` with timings ${fmtPerturb(trace.perturb)}` : ''}, ${r.lastSeq} events, outcome ${r.outcome}\n`);
  if (!r.failure) {
    io.out(trace.failure ? `the recorded failure did NOT reproduce (expected: ${fmtFailure(trace.failure)})\n` : 'no failure\n');
    return trace.failure ? 2 : 0;
  }
  const same = trace.failure !== null && trace.failure.check === r.failure.check && trace.failure.seq === r.failure.seq && trace.failure.message === r.failure.message;
  io.out(`FAIL ${fmtFailure(r.failure)}${same ? ' (reproduced exactly)' : trace.failure ? ` (recorded: ${fmtFailure(trace.failure)})` : ''}\n`);
  if (o.shrink) {
    const s = shrink(traceScenario(scn, trace), r, trace.window);
    const kept = shrinkFaults(scn, trace, s.run.choices, trace.window, r.failure.check);
    const { faults, perturb } = kept;
    const outFile = o.out ?? file.replace(/(\.json)?$/, '.shrunk.json');
    const same = faults.length === (trace.faults ?? []).length && perturb.length === (trace.perturb ?? []).length;
    const run = same ? s.run : runChoices(traceScenario(scn, kept), s.run.choices, trace.window, false);
    writeFileAtomic(outFile, JSON.stringify({ ...makeTrace(scn, trace.window, run), ...(faults.length ? { faults } : {}), ...(perturb.length ? { perturb } : {}) }, null, 2) + '\n');
    if (trace.faults?.length) io.out(`faults: ${fmtFaults(trace.faults)} -> ${faults.length ? fmtFaults(faults) : 'none needed'}\n`);
    if (trace.perturb?.length) io.out(`timings: ${fmtPerturb(trace.perturb)} -> ${perturb.length ? fmtPerturb(perturb) : 'none needed'}\n`);
    io.out(`shrunk in ${s.attempts} tries: ${trace.choices.length} -> ${s.run.choices.length} choice(s), failure at seq ${r.failure.seq} -> ${s.run.failure!.seq}: ${fmtChoices(s.run.choices)}\n  written to ${outFile}\n`);
  }
  return 1;
}
