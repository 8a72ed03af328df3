#!/usr/bin/env node
// The process boundary: the only file that reads argv, writes to the real stdout/stderr and sets the exit code.
import type { Io } from './io.ts';
import { TOOL_VERSION } from '../version.ts';

/** `COLUMNS` as the shell exports it wins; else a terminal's own width; piped output keeps full-width tables. */
function terminalColumns(): { columns?: number } {
  const env = Number(process.env.COLUMNS);
  if (Number.isInteger(env) && env > 0) return { columns: env };
  return process.stdout.isTTY && process.stdout.columns > 0 ? { columns: process.stdout.columns } : {};
}

const io: Io = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
  errIsTTY: process.stderr.isTTY === true,
  clock: () => performance.now(),
  stdin: process.stdin,
  ...terminalColumns(),
};

// A reader that stops early (`cma-sim run | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

const argv = process.argv.slice(2);
// --version answers before the simulator's modules load (they take most of a second).
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) io.out(`cma-sim ${TOOL_VERSION}\n`);
else {
  const { cli } = await import('./cli.ts');
  cli(argv, io).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`cma-sim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
