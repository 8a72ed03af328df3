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

/**
 * The flag column of an option's help line: its `--long VALUE` text from optionHelp, with the
 * short form the option declares (`--out DIR, -o`), so the two never disagree.
 */
function flagText(c: Command<unknown>, text: string): string {
  const name = /^--([\w-]+)/.exec(text)?.[1];
  const short = name === undefined ? undefined : c.options[name]?.short;
  return short === undefined ? text : `${text}, -${short}`;
}

export function commandHelp(c: Command<unknown>): string {
  const rows: [string, string][] = [...c.optionHelp.map(([f, d]): [string, string] => [flagText(c, f), d]), ['--help, -h', 'this help']];
  const w = Math.max(...rows.map(([f]) => f.length));
  return [
    `Usage: cma-sim ${c.usage}`,
    '',
    `${c.summary[0].toUpperCase()}${c.summary.slice(1)}.`,
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`),
    '',
    'Examples:',
    ...c.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}
