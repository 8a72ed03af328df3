import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../../lib/cli/cli.ts';
import { memoryIo } from '../../../lib/cli/io.ts';

const README = join(import.meta.dirname, '..', '..', '..', 'README.md');

/** `$ cma-sim ...` lines of the README's debugging section, each with the output lines shown after it. */
function shownCommands(): { argv: string[]; shown: string[] }[] {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('<!-- section:debug -->'), text.indexOf('<!-- /section:debug -->'));
  const out: { argv: string[]; shown: string[] }[] = [];
  for (const block of section.split('```').filter((_, i) => i % 2 === 1)) {
    for (const line of block.split('\n')) {
      if (line.startsWith('$ cma-sim ')) out.push({ argv: [...line.slice('$ cma-sim '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]), shown: [] });
      else if (out.length && line.trim() !== '' && line !== '...') out[out.length - 1].shown.push(line);
    }
  }
  return out;
}

describe("README's debugging section: every command shown works and prints what is shown", () => {
  const cmds = shownCommands();
  let cwd = '';
  before(() => { cwd = process.cwd(); process.chdir(mkdtempSync(join(tmpdir(), 'readme-'))); });
  after(() => process.chdir(cwd));

  it('shows at least a debugger session on a race and an explorer run', () => {
    expect(cmds.map((c) => c.argv[0])).to.include.members(['debug', 'explore']);
    expect(cmds.length).to.be.greaterThan(3);
  });

  for (const [i, c] of cmds.entries()) {
    it(`${i + 1}: cma-sim ${c.argv.join(' ').slice(0, 70)}`, async () => {
      const io = memoryIo();
      const code = await cli(c.argv, io);
      expect(code, io.stderr).to.be.oneOf(c.argv[0] === 'explore' ? [1] : [0]);
      const lines = new Set(io.stdout.split('\n'));
      for (const l of c.shown) expect(lines.has(l), `shown but not printed: ${l}\n--- printed:\n${io.stdout}`).to.equal(true);
    });
  }
});
