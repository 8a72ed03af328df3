import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli } from '../../../lib/cli/cli.ts';
import { memoryIo } from '../../../lib/cli/io.ts';
import { smallScenario } from '../scenario/fixtures.ts';

/** Error messages quote input; input must not reach the terminal as control characters. */
describe('cli/errors: hostile text in error messages', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'cma-sim-err-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function stderrOf(...argv: string[]): Promise<string> {
    const io = memoryIo();
    expect(await cli(argv, io)).to.equal(2);
    return io.stderr;
  }

  const oneSafeLine = (s: string) => {
    expect(s).not.to.match(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(s.endsWith('\n') && s.indexOf('\n') === s.length - 1, JSON.stringify(s)).to.equal(true);
  };

  it('a file name with ESC, BEL and a newline', async () => {
    const err = await stderrOf('run', path.join(dir, 'x\x1b]0;owned\x07\nnext.json'));
    oneSafeLine(err);
    expect(err).to.include('x\\x1b]0;owned\\x07\\x0anext.json');
  });

  it('a bad option value is escaped once, not again when the parser names the command', async () => {
    const err = await stderrOf('run', '--seed', '\x1b');
    oneSafeLine(err);
    expect(err).to.equal("cma-sim: --seed: expected an integer in 0..4294967295, got '\\x1b' (see cma-sim run --help)\n");
  });

  it('an unknown option and an unknown command quoting control characters', async () => {
    oneSafeLine(await stderrOf('run', '--\x1b[2J'));
    oneSafeLine(await stderrOf('\x1b[31mrun'));
  });

  it('a scenario value quoted in a validation error', async () => {
    const f = path.join(dir, 's.json');
    writeFileSync(f, JSON.stringify({ ...smallScenario(), until: 'soon\x1b[2J\x07' }));
    oneSafeLine(await stderrOf('run', f));
  });

  it('a scenario name with ESC and BEL: run, replay and report print it escaped', async () => {
    const f = path.join(dir, 'evil.json');
    writeFileSync(f, JSON.stringify({ ...smallScenario(), name: 'x\x1b]0;owned\x07\x1b[2J', until: '20ms' }));
    const out = path.join(dir, 'evil-out');
    const outputs: string[] = [];
    for (const argv of [['run', f], ['run', f, '--out', out], ['replay', path.join(out, 'log.jsonl')], ['report', path.join(out, 'log.jsonl'), '-f', 'md']]) {
      const io = memoryIo();
      expect(await cli(argv, io), argv.join(' ')).to.equal(0);
      outputs.push(io.stdout + io.stderr);
    }
    for (const o of outputs) expect(o).not.to.match(/[\x07\x1b]/);
    expect(outputs[2]).to.include("events of 'x\\x1b]0;owned\\x07\\x1b[2J'");
  });
});

