import type { Io } from './io.ts';

/**
 * A subcommand that parses its own argv (and prints its own --help and errors), for commands
 * whose authors ship a ready `(argv, io) => exit code` function (debug, explore, replay --choices).
 */
export interface RawCommand {
  readonly name: string;
  readonly summary: string;
  /** Shown after the command's own --help text. */
  readonly examples?: readonly string[];
  readonly raw: (argv: string[], io: Io) => Promise<number>;
}

export function isRaw(c: unknown): c is RawCommand {
  return typeof (c as RawCommand).raw === 'function';
}
