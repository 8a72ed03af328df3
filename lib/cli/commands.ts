import type { Command } from './command.ts';
import { debugCommand } from './commands/debug.ts';
import { exploreCommand } from './commands/explore.ts';
import { mergeCommand } from './commands/merge.ts';
import { replayCommand } from './commands/replay.ts';
import { replayChoicesCommand } from './commands/replayChoices.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { schemaCommand } from './commands/schema.ts';
import { sweepCommand } from './commands/sweep.ts';
import { importCommand, replayTraceCommand } from './commands/trace.ts';

/**
 * Every `cma-sim` subcommand, in help order. To add one, write a Command (its options are parsed
 * in parse.ts with util.parseArgs, its --help laid out in help.ts) and add it to this table.
 */
export const COMMANDS: readonly Command<any>[] = [
  runCommand,
  replayCommand,
  reportCommand,
  sweepCommand,
  mergeCommand,
  importCommand,
  replayTraceCommand,
  debugCommand,
  schemaCommand,
  exploreCommand,
];

/** `replay <scenario> --choices trace.json` belongs to the explorer; `replay <log.jsonl>` to the log replayer. */
export function findCommand(name: string, rest: readonly string[] = []): Command<any> | undefined {
  if (name === 'replay' && rest.some((a) => a === '--choices' || a.startsWith('--choices='))) return replayChoicesCommand;
  return COMMANDS.find((c) => c.name === name);
}
