import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { COMMANDS, findCommand } from './commands.ts';
import { didYouMean } from './didYouMean.ts';
import { UsageError } from './errors.ts';

export type Parsed =
  | { readonly kind: 'help'; readonly command: Command<unknown> | null }
  | { readonly kind: 'version' }
  | { readonly kind: 'command'; readonly command: Command<unknown>; readonly options: unknown };

/** argv (without node and script) -> what to do, or a UsageError naming the token. */
export function parseCommandLine(argv: readonly string[]): Parsed {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined) {
      const c = findCommand(rest[0]);
      if (!c) throw new UsageError(unknownCommand(rest[0]));
      return { kind: 'help', command: c };
    }
    return { kind: 'help', command: null };
  }
  if (first === '--version' || first === '-V') return { kind: 'version' };
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' (expected a command first)`);
  const command = findCommand(first, rest);
  if (!command) throw new UsageError(unknownCommand(first));
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(argsMessage(e as Error & { code?: string }, first, command), first);
  }
  if (parsed.values.help === true) return { kind: 'help', command };
  try {
    return { kind: 'command', command, options: command.parse(parsed.values, parsed.positionals) };
  } catch (e) {
    // Name the command without building a new error: its message is already escaped once.
    if (e instanceof UsageError && e.command === null) e.command = first;
    throw e;
  }
}

function unknownCommand(name: string): string {
  return `unknown command '${name}'${didYouMean(name, ['help', ...COMMANDS.map((c) => c.name)])}`;
}

/** util.parseArgs messages, shortened to one line naming the token. */
function argsMessage(e: Error & { code?: string }, cmd: string, command: Command<unknown>): string {
  const tok = /'([^']+)'/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const flag = tok?.split('=')[0] ?? '';
      return `unknown option '${tok}' for '${cmd}'${flag.startsWith('--') ? didYouMean(flag, Object.keys(command.options).map((o) => `--${o}`)) : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // Named by its long form: util.parseArgs says '-e, --eval <value>' for an option with a short one.
      const flag = /'(?:-\w, )?(-[-\w]+)/.exec(e.message)?.[1] ?? '';
      return /ambiguous/.test(e.message)
        ? `option '${flag}' needs a value (write ${flag}=VALUE for a value starting with '-')`
        : `option '${flag}': ${/does not take an argument/.test(e.message) ? 'takes no value' : 'needs a value'}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return `unexpected argument '${tok}' for '${cmd}'`;
    default: return e.message.split('\n')[0];
  }
}
