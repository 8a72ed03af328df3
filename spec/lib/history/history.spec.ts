import { expect } from 'chai';
import { applyPatches } from 'immer';
import { Engine, replayEvents, Rng, seedRng } from '../../../lib/engine/index.ts';
import { History } from '../../../lib/history/index.ts';
import { counterInitial, counterModel, type CounterEvent, type CounterState } from '../../fixtures/counterModel.ts';
import { counterRun } from '../../fixtures/counterRun.ts';

/** Fold the first k logged events into the initial world, from scratch. */
function freshReplay(h: History<CounterState, CounterEvent>, k: number): CounterState {
  const initial = new Engine<CounterState, CounterEvent>(counterModel, counterInitial, { seed: 5 }).state;
  return replayEvents(counterModel, initial, [...h.envelopes(1, k)]).model;
}

describe('History', () => {
  const h = counterRun(5);

  it('stateAt(k) deep-equals a fresh replay of the first k events (property, random k)', () => {
    const rng = new Rng(seedRng(99));
    for (let i = 0; i < 40; i++) {
      const k = rng.int(0, h.lastSeq);
      expect(h.stateAt(k).model, `k=${k}`).to.deep.equal(freshReplay(h, k));
    }
    expect(h.stateAt(h.lastSeq)).to.equal(h.engine.state);
  });

  it('diff(a, b) applied to stateAt(a) gives stateAt(b), in both directions (property)', () => {
    const rng = new Rng(seedRng(7));
    for (let i = 0; i < 40; i++) {
      const a = rng.int(0, h.lastSeq), b = rng.int(0, h.lastSeq);
      expect(applyPatches(h.stateAt(a), h.diff(a, b)), `a=${a} b=${b}`).to.deep.equal(h.stateAt(b));
    }
  });

  it('stateAtTime(t) is the state after every event at or before t', () => {
    const t = h.timeOf(57);
    const k = h.seqAtTime(t);
    expect(h.timeOf(k)).to.equal(t);
    expect(k === h.lastSeq || h.timeOf(k + 1) > t).to.equal(true);
    expect(h.stateAtTime(t)).to.deep.equal(h.stateAt(k));
  });

  it('steps back and forward to identical states', () => {
    const h2 = counterRun(5);
    const end = h2.stateAt(h2.lastSeq);
    const before = h2.seek(100);
    h2.stepForward(3);
    expect(h2.cursor).to.equal(103);
    expect(h2.stepBack(3)).to.deep.equal(before);
    h2.seek(h2.lastSeq);
    expect(h2.stepForward()).to.deep.equal(end);
    expect(h2.seek(0).model).to.deep.equal(counterInitial);
  });

  it('why(seq) follows cause links back to the injected event', () => {
    const chain = h.why(30);
    expect(chain[0].seq).to.equal(30);
    expect(chain[chain.length - 1].cause).to.equal(null);
    for (let i = 0; i + 1 < chain.length; i++) expect(chain[i].cause).to.equal(chain[i + 1].seq);
    expect(chain[chain.length - 1].event.type).to.equal('tick'); // the first injected tick
  });

  it('lastWrite finds the event that last changed a value', () => {
    const writesOfX = [...h.envelopes(1, h.lastSeq)].filter((e) => e.event.type === 'set' && (e.event as { key: string }).key === 'x').map((e) => e.seq);
    expect(writesOfX).to.have.length(2);
    expect(h.lastWrite('model.cells.x')).to.equal(writesOfX[1]);
    expect(h.lastWrite('model.cells.x', writesOfX[1] - 1)).to.equal(writesOfX[0]);
    expect(h.lastWrite('model.cells.x', writesOfX[0] - 1)).to.equal(null);
    // ticks changes on every tick event: the last tick at or before 50
    const lastTick = [...h.envelopes(1, 50)].filter((e) => e.event.type === 'tick').pop()!.seq;
    expect(h.lastWrite(['model', 'ticks'], 50)).to.equal(lastTick);
  });

  it('fork starts a new timeline with edits and leaves the parent intact', () => {
    const parent = counterRun(5);
    const lastBefore = parent.lastSeq;
    const finalBefore = parent.stateAt(lastBefore);
    const pending = parent.pendingAt(60);
    const nextTick = pending.find((p) => p.event.type === 'tick')!;
    expect(nextTick.seq).to.be.a('number');
    // Unedited fork reproduces the parent exactly.
    const same = parent.fork(60);
    same.engine.run({ until: 1_000_000 });
    expect(same.lastSeq).to.equal(lastBefore);
    expect(same.stateAt(same.lastSeq)).to.deep.equal(finalBefore);
    // Dropping the pending tick stops the chain of ticks.
    const dropped = parent.fork(60, { drop: [nextTick.seq!], inject: [{ event: { type: 'set', key: 'z', value: 9 }, time: parent.timeOf(60) + 1 }] });
    dropped.engine.run({ until: 1_000_000 });
    const ticksAt60 = parent.stateAt(60).model.ticks;
    expect(dropped.engine.state.model.ticks).to.equal(ticksAt60);
    expect(dropped.engine.state.model.cells.z).to.equal(9);
    expect(dropped.stateAt(30)).to.deep.equal(parent.stateAt(30)); // shared past
    expect(dropped.why(dropped.lastSeq).length).to.be.greaterThan(0);
    // The parent is unchanged.
    expect(parent.lastSeq).to.equal(lastBefore);
    expect(parent.stateAt(lastBefore)).to.deep.equal(finalBefore);
    expect(() => parent.fork(60, { drop: [3] })).to.throw(/not pending after seq 60/);
  });
});
