import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../runCli.ts';
import { exportLog } from '../../../../lib/history/jsonl.ts';
import { runToHistory } from '../../../../lib/run/runToHistory.ts';
import { runnable } from '../../debug/fixtures/counterTarget.ts';

const TARGET = join(import.meta.dirname, '..', '..', 'debug', 'fixtures', 'counterTarget.ts');

/** Export the counter run as a log naming its source module: the "small log" the debugger opens. */
function smallLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'debug-'));
  const file = join(dir, 'run.jsonl');
  exportLog(file, runToHistory(runnable, 16), runnable.seed, { source: TARGET });
  return file;
}

/** The log above names no code: the module it came from is named on the command line. */
const T = ['--target', TARGET];

async function debug(args: string[]): Promise<{ code: number; out: string; err: string; blocks: string[] }> {
  const { code, out, err } = await runCli(['debug', ...args]);
  // One block of output per command: the text between the echoed '> cmd' lines.
  const blocks = out.split(/^> .*\n/m).slice(1).map((b) => b.replace(/\n$/, ''));
  return { code, out, err, blocks };
}

describe('cma-sim debug --eval', () => {
  const log = smallLog();
  const ref = runToHistory(runnable, 16);

  it('back after step returns the identical state', async () => {
    const r = await debug([log, ...T, '--eval', 'goto 50; print state; step 7; print state; back 7; print state']);
    expect(r.code).to.equal(0);
    expect(r.blocks[1]).to.equal(JSON.stringify(ref.stateAt(50).model, null, 2));
    expect(r.blocks[3]).to.equal(JSON.stringify(ref.stateAt(57).model, null, 2));
    expect(r.blocks[5]).to.equal(r.blocks[1]);
  });

  it('why prints the causal chain, root first, each step indented further', async () => {
    const r = await debug([log, ...T, '--eval', 'why 30']);
    const lines = r.blocks[0].split('\n');
    const chain = ref.why(30).reverse();
    expect(lines).to.have.length(chain.length);
    lines.forEach((l, i) => {
      expect(l.startsWith(`${'  '.repeat(Math.min(i, 12))}#${chain[i].seq} `), l).to.equal(true); // indentation is capped at 12 levels
    });
    expect(lines[0]).to.contain('(injected)');
    expect(lines[lines.length - 1]).to.contain(`cause #${chain[chain.length - 2].seq}`);
  });

  it('watch + back-to-write lands on the events that wrote the value', async () => {
    const writes = [...ref.envelopes(1, ref.lastSeq)].filter((e) => e.event.type === 'set' && (e.event as { key: string }).key === 'x').map((e) => e.seq);
    const r = await debug([log, ...T, '--eval', 'watch cells.x; back-to-write; back-to-write; goto 0; continue']);
    expect(r.code).to.equal(0);
    expect(r.blocks[1]).to.match(new RegExp(`^\\[main\\] #${writes[1]} .* set \\{"key":"x","value":2\\}`));
    expect(r.blocks[2]).to.match(new RegExp(`^\\[main\\] #${writes[0]} `));
    expect(r.blocks[4]).to.match(new RegExp(`^\\[main\\] #${writes[0]} [^]*watch cells.x: undefined -> 1`));
  });

  it('diff lists the changed paths with old and new values; --script runs a command file', async () => {
    const w = [...ref.envelopes(1, ref.lastSeq)].filter((e) => e.event.type === 'set' && (e.event as { key: string }).key === 'x').map((e) => e.seq)[1];
    const dir = mkdtempSync(join(tmpdir(), 'script-'));
    writeFileSync(join(dir, 'cmds.txt'), `# a comment\ndiff ${w - 1} ${w}\ndiff ${w} ${w - 1}\n`);
    const r = await debug([log, ...T, '--script', join(dir, 'cmds.txt')]);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks).to.deep.equal([`1 change(s) from #${w - 1} to #${w}\n~ cells.x: 1 -> 2`, `1 change(s) from #${w} to #${w - 1}\n~ cells.x: 2 -> 1`]);
  });

  it('next/prev by type and by predicate, and break on a state predicate', async () => {
    const r = await debug([log, ...T, '--eval', "goto 0; next set; prev tick; next ticks > 100 && event.jitter; break sum > 20000; goto 0; continue; print sum"]);
    const firstSet = [...ref.envelopes(1, ref.lastSeq)].find((e) => e.event.type === 'set')!.seq;
    expect(r.blocks[1]).to.match(new RegExp(`^\\[main\\] #${firstSet} `));
    expect(r.blocks[2]).to.match(new RegExp(`^\\[main\\] #${firstSet - 1} .* tick `));
    const k = [...ref.envelopes(1, ref.lastSeq)].find((e) => ref.stateAt(e.seq).model.ticks > 100)!.seq;
    expect(r.blocks[3]).to.match(new RegExp(`^\\[main\\] #${k} `));
    const b = [...ref.envelopes(1, ref.lastSeq)].find((e) => ref.stateAt(e.seq).model.sum > 20000)!.seq;
    expect(r.blocks[6]).to.match(new RegExp(`^\\[main\\] #${b} [^]*breakpoint 1: sum > 20000`));
    expect(Number(r.blocks[7])).to.be.greaterThan(20000);
  });

  it('fork with drop/inject/delay leaves the original timeline untouched', async () => {
    const r = await debug([log, ...T, '--eval', 'goto 60; pending; fork alt; drop 61; inject +1 {"type":"set","key":"z","value":9}; timelines; timeline main; goto 232; print state; timeline alt; goto 61; print cells.z']);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[1]).to.contain('#61 ');
    expect(r.blocks[5]).to.match(/^ {2}main: 232 events[^]*\* alt \(from main at #60\): \d+ events/);
    expect(r.blocks[8]).to.equal(JSON.stringify(ref.stateAt(232).model, null, 2));
    expect(r.blocks[11]).to.equal('9');
  });

  it('save writes a session that reopens at the same place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-'));
    const file = join(dir, 'session.jsonl');
    const a = await debug([log, ...T, '--eval', `goto 60; fork alt; inject +2 {"type":"set","key":"z","value":4}; goto 70; watch cells.z; break ticks > 90; save ${file}`]);
    expect(a.code, a.err).to.equal(0);
    const b = await debug([file, ...T, '--eval', 'where; timelines; watch; breaks; print cells.z']);
    expect(b.code, b.err).to.equal(0);
    expect(b.blocks[0]).to.match(/^\[alt\] #70 /);
    expect(b.blocks[1]).to.contain('main: 232 events, cursor #60');
    expect(b.blocks[2]).to.equal('cells.z = 4');
    expect(b.blocks[3]).to.equal('1: ticks > 90');
    expect(b.blocks[4]).to.equal('4');
  });

  it('plugins: print forms, map and break invariant', async () => {
    const r = await debug([TARGET, '--eval', 'print cell x; map; break invariant; goto 0; continue']);
    expect(r.blocks[0]).to.equal('cell x = 2');
    expect(r.blocks[1].split('\n')).to.include('x:#');
    expect(r.blocks[4]).to.match(/stopped: breakpoint 1: invariant/);
  });

  it('bad usage and bad commands: one line, exit 2', async () => {
    const a = await debug([log, ...T, '--eval', 'goto 99999']);
    expect(a.code).to.equal(2);
    expect(a.err).to.equal("cma-sim debug: command 1 'goto 99999': seq 99999 is past the end of this timeline (232)\n");
    const b = await debug([log, ...T, '--eval', 'frobnicate']);
    expect(b.err).to.contain("unknown command 'frobnicate'");
    const c = await debug(['/nonexistent.ts']);
    expect(c.code).to.equal(2);
    const dir = mkdtempSync(join(tmpdir(), 'bad-'));
    writeFileSync(join(dir, 'x.jsonl'), '{"format":"cma-sim-log","version":1}\n');
    const d = await debug([join(dir, 'x.jsonl')]);
    expect(d.err).to.match(/never names code to run, so name the scenario module it was recorded from: --target <module>/);
    const e = await debug([log, ...T, '--eval', 'next event.count >']);
    expect(e.err).to.equal("cma-sim debug: command 1 'next event.count >': predicate: column 14: unexpected end of input in \"event.count >\"\n");
  });
});

describe('cma-sim debug <log> --target <built-in race>', () => {
  it('names the race as explore and debug do (race1), not only by file path', async () => {
    const { race } = await import('../../../../examples/races/race1.ts');
    const dir = mkdtempSync(join(tmpdir(), 'debug-race-'));
    const file = join(dir, 'race1.jsonl');
    exportLog(file, runToHistory(race, 1024), race.seed, {});
    const r = await debug([file, '--target', 'race1', '--eval', 'goto end; request 1']);
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.blocks[1]).to.match(/request 1/);
  });
});
