import { Readable } from 'node:stream';
import { cli } from '../../../lib/cli/cli.ts';
import { memoryIo } from '../../../lib/cli/io.ts';

/** `cma-sim argv...` in process: exit code and everything printed (with `stdin` as standard input when given). */
export async function runCli(argv: readonly string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await cli(argv, stdin === undefined ? io : Object.assign(io, { stdin: Readable.from([stdin]) }));
  return { code, out: io.stdout, err: io.stderr };
}
