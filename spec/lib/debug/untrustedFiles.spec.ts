import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/runCli.ts';
import { runToHistory } from '../../../lib/run/runToHistory.ts';
import { exportLog } from '../../../lib/history/jsonl.ts';
import { runnable } from './fixtures/counterTarget.ts';
import { cli } from '../../../lib/cli/cli.ts';
import { memoryIo } from '../../../lib/cli/io.ts';

const TARGET = join(import.meta.dirname, 'fixtures', 'counterTarget.ts');

async function debug(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(['debug', ...args]);
  return { code, out: out, err: err };
}

/** A module that leaves a marker file behind when it is imported, and looks like a runnable. */
function hostileModule(dir: string): { module: string; marker: string } {
  const marker = join(dir, 'PWNED');
  const module = join(dir, 'evil.mjs');
  writeFileSync(module, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport const runnable = { name: 'x', model: {}, inject: [], seed: 1 };\n`);
  return { module, marker };
}

describe('cma-sim debug never runs code named in a file (issue 18 item 1)', () => {
  it('a log whose meta.source names a module, chain broken: refused, the module never imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    const { module, marker } = hostileModule(dir);
    const log = join(dir, 'log.jsonl');
    writeFileSync(log, `${JSON.stringify({ format: 'cma-sim-log', version: 1, model: { name: 'counter', version: '1' }, seed: 1, snapshotEvery: 16, initialHash: 'x', meta: { source: module } })}\n{"seq":1,"h":"0000000000000000"}\n`);
    const r = await debug([log, '--eval', 'where']);
    expect(r.code).to.equal(2);
    expect(r.err.split('\n')).to.have.length(2); // one line
    expect(existsSync(marker), 'the module named by meta.source ran').to.equal(false);
  });

  it('a well-chained log naming a module in meta.source: refused with a pointer to --target, the module never imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    const { module, marker } = hostileModule(dir);
    const log = join(dir, 'log.jsonl');
    exportLog(log, runToHistory(runnable, 16), runnable.seed, { source: module });
    const r = await debug([log, '--eval', 'where']);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/--target <module>/);
    expect(existsSync(marker)).to.equal(false);
    // The same log opens when the user names the module that made it.
    const ok = await debug([log, '--target', TARGET, '--eval', 'goto end']);
    expect(ok.code, ok.err).to.equal(0);
    expect(ok.out).to.contain('[main] #232 ');
    expect(existsSync(marker)).to.equal(false);
  });

  it('a session of the first format ("source": module) is refused without importing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    const { module, marker } = hostileModule(dir);
    const file = join(dir, 'session.jsonl');
    writeFileSync(file, `${JSON.stringify({ format: 'cma-sim-session', version: 1, source: module, current: 'main', cursors: {}, watches: [], breaks: [], forks: [] })}\n`);
    const r = await debug([file, '--eval', 'where']);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/no longer read/);
    expect(existsSync(marker)).to.equal(false);
  });

  it('a saved session is a chained log: an edit to its session header is refused before it is used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    const file = join(dir, 'session.jsonl');
    const a = await debug([TARGET, '--eval', `goto 60; fork alt; save ${file}`]);
    expect(a.code, a.err).to.equal(0);
    const text = readFileSync(file, 'utf8');
    expect(text).to.not.contain('"source"');
    writeFileSync(file, text.replace('"current":"alt"', '"current":"main"'));
    const r = await debug([file, '--target', TARGET, '--eval', 'where']);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/hash chain broken/);
  });
});

describe('sessions reopen whatever they were opened from', () => {
  it('a session saved from a JSON scenario\'s log.jsonl reopens with no module (was: "Unknown file extension .jsonl")', async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'jsonlog-'));
    const io = memoryIo();
    expect(await cli(['run', join(import.meta.dirname, '../../../examples/two-devices.json'), '--out', join(dir, 'run'), '--until', '60ms', '--quiet'], io), io.stderr).to.equal(0);
    const session = join(dir, 'session.jsonl');
    const a = await debug([join(dir, 'run', 'log.jsonl'), '--eval', `goto 200; fork alt; goto 210; save ${session}`]);
    expect(a.code, a.err).to.equal(0);
    const b = await debug([session, '--eval', 'where; timelines']);
    expect(b.code, b.err).to.equal(0);
    expect(b.out).to.match(/\[alt\] #210 /);
    expect(b.out).to.match(/main: \d+ events, cursor #200/);
  });
});
