import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { cli } from '../../../lib/cli/cli.ts';
import { memoryIo, type Io } from '../../../lib/cli/io.ts';
import { smallScenario } from '../scenario/fixtures.ts';

/**
 * `cma-sim argv...` in process: exit code and everything printed (with `stdin` as standard input
 * when given, and stdout a terminal `columns` wide when given).
 */
export async function runCli(argv: readonly string[], stdin?: string, columns?: number): Promise<{ code: number; out: string; err: string }> {
  const io = Object.assign(memoryIo(), columns === undefined ? {} : { columns });
  const code = await cli(argv, stdin === undefined ? io : Object.assign(io, { stdin: Readable.from([stdin]) }));
  return { code, out: io.stdout, err: io.stderr };
}

/** An Io recording each write, for tests that run commands through `cli` one after another. */
export function capture(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  return { io: { out: (s) => { out.push(s); }, err: (s) => { err.push(s); }, errIsTTY: false, clock: () => 0 }, out, err };
}

/**
 * For the enclosing `describe`: a temporary folder holding `s.json` (smallScenario() ending at
 * `until`), handed to `use` before the tests and removed after them.
 */
export function tempScenario(prefix: string, until: string, use: (dir: string, file: string) => void): void {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
    const file = path.join(dir, 's.json');
    writeFileSync(file, JSON.stringify({ ...smallScenario(), until }, null, 2));
    use(dir, file);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
}
