import type { Io } from './io.ts';

/**
 * A subcommand that parses its own argv (and prints its own errors), for commands whose authors
 * ship a ready `(argv, io) => exit code` function (debug, explore, replay --choices). Its --help
 * is printed from the fields below in the one help layout (lib/cli/help.ts), as for a Command.
 */
export interface RawCommand {
  readonly name: string;
  readonly summary: string;
  /** After `cma-sim `: the argument forms. */
  readonly usage: string;
  /** [flag with its value, what it does] for every option the command accepts (short forms in the flag text). */
  readonly optionHelp: readonly (readonly [string, string])[];
  readonly examples: readonly string[];
  readonly raw: (argv: string[], io: Io) => Promise<number>;
}

export function isRaw(c: unknown): c is RawCommand {
  return typeof (c as RawCommand).raw === 'function';
}
