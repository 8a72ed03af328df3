import { expect } from 'chai';
import { DEFAULT_DELTAS, Engine, replayEvents, Rng, seedRng, strideAt, type SnapshotDeltas, type Thinning } from '../../../lib/engine/index.ts';
import { History } from '../../../lib/history/index.ts';
import { counterInitial, counterModel, type CounterEvent, type CounterState } from '../../fixtures/counterModel.ts';

const K = 4;
const THIN: Thinning = { dense: 3, maxStride: 4 };

function run(thinning: Thinning | null, ticks = 600, deltas?: SnapshotDeltas | null): History<CounterState, CounterEvent> {
  const e = new Engine<CounterState, CounterEvent>(counterModel, counterInitial, { seed: 3, snapshotEvery: K, thinning, deltas });
  e.inject({ type: 'tick', left: ticks, jitter: true }, 0);
  e.inject({ type: 'set', key: 'x', value: 1 }, 40);
  e.run();
  return new History(e);
}

const kept = (h: History<CounterState, CounterEvent>): number[] => h.engine.keptSnapshotSlots();

describe('History: snapshot thinning', () => {
  const thin = run(THIN);
  const full = run(null);

  it('keeps the newest `dense` snapshots, then every 2nd, 4th, ... up to every maxStride-th, and always the first', () => {
    const js = kept(thin);
    const newest = thin.engine.snapshots.length - 1;
    expect(newest).to.be.greaterThan(150);
    expect(js[0]).to.equal(0);
    for (let age = 0; age < THIN.dense; age++) expect(js).to.include(newest - age);
    for (const j of js.slice(1)) expect(j % strideAt(newest - j, THIN), `slot ${j}`).to.equal(0);
    // Every slot the policy wants is there: nothing is dropped that should have been kept.
    for (let j = 1; j <= newest; j++) if (j % strideAt(newest - j, THIN) === 0) expect(js, `slot ${j}`).to.include(j);
    for (let i = 1; i < js.length; i++) expect(js[i] - js[i - 1]).to.be.at.most(THIN.maxStride);
    expect(js.length).to.be.below(newest / 3);
    expect(kept(full).length).to.equal(newest + 1);
  });

  it('stateAt restores the same worlds as an unthinned history and as a fresh replay (property, random k)', () => {
    expect(thin.lastSeq).to.equal(full.lastSeq);
    const rng = new Rng(seedRng(11));
    for (let i = 0; i < 60; i++) {
      const k = rng.int(0, thin.lastSeq);
      const fresh = replayEvents(counterModel, full.stateAt(0), [...full.envelopes(1, k)]).model;
      expect(thin.stateAt(k).model, `k=${k}`).to.deep.equal(fresh);
      expect(full.stateAt(k).model, `k=${k}`).to.deep.equal(fresh);
    }
  });

  it('a restore inside a thinned gap keeps the states it passes, so a step back replays less than K events', () => {
    const h = run(THIN);
    const { seq: snap } = h.engine.snapshotAtOrBefore(K * 9 + 2);
    expect(snap).to.equal(K * 8); // slot 9 is thinned (old slots are kept every 4th)
    let replayed = 0;
    const counting = Object.fromEntries(Object.entries(counterModel.reducers).map(([t, r]) => [t, (...a: unknown[]) => { replayed++; (r as (...x: unknown[]) => void)(...a); }]));
    (h.engine as { model: unknown }).model = { ...counterModel, reducers: counting };
    h.stateAt(K * 11 + 1);
    const first = replayed;
    replayed = 0;
    h.stateAt(K * 10 + 3);
    expect(first).to.equal(K * 3 + 1);
    expect(replayed).to.be.below(K);
  });

  it('forks and lastWrite work across thinned gaps', () => {
    const f = thin.fork(50);
    f.engine.run();
    expect(f.stateAt(f.lastSeq).model).to.deep.equal(thin.stateAt(thin.lastSeq).model);
    expect(thin.lastWrite('model.cells.x')).to.equal(full.lastWrite('model.cells.x'));
  });

  it('kept as deltas: the same slots kept, whole ones only at slot 0, keyframes (slots kept for good) and the newest, and the same worlds restored (property, random k, keyframe sizes)', () => {
    const whole = run(THIN, 600, null);
    const newest = whole.engine.snapshots.length - 1;
    for (const keyframeBytes of [1, 2_000, 1e9]) {
      const h = run(THIN, 600, { keyframeBytes });
      expect(h.engine.keptSnapshotSlots(), `keyframeBytes ${keyframeBytes}`).to.deep.equal(whole.engine.keptSnapshotSlots());
      const wholeSlots = h.engine.snapshots.flatMap((w, j) => (w === undefined ? [] : [j]));
      expect(wholeSlots[0]).to.equal(0);
      expect(wholeSlots[wholeSlots.length - 1]).to.equal(newest);
      // Every delta over budget: every slot that thinning keeps for good (multiples of maxStride) is whole.
      if (keyframeBytes === 1) expect(wholeSlots).to.deep.equal([...h.engine.keptSnapshotSlots().filter((j) => j % THIN.maxStride === 0 && j !== newest), newest]);
      if (keyframeBytes === 1e9) expect(wholeSlots).to.deep.equal([0, newest]);
      if (keyframeBytes === 2_000) expect(wholeSlots.length).to.be.within(3, h.engine.keptSnapshotSlots().length - 10);
      const rng = new Rng(seedRng(keyframeBytes));
      for (let i = 0; i < 40; i++) {
        const k = rng.int(0, h.lastSeq);
        expect(h.stateAt(k).model, `keyframeBytes ${keyframeBytes}, k=${k}`).to.deep.equal(whole.stateAt(k).model);
      }
    }
  });

  it('stepping inside the interval of the last restore does not restore a delta snapshot again (it costs a chain of deltas)', () => {
    const h = run(THIN, 600, DEFAULT_DELTAS);
    let restores = 0;
    const orig = h.engine.snapshotAtOrBefore.bind(h.engine);
    (h.engine as { snapshotAtOrBefore: unknown }).snapshotAtOrBefore = (seq: number) => { restores++; return orig(seq); };
    const whole = run(THIN, 600, null);
    for (const k of [K * 20 + 1, K * 20 + 2, K * 20 + 3]) expect(h.stateAt(k).model, `k=${k}`).to.deep.equal(whole.stateAt(k).model);
    expect(restores).to.equal(1); // then forward from the last state returned
    // Back to a slot restored last: the same world, not the chain applied again.
    expect(orig(K * 20 + 2).state).to.equal(orig(K * 20 + 1).state);
    expect(h.engine.snapshots[20]).to.equal(undefined); // slot 20 is kept as a delta
  });

  it('a restore from a delta snapshot drops the states visited from an earlier restore (each owns copies up to a whole state)', () => {
    const h = run(THIN, 600, DEFAULT_DELTAS);
    const visitedSeqs = (): number[] => [...(h as unknown as { visited: { bySeq: Map<number, unknown> } }).visited.bySeq.keys()];
    h.stateAt(K * 11 + 1); // across a thinned gap from slot 8: visits slots 9..11
    expect(visitedSeqs().length).to.be.greaterThan(0);
    h.stateAt(K * 23 + 1); // slot 20, a delta, restored anew
    expect(visitedSeqs().every((s) => s > K * 20)).to.equal(true);
  });

  it('rejects a thinning that does not bound the replay', () => {
    expect(() => new Engine(counterModel, counterInitial, { thinning: { dense: 4, maxStride: 3 } })).to.throw(RangeError, /power of two/);
    expect(() => new Engine(counterModel, counterInitial, { thinning: { dense: 0, maxStride: 4 } })).to.throw(RangeError, /dense/);
    expect(() => new Engine(counterModel, counterInitial, { deltas: { keyframeBytes: 0 } })).to.throw(RangeError, /keyframeBytes/);
  });
});
