import { expect } from 'chai';
import { memoryIo } from '../../../lib/cli/io.ts';
import { progressFor } from '../../../lib/cli/progress.ts';

describe('progress bar', () => {
  function ttyIo() {
    let t = 0;
    const io = { ...memoryIo(), errIsTTY: true, clock: () => t };
    const m = io as typeof io & { stderr: string };
    m.stderr = '';
    m.err = (s: string) => { m.stderr += s; };
    return { io: m, advance: (ms: number) => { t += ms; } };
  }

  it('on a terminal: simulated time, events/s and ETA on stderr, erased when done', () => {
    const { io, advance } = ttyIo();
    const p = progressFor(io, false);
    advance(1000);
    p.onProgress!({ now: 2.5e9, until: 10e9, dispatched: 50_000 });
    expect(io.stderr).to.equal('\r[######------------------] 2.5s/10s sim  50k ev/s ETA 3s\x1b[K');
    advance(50);
    p.onProgress!({ now: 3e9, until: 10e9, dispatched: 60_000 });
    expect(io.stderr.split('\r')).to.have.length(2); // redrawn at most every 100 ms
    p.done();
    expect(io.stderr.endsWith('\r\x1b[K')).to.equal(true);
  });

  it('nothing when stderr is not a terminal or with --quiet', () => {
    const io = memoryIo();
    expect(progressFor(io, false).onProgress).to.equal(undefined);
    const { io: tty } = ttyIo();
    expect(progressFor(tty, true).onProgress).to.equal(undefined);
  });
});
