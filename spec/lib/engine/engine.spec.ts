import { expect } from 'chai';
import sinon from 'sinon';
import { Engine, SimulationError } from '../../../lib/engine/index.ts';
import { counterInitial, counterModel, type CounterEvent, type CounterState } from '../../fixtures/counterModel.ts';

const make = (seed = 1, snapshotEvery = 16) => new Engine<CounterState, CounterEvent>(counterModel, counterInitial, { seed, snapshotEvery });

describe('Engine', () => {
  it('wraps each dispatched event in an envelope with monotonic seq, integer time and cause', () => {
    const e = make();
    e.inject({ type: 'tick', left: 3, jitter: false }, 100);
    e.run();
    const envs = [...e.log.envelopes()];
    expect(envs.map((x) => x.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(envs.map((x) => x.time)).to.deep.equal([100, 110, 120, 130]);
    expect(envs[0].cause).to.equal(null);
    expect(envs.slice(1).map((x) => x.cause)).to.deep.equal([1, 2, 3]);
  });

  it('interleaves injected events with scheduled ones by time, then priority, then FIFO', () => {
    const e = make();
    e.inject({ type: 'tick', left: 2, jitter: false }, 0); // ticks at 0, 10, 20
    e.inject({ type: 'set', key: 'x', value: 1 }, 10); // same time as the second tick, injected earlier => first
    e.inject({ type: 'set', key: 'y', value: 2 }, 15);
    e.inject({ type: 'mark', label: 'hi' }, 20, -1); // priority beats insertion order
    e.run();
    const types = [...e.log.envelopes()].map((x) => `${x.time}:${x.event.type}`);
    expect(types).to.deep.equal(['0:tick', '10:set', '10:tick', '15:set', '20:mark', '20:tick']);
  });

  it('stops at the first bound reached and says which', () => {
    const e = make();
    e.inject({ type: 'tick', left: 100, jitter: false }, 0);
    expect(e.run({ maxEvents: 5 }).reason).to.equal('maxEvents');
    expect(e.lastSeq).to.equal(5);
    const r = e.run({ until: 95 });
    expect(r.reason).to.equal('until');
    expect(e.now).to.equal(95);
    expect(e.log.timeOf(e.lastSeq)).to.equal(90);
    expect(e.run({ stopWhen: (env) => env.time >= 200 }).reason).to.equal('stopWhen');
    expect(e.log.timeOf(e.lastSeq)).to.equal(200);
    expect(e.run().reason).to.equal('idle');
    expect(e.state.model.ticks).to.equal(101);
  });

  it('names seq, event and reducer when a reducer throws, and keeps the state before it', () => {
    const e = make(1, 1000);
    e.inject({ type: 'set', key: 'a', value: 1 }, 0);
    e.inject({ type: 'set', key: 'b', value: 2 }, 1);
    e.inject({ type: 'boom' }, 2);
    e.inject({ type: 'set', key: 'c', value: 3 }, 3);
    let err: unknown;
    try { e.run(); } catch (x) { err = x; }
    expect(err).to.be.instanceOf(SimulationError);
    const se = err as SimulationError;
    expect(se.seq).to.equal(3);
    expect(se.message).to.contain("counter.reducers['boom']").and.contain('seq 3').and.contain('kaboom');
    expect(e.state.model.cells).to.deep.equal({ a: 1, b: 2 });
    expect(e.lastSeq).to.equal(2);
  });

  it('hands out deeply frozen states', () => {
    const e = make();
    e.inject({ type: 'tick', left: 20, jitter: true }, 0);
    e.run();
    const s = e.state;
    expect(() => { (s.model as { ticks: number }).ticks = 0; }).to.throw(TypeError);
    expect(() => { (s.model.cells as Record<string, number>).c1 = 5; }).to.throw(TypeError);
    expect(() => { (s.model.seen as string[]).push('x'); }).to.throw(TypeError);
    expect(() => { (s.rng as unknown as number[])[0] = 1; }).to.throw(TypeError);
  });

  it('emits envelopes on events$ and snapshots on snapshots$ only to subscribers', () => {
    const e = make(1, 4);
    const onEvent = sinon.spy();
    const onSnap = sinon.spy();
    const sub = e.events$.subscribe(onEvent);
    const sub2 = e.snapshots$.subscribe(onSnap);
    e.inject({ type: 'tick', left: 9, jitter: false }, 0);
    e.run();
    expect(onEvent.callCount).to.equal(11); // 10 ticks + 1 mark
    expect(onEvent.firstCall.args[0]).to.include({ seq: 1, time: 0 });
    expect(onSnap.callCount).to.equal(2 + 1); // seq 4, 8, and the end of the run
    expect(Object.isFrozen(onSnap.lastCall.args[0].state)).to.equal(true);
    sub.unsubscribe(); sub2.unsubscribe();
  });

  it('does no observable work per event while nobody subscribes', () => {
    const e = make(1, 4);
    const spy = sinon.spy(e.log, 'envelope');
    e.inject({ type: 'tick', left: 50, jitter: false }, 0);
    e.run();
    expect(spy.callCount).to.equal(0); // no envelope is even materialised
    const sub = e.events$.subscribe(() => {});
    e.inject({ type: 'tick', left: 2, jitter: false }, e.now);
    e.run();
    expect(spy.callCount).to.equal(3);
    sub.unsubscribe();
  });

  it('draws randomness from state: same seed same run, other seed other run, restored state continues identically', () => {
    const run = (seed: number) => { const e = make(seed); e.inject({ type: 'tick', left: 50, jitter: true }, 0); e.run(); return e; };
    const a = run(7), b = run(7), c = run(8);
    expect(a.state).to.deep.equal(b.state);
    expect(a.state.model.sum).to.not.equal(c.state.model.sum);
    // Continue from a mid-run world: same result as the uninterrupted run.
    const full = make(3); full.inject({ type: 'tick', left: 30, jitter: true }, 0); full.run();
    const half = make(3); half.inject({ type: 'tick', left: 30, jitter: true }, 0); half.run({ maxEvents: 12 });
    const resumed = Engine.resume(counterModel, half.checkpoint());
    resumed.run();
    expect(resumed.state).to.deep.equal(full.state);
  });

  it('refuses bad times, delays and unknown events', () => {
    const e = make();
    e.inject({ type: 'tick', left: 1, jitter: false }, 10);
    e.run();
    expect(() => e.inject({ type: 'set', key: 'a', value: 1 }, 5)).to.throw(/time must be an integer >= now/);
    expect(() => e.inject({ type: 'set', key: 'a', value: 1 }, 30.5)).to.throw(/integer/);
    expect(() => e.inject({ type: 'nope' } as unknown as CounterEvent, 40)).to.throw(/unknown event type 'nope'/);
  });

  it('lets an explorer choose among concurrent events, and never runs the clock backwards', () => {
    const setup = () => {
      const e = make();
      e.inject({ type: 'set', key: 'a', value: 1 }, 10);
      e.inject({ type: 'set', key: 'b', value: 2 }, 10);
      e.inject({ type: 'set', key: 'c', value: 3 }, 10);
      e.inject({ type: 'set', key: 'd', value: 4 }, 12);
      return e;
    };
    const offered: number[] = [];
    const e = setup();
    e.run({ choose: (c) => { offered.push(c.length); return c.length - 1; } });
    expect([...e.log.envelopes()].map((x) => (x.event as { key: string }).key)).to.deep.equal(['c', 'b', 'a', 'd']);
    expect(offered).to.deep.equal([3, 2]);
    const w = setup();
    w.run({ window: 5, choose: (c) => c.findIndex((x) => (x.event as { key: string }).key === 'd') >= 0 ? c.findIndex((x) => (x.event as { key: string }).key === 'd') : 0 });
    const envs = [...w.log.envelopes()];
    expect(envs.map((x) => (x.event as { key: string }).key)).to.deep.equal(['d', 'a', 'b', 'c']);
    expect(envs.map((x) => x.time)).to.deep.equal([12, 12, 12, 12]);
  });

  it('checkpoint inside choose holds the candidates: resuming from it offers the same decision, and a checkpoint keeps when each event was queued', () => {
    const e = make();
    e.inject({ type: 'set', key: 'a', value: 1 }, 10);
    e.inject({ type: 'set', key: 'b', value: 2 }, 10);
    e.inject({ type: 'tick', left: 3, jitter: false }, 11);
    e.run({ maxEvents: 0 });
    let saved: ReturnType<typeof e.checkpoint> | null = null;
    e.run({ choose: (c) => { saved ??= e.checkpoint(); return c.length - 1; } });
    expect(saved!.seq).to.equal(0);
    expect(saved!.pending.map((p) => p.event.type)).to.deep.equal(['set', 'set', 'tick']);
    expect(saved!.pending.map((p) => [p.cause, p.after])).to.deep.equal([[null, 0], [null, 0], [null, 0]]);
    const again = Engine.resume(counterModel, saved!);
    again.run({ choose: (c) => c.length - 1 });
    expect([...again.log.envelopes()].map((x) => x.event)).to.deep.equal([...e.log.envelopes()].map((x) => x.event));
    // Mid-run: a scheduled follow-up names its cause; an injection after 2 events says so.
    const m = make();
    m.inject({ type: 'tick', left: 5, jitter: false }, 0);
    m.run({ maxEvents: 2 });
    m.inject({ type: 'mark', label: 'late' }, 100);
    const cp = m.checkpoint();
    expect(cp.pending.map((p) => [p.event.type, p.cause, p.after])).to.deep.equal([['tick', 2, 2], ['mark', null, 2]]);
    const r = Engine.resume(counterModel, cp);
    expect([r.now, r.lastSeq]).to.deep.equal([m.now, 2]);
    r.run();
    m.run();
    expect(r.state).to.deep.equal(m.state);
    expect([...r.log.envelopes()]).to.deep.equal([...m.log.envelopes(3)]);
  });

  it('never logs immer drafts: an event scheduled from state is a detached copy', () => {
    type Ev = { readonly type: 'play' } | { readonly type: 'echo'; readonly n: number };
    type S2 = { readonly recorded: readonly Ev[]; readonly next: number };
    const m = {
      name: 'm', version: '1',
      reducers: {
        play: (d: { recorded: Ev[]; next: number }, _e: Ev, ctx: { schedule(e: Ev): void }) => {
          ctx.schedule(d.recorded[d.next]); // a draft of a recorded event
          d.next++;
        },
        echo: () => {},
      },
    } as unknown as import('../../../lib/engine/index.ts').Model<S2, Ev>;
    const e = new Engine<S2, Ev>(m, { recorded: [{ type: 'echo', n: 1 }, { type: 'echo', n: 2 }], next: 0 });
    e.inject({ type: 'play' }, 0);
    e.inject({ type: 'play' }, 1);
    e.run();
    const echoes = [...e.log.envelopes()].filter((x) => x.event.type === 'echo').map((x) => x.event);
    expect(echoes).to.deep.equal([{ type: 'echo', n: 1 }, { type: 'echo', n: 2 }]);
  });
});
