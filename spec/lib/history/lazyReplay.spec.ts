import { expect } from 'chai';
import { logLines, parseLog, replayLog, LogFormatError } from '../../../lib/history/index.ts';
import { counterInitial, counterModel, type CounterEvent } from '../../fixtures/counterModel.ts';
import { counterRun } from '../../fixtures/counterRun.ts';
import { rechain } from '../../fixtures/rechain.ts';
import { Rng, seedRng } from '../../../lib/engine/index.ts';

const SEED = 8;
const live = counterRun(SEED, 600);
const text = [...logLines(live, SEED)].join('');
const lazy = (t = text) => replayLog(parseLog<CounterEvent>(t, 'run.jsonl', counterModel), counterModel, counterInitial, 'run.jsonl', undefined, { lazy: true });

describe('JSONL log: lazy replay', () => {
  it('opens without running a reducer, then replays only as far as a state is asked for', () => {
    const h = lazy().history;
    expect(h.lastSeq).to.equal(live.lastSeq);
    expect(h.engine.appliedSeq).to.equal(0);
    expect(h.envelope(h.lastSeq)).to.deep.equal(live.envelope(live.lastSeq)); // the log is all there
    expect(h.pendingAt(100).map((p) => p.seq)).to.deep.equal(live.pendingAt(100).map((p) => p.seq));
    expect(h.stateAt(300)).to.deep.equal(live.stateAt(300));
    expect(h.engine.appliedSeq).to.equal(300);
  });

  it('restores the same states as the live run, anywhere and in any order (property, random k)', () => {
    const h = lazy().history;
    const rng = new Rng(seedRng(4));
    for (let i = 0; i < 40; i++) {
      const k = rng.int(0, h.lastSeq);
      expect(h.stateAt(k), `k=${k}`).to.deep.equal(live.stateAt(k));
    }
    expect(h.engine.state).to.deep.equal(live.engine.state);
  });

  it('forks near the end like the live run, and the fork goes on identically', () => {
    const h = lazy().history;
    const at = h.lastSeq - 5;
    const f = h.fork(at, { inject: [{ event: { type: 'set', key: 'z', value: 9 }, time: h.timeOf(at) }] });
    const g = live.fork(at, { inject: [{ event: { type: 'set', key: 'z', value: 9 }, time: live.timeOf(at) }] });
    f.engine.run();
    g.engine.run();
    expect(f.engine.state).to.deep.equal(g.engine.state);
  });

  it('checks the final hash when the replay reaches the end, and keeps failing while it differs', () => {
    const lines = text.split('\n');
    const footer = JSON.parse(lines[lines.length - 2]);
    footer.finalHash = '0'.repeat(64);
    lines[lines.length - 2] = JSON.stringify(footer);
    const h = lazy(rechain(lines)).history;
    expect(h.stateAt(10)).to.deep.equal(live.stateAt(10)); // the beginning is fine
    const end = `run.jsonl:${lines.length - 1}: replayed final state hash differs`;
    expect(() => h.stateAt(h.lastSeq)).to.throw(LogFormatError, end);
    expect(() => h.engine.state).to.throw(LogFormatError, end);
  });

  it('a reducer failing during the replay names the log line', () => {
    const lines = text.split('\n');
    const l = JSON.parse(lines[3]);
    l.event = { type: 'boom' };
    lines[3] = JSON.stringify(l);
    const h = lazy(rechain(lines)).history;
    expect(() => h.stateAt(h.lastSeq)).to.throw(LogFormatError, /^run\.jsonl:4: replay failed: reducer counter\.reducers\['boom'\].*kaboom/);
  });
});
