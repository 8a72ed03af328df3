import { printable } from '../text/escape.ts';

/**
 * A bad input file (scenario, log, session, trace) or unusable output location, thrown by any
 * library room: lib/cli prints its one-line message and exits 2. Escaped like a UsageError.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(printable(message));
  }
}
