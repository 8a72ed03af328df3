/** Bad command line: exit 2 with a one-line message (and a pointer to --help). */
export class UsageError extends Error {
  constructor(message: string, readonly command: string | null = null) {
    super(message);
  }
}

/** Bad input file or unusable output location: exit 2 with a one-line message. */
export class InputError extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
