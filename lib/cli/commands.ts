import { pluginFor } from '../debug/cmaPlugin.ts';
import { debugCommand as debugWith } from './commands/debug.ts';
import type { SimState } from '../../models/state.ts';
import { kernelFile, kernelPaths } from '../report/kernelFiles.ts';
import { exploreCommand as exploreWith } from './commands/explore.ts';
import type { Io } from './io.ts';
import { replayChoicesCommand } from './commands/replayChoices.ts';
import type { Command } from './command.ts';
import { replayCommand } from './commands/replay.ts';
import { mergeCommand } from './commands/merge.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { sweepCommand } from './commands/sweep.ts';
import { importCommand, replayTraceCommand } from './commands/trace.ts';
import type { RawCommand } from './rawCommand.ts';
import { scenarioJsonSchema } from '../scenario/jsonSchema.ts';

/** `cma-sim explore`, with the debugger's model plugins (outcomes in CMA words, diffs between outcomes). */
function exploreCommand(argv: string[], io: Io): Promise<number> {
  return exploreWith(argv, io, { pluginFor });
}

/** The debugger's `cat` and `ls`: the report's kernel files, joined here so lib/debug need not import lib/report. */
const KERNEL_FILES = {
  read: kernelFile,
  // Only the files the run's kernel profile has (6.1's sysfs, say, lacks total_pages).
  list: (s: SimState) => kernelPaths(s).filter((p) => { try { kernelFile(s, p); return true; } catch { return false; } }),
};

/** `cma-sim debug`, with the kernel files for `cat` and `ls`. */
function debugCommand(argv: string[], io: Io): Promise<number> {
  return debugWith(argv, io, { files: KERNEL_FILES });
}

export type AnyCommand = Command<any> | RawCommand;

/**
 * Every `cma-sim` subcommand, in help order. To add one, write a Command (options parsed here
 * with util.parseArgs) or a RawCommand (parses its own argv) and add it to this table.
 */
export const COMMANDS: readonly AnyCommand[] = [
  runCommand,
  replayCommand,
  reportCommand,
  sweepCommand,
  mergeCommand,
  importCommand,
  replayTraceCommand,
  {
    name: 'debug', summary: 'step backward and forward through a run, inspect state, fork timelines', raw: debugCommand,
    examples: ['cma-sim debug examples/basic.ts', 'cma-sim debug results/log.jsonl --eval "goto 5ms; print workload; why"'],
  },
  {
    name: 'schema', summary: 'print the JSON Schema of the scenario format (for editors: "$schema" in a JSON scenario)',
    raw: async (argv, io) => {
      if (argv.some((a) => a === '--help' || a === '-h')) { io.out('usage: cma-sim schema > scenario.schema.json\n'); return 0; }
      if (argv.length > 0) { io.err(`cma-sim schema: expected no arguments, got '${argv[0]}'\n`); return 2; }
      io.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
      return 0;
    },
    examples: ['cma-sim schema > scenario.schema.json'],
  },
  {
    name: 'explore', summary: 'search the orderings of concurrent events for invariant or assertion failures', raw: exploreCommand,
    examples: ['cma-sim explore race1', 'cma-sim explore race3 --strategy random --max-runs 500 --out found'],
  },
];

/** `replay <scenario> --choices trace.json` belongs to the explorer; `replay <log.jsonl>` to the log replayer. */
const REPLAY_CHOICES: RawCommand = {
  name: 'replay', summary: 'replay an explorer choice trace', raw: replayChoicesCommand,
  examples: ['cma-sim explore race3-reserve-after --out found && cma-sim replay race3-reserve-after --choices found/failure-1-<check>.json --shrink'],
};

export function findCommand(name: string, rest: readonly string[] = []): AnyCommand | undefined {
  if (name === 'replay' && rest.some((a) => a === '--choices' || a.startsWith('--choices='))) return REPLAY_CHOICES;
  return COMMANDS.find((c) => c.name === name);
}
