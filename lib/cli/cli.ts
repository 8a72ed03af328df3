import { SimulationError } from '../engine/index.ts';
import { EXIT, InputError, UsageError } from './errors.ts';
import { commandHelp, mainHelp } from './help.ts';
import type { Io } from './io.ts';
import { printable } from '../text/escape.ts';
import { TOOL_VERSION } from '../version.ts';
import { parseCommandLine } from './parse.ts';

/**
 * The whole command line as a function: argv in, exit code out, output through `io`. User
 * mistakes (usage, input files, --out) print one line on stderr and give 2; a simulation that
 * fails (a reducer refusing an event) gives 1; anything else is a bug and keeps its stack.
 */
export async function cli(argv: readonly string[], io: Io): Promise<number> {
  try {
    const p = parseCommandLine(argv);
    if (p.kind === 'version') { io.out(`cma-sim ${TOOL_VERSION}\n`); return EXIT.ok; }
    if (p.kind === 'help') { io.out(p.command ? commandHelp(p.command) : mainHelp(TOOL_VERSION)); return EXIT.ok; }
    try {
      return await p.command.run(p.options, io);
    } catch (e) {
      // A usage mistake only the run could see (a race that brings its own checks): point at the command's --help.
      if (e instanceof UsageError && e.command === null) e.command = p.command.name;
      throw e;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cma-sim: ${e.message} (see cma-sim ${e.command ? `${e.command} ` : ''}--help)\n`);
      return EXIT.usage;
    }
    if (e instanceof InputError) {
      io.err(`cma-sim: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof SimulationError) {
      // A reducer refused an event mid-run: the run failed, and the message names seq, event and reducer.
      io.err(`cma-sim: simulation failed: ${printable(e.message)}\n`);
      return EXIT.failed;
    }
    throw e;
  }
}
