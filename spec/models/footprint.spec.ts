import { expect } from 'chai';
import { runOnce } from '../../lib/explore/runner.ts';
import { Engine, replayEvents, type World } from '../../lib/engine/index.ts';
import { stateHash } from '../../lib/history/index.ts';
import type { SimEvent } from '../../events/index.ts';
import { dependent, footprint } from '../../models/footprint.ts';
import type { SimState } from '../../models/state.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import { race as race4 } from '../../examples/races/race4.ts';
import { race as race5 } from '../../examples/races/race5-per-area.ts';

/** Deep equality that skips shared subtrees (immer shares everything an event did not touch). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const dep = (a: SimEvent, b: SimEvent, s: SimState): boolean => dependent(footprint(a, s), footprint(b, s));

describe('models/footprint', () => {
  const s = race4.initial;

  it('marks what must be reordered as dependent', () => {
    const pin: SimEvent = { type: 'cma.pin', chunk: 2 };
    expect(dep(pin, { type: 'cma.defrag', area: 'gfx' }, s)).to.equal(true); // defrag may move chunk 2
    expect(dep(pin, { type: 'cma.unpin', chunk: 2 }, s)).to.equal(true);
    expect(dep({ type: 'cma.alloc.request', area: 'gfx', count: 8, align: 0, requester: 'x', pid: 1 }, { type: 'cma.release', chunk: 2 }, s)).to.equal(true);
    expect(dep({ type: 'pagecache.fault', file: 'a', index: 0 }, { type: 'page.pin', id: 'p', file: 'a', index: 0 }, s)).to.equal(true);
    // Unknown to the table (device and workload events): dependent on everything that changes state.
    expect(dep({ type: 'workload.start' } as SimEvent, { type: 'cma.pin', chunk: 2 }, s)).to.equal(true);
  });

  it('marks notifications, trace records and other chunks as independent', () => {
    expect(dep({ type: 'cma.pin', chunk: 2 }, { type: 'cma.pin', chunk: 7 }, s)).to.equal(false);
    expect(dep({ type: 'cma.pin', chunk: 2 }, { type: 'cma.alloc.done', request: 2, requester: 'x', pfn: 0, count: 1, errno: 0 }, s)).to.equal(false);
    expect(dep({ type: 'cma.defrag', area: 'gfx' }, { type: 'trace.mm_migrate_pages_start', task: { comm: 'x', pid: 1, cpu: 0 }, mode: 'MIGRATE_SYNC', reason: 'contig_range' } as SimEvent, s)).to.equal(false);
  });

  it('is sound on real runs: every pair it calls independent commutes (property over logged events)', () => {
    let checked = 0;
    for (const scn of [race4, race5]) {
      const run = runOnce(scn, null, () => 0, { por: false, window: 0 });
      expect(run.failure).to.equal(null);
      // Rebuild the same run with a log, then try every pair of its events on every 8th state.
      const e = new Engine<SimState, SimEvent>(cmaSimModel, scn.initial, { seed: scn.seed });
      for (const i of scn.inject) e.inject(i.event, i.time);
      e.run();
      const events = [...e.log.envelopes()].map((x) => x.event);
      const worlds: World<SimState>[] = [];
      let w = e.snapshots[0];
      for (const [k, env] of [...e.log.envelopes()].entries()) {
        if (k % 8 === 0) worlds.push(w);
        w = replayEvents(cmaSimModel, w, [env]);
      }
      for (const w0 of worlds) {
        for (let i = 0; i < events.length; i++) {
          for (let j = i + 1; j < events.length; j++) {
            const a = events[i], b = events[j];
            if (dep(a, b, w0.model)) continue;
            let ab: World<SimState>, ba: World<SimState>;
            try {
              ab = replayEvents(cmaSimModel, w0, [{ seq: 1, time: 0, event: a }, { seq: 2, time: 0, event: b }]);
              ba = replayEvents(cmaSimModel, w0, [{ seq: 1, time: 0, event: b }, { seq: 2, time: 0, event: a }]);
            } catch {
              continue; // an event that makes no sense in this state (its request is elsewhere)
            }
            if (!same(ab, ba)) expect(stateHash(ab), `${a.type} / ${b.type} do not commute`).to.equal(stateHash(ba));
            checked++;
          }
        }
      }
    }
    expect(checked).to.be.greaterThan(300);
  });

  // The explorer skips committing and checking after an event whose footprint writes nothing, so
  // that claim must hold for every such event of a real run: the state is left identical.
  it('an event whose footprint writes nothing leaves the state untouched (every event of example 1\'s first 1.5 s)', async function () {
    this.timeout(60_000);
    const { scenario } = await import('../../examples/01-fimc-mfc-two-banks.ts');
    const { runScenario } = await import('../../lib/scenario/runScenario.ts');
    const h = runScenario(scenario, { until: 2_600_000_000 }).history;
    let quiet = 0;
    let before = h.stateAt(0);
    for (let k = 1; k <= h.lastSeq; k++) {
      const after = h.stateAt(k);
      if (footprint(h.envelope(k).event, before.model).writes.length === 0) {
        quiet++;
        expect(after.model, `seq ${k} ${h.envelope(k).event.type}`).to.equal(before.model);
      }
      before = after;
    }
    expect(quiet).to.be.greaterThan(100);
  });
});
