import { InputError } from './errors.ts';
import type { Io } from './io.ts';

export { STDIN } from '../io/stdin.ts';

/** All of standard input as text (a scenario or a trace given as `-`). */
export async function readStdin(io: Io): Promise<string> {
  if (!io.stdin) throw new InputError('-: standard input is not available here');
  let text = '';
  io.stdin.setEncoding('utf8');
  for await (const chunk of io.stdin) text += chunk as string;
  return text;
}
