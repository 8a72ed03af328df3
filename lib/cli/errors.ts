import { printable } from '../text/escape.ts';

/**
 * Bad command line: exit 2 with a one-line message (and a pointer to --help). The message quotes
 * what the user typed, so control characters in it are escaped (printable) and it stays one line.
 */
export class UsageError extends Error {
  /** The command whose --help to point at; the parser fills it in for errors a command's own parse threw. */
  constructor(message: string, public command: string | null = null) {
    super(printable(message));
  }
}

export { InputError } from '../io/inputError.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
