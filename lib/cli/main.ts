#!/usr/bin/env node
// The process boundary: the only file that reads argv, writes to the real stdout/stderr and sets the exit code.
import { cli } from './cli.ts';
import type { Io } from './io.ts';

const io: Io = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
  errIsTTY: process.stderr.isTTY === true,
  clock: () => performance.now(),
  stdin: process.stdin,
};

cli(process.argv.slice(2), io).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`cma-sim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
