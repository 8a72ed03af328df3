import { expect } from 'chai';
import { Engine } from '../../../lib/engine/index.ts';
import { runEngine } from '../../../lib/run/runEngine.ts';
import { runToHistory } from '../../../lib/run/runToHistory.ts';
import { counterInitial, counterModel, type CounterEvent, type CounterState } from '../../fixtures/counterModel.ts';

/** 21 ticks 10 ns apart and a mark after every 7th: 24 events. */
const ticking = () => {
  const e = new Engine<CounterState, CounterEvent>(counterModel, counterInitial, { seed: 1 });
  e.inject({ type: 'tick', left: 20, jitter: false }, 0);
  return e;
};

describe('runEngine (the one run loop)', () => {
  it('reports progress every progressEvery events while the run goes on, never after its last event', () => {
    const seen: number[] = [];
    const r = runEngine(ticking(), { progress: (p) => seen.push(p.seq), progressEvery: 10 });
    expect(r).to.include({ reason: 'idle', dispatched: 24 });
    expect(seen).to.deep.equal([10, 20]);
  });

  it('counts maxEvents over all its steps and says which bound stopped it', () => {
    const seen: number[] = [];
    const e = ticking();
    const r = runEngine(e, { maxEvents: 15, progress: (p) => seen.push(p.dispatched), progressEvery: 10 });
    expect(r).to.include({ reason: 'maxEvents', dispatched: 15, lastSeq: 15 });
    expect(seen).to.deep.equal([10]);
    expect(runEngine(e, { until: 155 })).to.include({ reason: 'until', now: 155 });
  });

  it('runs the per-event check after every event with the committed state, and stops when it says so', () => {
    const e = ticking();
    const ticks: number[] = [];
    const r = runEngine(e, { check: (env, state) => { ticks.push(state().model.ticks); return env.event.type === 'mark'; } });
    expect(r).to.include({ reason: 'stopWhen', lastSeq: 8 });
    expect(ticks).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 7]);
    expect(Object.isFrozen(e.state.model)).to.equal(true);
  });

  it('runToHistory keeps the whole history of a Runnable run in its own order of ties', () => {
    const r = {
      name: 'ties', model: counterModel, initial: counterInitial, seed: 1, until: 100,
      inject: [{ event: { type: 'set', key: 'a', value: 1 } as CounterEvent, time: 5 }, { event: { type: 'set', key: 'b', value: 2 } as CounterEvent, time: 5 }],
      choose: (c: readonly unknown[]) => c.length - 1,
    };
    const h = runToHistory(r, 1);
    expect([...h.envelopes(1, h.lastSeq)].map((x) => (x.event as { key: string }).key)).to.deep.equal(['b', 'a']);
    expect(h.engine.now).to.equal(100);
    expect(h.stateAt(1).model.cells).to.deep.equal({ b: 2 });
  });
});
