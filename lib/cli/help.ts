import type { Command } from './command.ts';
import { COMMANDS } from './commands.ts';

export function mainHelp(version: string): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `cma-sim ${version}: deterministic simulator of the Linux Contiguous Memory Allocator`,
    '',
    'Usage: cma-sim <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'Options:',
    '  --help, -h     this help; `cma-sim <command> --help` for a command',
    '  --version, -V  print the version',
    '',
    'Exit codes: 0 success, 1 fatal scenario failure or invariant violation, 2 bad usage or input.',
    '',
  ].join('\n');
}

export function commandHelp(c: Command<unknown>): string {
  const w = Math.max(...c.optionHelp.map(([f]) => f.length), 10);
  return [
    `Usage: cma-sim ${c.usage}`,
    '',
    `${c.summary[0].toUpperCase()}${c.summary.slice(1)}.`,
    '',
    'Options:',
    ...c.optionHelp.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`),
    `  ${'--help, -h'.padEnd(w)}  this help`,
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}
