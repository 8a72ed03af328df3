import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { complete, repl } from '../../../lib/debug/repl.ts';
import { DebugSession } from '../../../lib/debug/session.ts';
import { runToHistory } from '../../../lib/run/runToHistory.ts';
import { runnable } from './fixtures/counterTarget.ts';

describe('debugger REPL', () => {
  const s = new DebugSession(runToHistory(runnable, 16), runnable.plugin);

  it('completes command names, event types and state paths', () => {
    expect(complete(s, 'ba')).to.deep.equal([['back', 'back-to-write'], 'ba']);
    expect(complete(s, 'next ti')).to.deep.equal([['tick'], 'ti']);
    expect(complete(s, 'print cel')).to.deep.equal([['cells'], 'cel']);
    expect(complete(s, 'watch cells.')[0]).to.include.members(['cells.x', 'cells.y', 'cells.c0']);
  });

  it('reads commands line by line, reports errors without stopping, and ends on quit', async () => {
    const input = new PassThrough();
    const out: string[] = [], err: string[] = [];
    const done = repl(s, { out: (x) => { out.push(x); }, err: (x) => { err.push(x); }, stdin: input }, {});
    input.write('goto 10\nfrobnicate\nprint ticks\nquit\n');
    expect(await done).to.equal(0);
    expect(out.join('')).to.match(/^\[main\] #10 [^]*\n9\n$/);
    expect(err.join('')).to.equal("error: unknown command 'frobnicate' (try 'help')\n");
  });
});
