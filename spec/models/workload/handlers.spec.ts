import { expect } from 'chai';
import { Engine, type Model } from '../../../lib/engine/index.ts';
import type { SimEvent } from '../../../events/index.ts';
import type { SimState } from '../../../models/state.ts';
import { createWorkloadState } from '../../../models/workload/createWorkloadState.ts';
import { workloadHandlers } from '../../../models/workload/handlers.ts';
import type { GeneratorSpec } from '../../../models/workload/state.ts';

// The workload handlers alone, with every other event type accepted and ignored, so these tests
// see exactly when generators tick whatever the other aggregates do with what they emit.
const noop = () => {};
const model = {
  name: 'workload-only', version: '0',
  reducers: new Proxy(workloadHandlers as Record<string, unknown>, { get: (t, k: string) => t[k] ?? noop }),
} as unknown as Model<SimState, SimEvent>;

function run(generators: GeneratorSpec[], seed = 1, until = 10e9) {
  const state = { memory: {}, pagecache: {}, cma: { nextRequestId: 1 }, devices: {}, workload: createWorkloadState({ generators }) } as unknown as SimState;
  const e = new Engine<SimState, SimEvent>(model, state, { seed });
  e.inject({ type: 'workload.start' }, 0);
  e.run({ until });
  const ticks = [...e.log.envelopes()].filter((x) => x.event.type === 'workload.tick').map((x) => [(x.event as { generator: string }).generator, x.time]);
  return { ticks, state: e.state.model, engine: e };
}

const common = { start: 0, stop: null, count: null };
const pc = (over: Partial<GeneratorSpec>): GeneratorSpec => ({
  ...common, name: 'pc', kind: 'pagecache', arrival: { process: 'poisson', rate: 100 }, files: 2, filePages: 64, readahead: [1, 8], dirty: 0.5, ...over,
} as GeneratorSpec);

describe('workload handlers', () => {
  it('periodic ticks start at `start`, repeat every period and stop after `count`', () => {
    const { ticks, state } = run([pc({ name: 'p', arrival: { process: 'periodic', period: 10e6, jitter: 0 }, start: 5e6, count: 3 })]);
    expect(ticks).to.deep.equal([['p', 5e6], ['p', 15e6], ['p', 25e6]]);
    expect(state.workload.generators.p.done).to.equal(true);
  });

  it('no tick falls after `stop`', () => {
    const { ticks } = run([pc({ name: 'p', arrival: { process: 'periodic', period: 10e6, jitter: 0 }, stop: 25e6 })]);
    expect(ticks.map((t) => t[1])).to.deep.equal([0, 10e6, 20e6]);
  });

  it('fixed use-case switches tick at their times', () => {
    const uc: GeneratorSpec = { ...common, name: 'uc', kind: 'usecase', cases: { a: [{ device: 'x', buffers: [], work: null }], b: [{ device: 'y', buffers: [], work: null }] }, caseNames: ['a', 'b'], switches: [{ at: 0, to: 'a' }, { at: 1e9, to: 'b' }, { at: 3e9, to: 'a' }], dwell: null, initial: null };
    const { ticks, state } = run([uc]);
    expect(ticks.map((t) => t[1])).to.deep.equal([0, 1e9, 3e9]);
    expect(state.workload.generators.uc.current).to.equal('a');
    // 3 switches: open x; close x + open y; close y + open x
    const w = state.workload;
    expect((w.emitted['device.open'] ?? 0) + (w.undeliverable['device.open'] ?? 0)).to.equal(3);
    expect((w.emitted['device.close'] ?? 0) + (w.undeliverable['device.close'] ?? 0)).to.equal(2);
  });

  it('same seed, same ticks; another seed, other ticks (randomness only from the engine PRNG)', () => {
    const gens = [pc({}), pc({ name: 'pins', kind: 'pins', pages: [1, 4], hold: [1e5, 1e6], longterm: 0.1 } as Partial<GeneratorSpec>)];
    const a = run(gens, 7, 1e9), b = run(gens, 7, 1e9), c = run(gens, 8, 1e9);
    expect(a.ticks.length).to.be.greaterThan(100);
    expect(b.ticks).to.deep.equal(a.ticks);
    expect(b.state).to.deep.equal(a.state);
    expect(c.ticks).to.not.deep.equal(a.ticks);
  });

  it('a workload allocation is released after its hold; one the CMA model never recorded is forgotten', () => {
    const alloc: GeneratorSpec = {
      ...common, name: 'al', kind: 'alloc', count: 1, arrival: { process: 'periodic', period: 1e6, jitter: 0 }, requester: 'cam', memKind: '',
      areas: [], size: [8192, 8192], align: 0, hold: [2e6, 2e6],
    };
    const { engine, state } = run([alloc]);
    const rel = [...engine.log.envelopes()].filter((x) => x.event.type === 'workload.release');
    const emitted = (state.workload.emitted['cma.alloc.request'] ?? 0) === 1;
    // Only a delivered request is held and released.
    expect(rel.map((x) => x.time)).to.deep.equal(emitted ? [2e6] : []);
    expect(state.workload.held).to.deep.equal({});
  });
});
