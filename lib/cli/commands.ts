import type { Command } from './command.ts';
import { replayCommand } from './commands/replay.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { sweepCommand } from './commands/sweep.ts';

/**
 * Every `cma-sim` subcommand, in help order. To add one (import, replay-trace, debug, explore),
 * write lib/cli/commands/<name>.ts exporting a Command and add it here.
 */
export const COMMANDS: readonly Command<any>[] = [runCommand, replayCommand, reportCommand, sweepCommand];

export function findCommand(name: string): Command<any> | undefined {
  return COMMANDS.find((c) => c.name === name);
}
