/** `cannot read: ENOENT` (the errno code, else the message): the one wording for a file that will not open. */
export function cannotRead(e: unknown): string {
  return `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
}
