import { expect } from 'chai';
import { Engine, type Tie } from '../../../lib/engine/index.ts';
import { History, logLines, parseLog, replayLog } from '../../../lib/history/index.ts';
import { counterInitial, counterModel, type CounterEvent, type CounterState } from '../../fixtures/counterModel.ts';
import { rechain } from '../../fixtures/rechain.ts';

type Ev = CounterEvent;

/**
 * A tick process (a tick at 0, 10, 20, 30: each tick is the follow-up of the one before) and a
 * mark injected up front at 10, where it ties with the follow-up tick.
 */
function tied(tie?: Tie, snapshotEvery = 2): Engine<CounterState, Ev> {
  const e = new Engine<CounterState, Ev>(counterModel, counterInitial, { seed: 1, snapshotEvery });
  e.inject({ type: 'tick', left: 3, jitter: false }, 0);
  e.inject({ type: 'mark', label: 'X' }, 10, 0, tie);
  return e;
}

/** The types of the events logged at `t`, in dispatch order. */
const at = (h: History<CounterState, Ev>, t: number): string[] => [...h.envelopes(h.parent ? 1 : h.baseSeq + 1, h.lastSeq)].filter((x) => x.time === t).map((x) => x.event.type);

describe('tie order of injected events (issue 17)', () => {
  it("by default an event injected up front runs before the follow-up it ties with; with tie 'last' after it", () => {
    const d = tied();
    d.run();
    expect(at(new History(d), 10)).to.deep.equal(['mark', 'tick']);
    const l = tied('last');
    l.run();
    const h = new History(l);
    expect(at(h, 10)).to.deep.equal(['tick', 'mark']);
    const mark = [...h.envelopes(1, h.lastSeq)].find((x) => x.event.type === 'mark')!;
    expect(mark.tie).to.equal('last');
    expect([...h.envelopes(1, h.lastSeq)].filter((x) => x.tie !== undefined)).to.have.length(1);
    // The default run's log records no tie at all: its envelopes are what they always were.
    expect([...new History(d).envelopes(1, d.lastSeq)].every((x) => !('tie' in x))).to.equal(true);
  });

  it("'last' runs after follow-ups queued later for that instant, keeps insertion order among 'last' events, and never overrides priority", () => {
    const e = new Engine<CounterState, Ev>(counterModel, counterInitial, { seed: 1 });
    e.inject({ type: 'mark', label: 'late1' }, 20, 0, 'last');
    e.inject({ type: 'mark', label: 'late2' }, 20, 0, 'last');
    e.inject({ type: 'mark', label: 'urgent' }, 20, -1, 'last');
    e.inject({ type: 'tick', left: 2, jitter: false }, 0); // its tick at 20 is queued at 10, after the marks
    e.inject({ type: 'mark', label: 'plain' }, 20); // queued before that tick: FIFO, as always
    e.run();
    const h = new History(e);
    const order = [...h.envelopes(1, h.lastSeq)].filter((x) => x.time === 20).map((x) => (x.event.type === 'mark' ? x.event.label : x.event.type));
    expect(order).to.deep.equal(['urgent', 'plain', 'tick', 'late1', 'late2']);
  });

  it('the explorer is offered both, the default first; a tie changes the order, not the choice point', () => {
    for (const [tie, first] of [[undefined, 'mark'], ['last', 'tick']] as const) {
      const e = tied(tie);
      const offered: string[][] = [];
      e.run({ choose: (cands) => { offered.push(cands.map((c) => c.event.type)); return 0; } });
      expect(offered).to.deep.equal([[first, first === 'mark' ? 'tick' : 'mark']]);
    }
  });

  it('a checkpoint, a fork and a resumed engine keep the tie, so they go on exactly as the run did', () => {
    const whole = tied('last');
    whole.run();
    const wh = new History(whole);
    const part = tied('last');
    part.run({ maxEvents: 1 });
    const cp = part.checkpoint();
    expect(cp.pending.find((p) => p.event.type === 'mark')).to.include({ tie: 'last' });
    const resumed = Engine.resume(counterModel, cp);
    resumed.run();
    expect(at(new History(resumed), 10)).to.deep.equal(['tick', 'mark']);
    // A fork rebuilds the queue from the log (pendingAt), tie included.
    expect(wh.pendingAt(1).find((p) => p.event.type === 'mark')).to.include({ tie: 'last' });
    const f = wh.fork(1);
    f.engine.run();
    expect(at(f, 10)).to.deep.equal(['tick', 'mark']);
    expect(f.stateAt(f.lastSeq)).to.deep.equal(wh.stateAt(wh.lastSeq));
  });

  it("a log records the tie on the injected line and in the footer's queue; a replayed log, lazy or not, goes on in the same order", () => {
    const e = tied('last');
    e.inject({ type: 'mark', label: 'Y' }, 30, 0, 'last');
    e.run({ until: 10 }); // stops with the mark at 30 still queued
    const text = [...logLines(new History(e), 1)].join('');
    const rows = text.trim().split('\n').map((r) => JSON.parse(r));
    expect(rows.filter((r) => r.tie === 'last').map((r) => r.seq)).to.deep.equal([3]);
    expect(rows[rows.length - 1].pending.filter((p: { tie?: string }) => p.tie === 'last')).to.have.length(1);
    e.run();
    const expected = [...new History(e).envelopes(1, e.lastSeq)];
    for (const lazy of [false, true]) {
      const back = replayLog(parseLog<Ev>(text, 'run.jsonl', counterModel), counterModel, counterInitial, 'run.jsonl', undefined, { lazy }).history;
      expect(back.envelope(3).tie).to.equal('last');
      back.engine.run();
      expect([...back.envelopes(1, back.lastSeq)]).to.deep.equal(expected);
    }
  });

  it("refuses a tie other than 'last', from code and in a log", () => {
    const e = new Engine<CounterState, Ev>(counterModel, counterInitial);
    expect(() => e.inject({ type: 'mark', label: 'x' }, 0, 0, 'first' as Tie)).to.throw(RangeError, /tie must be 'last'/);
    const t = tied('last');
    t.run();
    const text = rechain([...logLines(new History(t), 1)].join('').replace('"tie":"last"', '"tie":"early"').split('\n'));
    expect(() => parseLog(text, 'run.jsonl', counterModel)).to.throw(/^run\.jsonl:4: tie: expected 'last', got "early"$/);
  });
});
