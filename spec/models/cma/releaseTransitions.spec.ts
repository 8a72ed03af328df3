import { expect } from 'chai';
import { SimulationError } from '../../../lib/engine/index.ts';
import { RELEASE_TRANSITIONS } from '../../../models/cma/releaseTransitions.ts';
import type { LockMode, ReleaseStatus } from '../../../models/cma/state.ts';
import { expectClosed, readmeRowsOf, rowsOf } from './transitionTables.ts';
import { boot, req, world } from './world.ts';

/** Two chunks of 64 pages in area v, handed out and idle. */
function twoChunks(lockMode: LockMode): ReturnType<typeof world>['engine'] {
  const { engine } = world(boot({ lockMode, areas: [{ name: 'v', size: '4M' }] }));
  engine.inject(req({ area: 'v', count: 64 }), 0);
  engine.inject(req({ area: 'v', count: 64 }), 0);
  engine.run();
  return engine;
}

describe('models/cma/releaseTransitions (the release transition table)', () => {
  it('a release passes through every status of the table, and only by its rows', () => {
    const seen = new Set<ReleaseStatus>();
    for (const lockMode of ['global', 'split', 'per-area', 'series'] as LockMode[]) {
      const { engine, violations } = world(boot({ lockMode, areas: [{ name: 'v', size: '4M' }] }));
      engine.inject(req({ area: 'v', count: 64 }), 0);
      engine.inject(req({ area: 'v', count: 64 }), 0);
      engine.run();
      // Two releases at once and a request racing them: each waits for the locks the others hold.
      const t = engine.now;
      engine.inject({ type: 'cma.release', chunk: 1 }, t);
      engine.inject({ type: 'cma.release', chunk: 2 }, t);
      engine.inject(req({ area: 'v', count: 64 }), t);
      const modeSeen = new Set<ReleaseStatus>();
      engine.run({
        stopWhen: (_env, st) => {
          for (const op of Object.values(st().model.cma.releases)) modeSeen.add(op.status);
          return false;
        },
      });
      const m = engine.state.model.cma;
      expect(m.releases, lockMode).to.deep.equal({}); // both reached `released` and left
      expect(Object.keys(m.chunks), lockMode).to.deep.equal(['3']);
      expect(m.areas.v.counters.releasePagesSuccess, lockMode).to.equal(128);
      expect(violations, lockMode).to.deep.equal([]);
      // The series waits for its mutex before freeing the pages and clears under it; mainline frees unlocked, then waits to clear.
      expect([...modeSeen].sort(), lockMode).to.deep.equal(lockMode === 'series' ? ['freeing', 'waiting-outer-lock'] : ['freeing', 'waiting-clear-lock']);
      modeSeen.forEach((x) => seen.add(x));
    }
    const all = Object.keys(RELEASE_TRANSITIONS) as ReleaseStatus[];
    // `submitted` and `released` last only while one event is reduced: no event leaves a release in them.
    expect([...seen].sort()).to.deep.equal(all.filter((x) => x !== 'submitted' && x !== 'released').sort());
  });

  it('every status but released accepts some event, and every status a row leads to has a row', () => {
    expectClosed(RELEASE_TRANSITIONS, ['released']);
  });

  it("the README's table of release statuses is this table", () => {
    expect(readmeRowsOf(RELEASE_TRANSITIONS, '**A release.**', 'A refused release')).to.deep.equal(rowsOf(RELEASE_TRANSITIONS));
  });

  it("an event the release's status does not take throws a SimulationError naming the seq and the event", () => {
    const engine = twoChunks('per-area');
    const t = engine.now;
    engine.inject({ type: 'cma.release', chunk: 1 }, t);
    engine.run({ until: t + 1 }); // the 64 pages take 64 x releasePerPage to free
    expect(engine.state.model.cma.releases[1].status).to.equal('freeing');
    const seq = engine.log.length + 1;
    engine.inject({ type: 'cma.lock.acquired', owner: 'r1', lock: 'v.lock', waitedNs: 0 }, t + 2);
    let err: unknown;
    try { engine.run(); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(SimulationError);
    const se = err as SimulationError;
    expect(se.seq).to.equal(seq);
    expect(se.message).to.include(`seq ${seq}`).and.include('"type":"cma.lock.acquired"')
      .and.include('release of chunk 1 is freeing: cma.lock.acquired is not a transition');
  });

  it('a lock grant the release was not handed throws', () => {
    const engine = twoChunks('series');
    const t = engine.now;
    engine.inject({ type: 'cma.release', chunk: 1 }, t);
    engine.inject({ type: 'cma.release', chunk: 2 }, t);
    engine.run({ until: t + 1 });
    expect(engine.state.model.cma.releases[2].status).to.equal('waiting-outer-lock'); // release 1 holds cma_mutex
    engine.inject({ type: 'cma.lock.acquired', owner: 'r2', lock: 'cma_mutex', waitedNs: 0 }, t + 2);
    expect(() => engine.run()).to.throw(SimulationError, 'release of chunk 2 (waiting-outer-lock) was not handed cma_mutex');
  });
});
