import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { InputError } from '../../io/inputError.ts';
import { shrink } from '../../explore/shrink.ts';
import { fmtChoices, fmtFailure } from '../../explore/summary.ts';
import { makeTrace, readTrace, replayTrace, runChoices, TraceError, traceScenario, withFaults } from '../../explore/trace.ts';
import { fmtFaults, fmtPerturb, shrinkFaults } from '../../explore/faults.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { loadExploreScenario } from '../loadExploreScenario.ts';
import { parseFlags } from '../parseFlags.ts';

export const REPLAY_CHOICES_USAGE = `usage: cma-sim replay <scenario | race1..race5> --choices trace.json [--shrink] [--out shrunk.json]
  Re-runs the recorded choices exactly. --shrink minimises a failing trace (fewer non-default
  choices, shorter run) and writes it to --out (default: <trace>.shrunk.json). Exit 1 when the run fails.`;

/** `cma-sim replay <scenario> --choices`: 0 the run passes, 1 it fails (reproduced), 2 bad usage or a stale trace. */
export async function replayChoicesCommand(argv: string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { io.out(REPLAY_CHOICES_USAGE + '\n'); return 0; }
  try {
    const { positional, flags } = parseFlags(argv, { choices: 'string', shrink: 'bool', out: 'string' });
    if (positional.length !== 1) throw new UsageError(`expected one scenario, got ${positional.length ? positional.map((p) => `'${p}'`).join(' ') : 'none'}`);
    const file = flags.choices as string | undefined;
    if (!file) throw new UsageError('--choices <trace.json> is required');
    const scn = await loadExploreScenario(positional[0]);
    const trace = readTrace(file);
    const r = replayTrace(scn, trace, file);
    io.out(`${scn.name}: replayed ${trace.choices.length} choice(s) (${fmtChoices(trace.choices)})${trace.faults?.length ? ` with faults ${fmtFaults(trace.faults)}` : ''}${trace.perturb?.length ? ` with timings ${fmtPerturb(trace.perturb)}` : ''}, ${r.lastSeq} events, outcome ${r.outcome}\n`);
    if (!r.failure) {
      io.out(trace.failure ? `the recorded failure did NOT reproduce (expected: ${fmtFailure(trace.failure)})\n` : 'no failure\n');
      return trace.failure ? 2 : 0;
    }
    const same = trace.failure !== null && trace.failure.check === r.failure.check && trace.failure.seq === r.failure.seq && trace.failure.message === r.failure.message;
    io.out(`FAIL ${fmtFailure(r.failure)}${same ? ' (reproduced exactly)' : trace.failure ? ` (recorded: ${fmtFailure(trace.failure)})` : ''}\n`);
    if (flags.shrink === true) {
      const s = shrink(traceScenario(scn, trace), r, trace.window);
      const kept = shrinkFaults(scn, trace, s.run.choices, trace.window, r.failure.check);
      const { faults, perturb } = kept;
      const outFile = (flags.out as string | undefined) ?? file.replace(/(\.json)?$/, '.shrunk.json');
      const same = faults.length === (trace.faults ?? []).length && perturb.length === (trace.perturb ?? []).length;
      const run = same ? s.run : runChoices(traceScenario(scn, kept), s.run.choices, trace.window, false);
      writeFileAtomic(outFile, JSON.stringify({ ...makeTrace(scn, trace.window, run), ...(faults.length ? { faults } : {}), ...(perturb.length ? { perturb } : {}) }, null, 2) + '\n');
      if (trace.faults?.length) io.out(`faults: ${fmtFaults(trace.faults)} -> ${faults.length ? fmtFaults(faults) : 'none needed'}\n`);
      if (trace.perturb?.length) io.out(`timings: ${fmtPerturb(trace.perturb)} -> ${perturb.length ? fmtPerturb(perturb) : 'none needed'}\n`);
      io.out(`shrunk in ${s.attempts} tries: ${trace.choices.length} -> ${s.run.choices.length} choice(s), failure at seq ${r.failure.seq} -> ${s.run.failure!.seq}: ${fmtChoices(s.run.choices)}\n  written to ${outFile}\n`);
    }
    return 1;
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || e instanceof TraceError) { io.err(`cma-sim replay: ${e.message}\n`); return 2; }
    throw e;
  }
}
