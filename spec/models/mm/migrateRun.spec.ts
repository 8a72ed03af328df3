import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { Rng, seedRng } from '../../../lib/engine/prng.ts';
import { stateHash } from '../../../lib/history/index.ts';
import { isolateRange, migrateRange, type MigrationOutcome } from '../../../models/mm/contig.ts';
import { mutMemory } from '../../../models/memory/mutMemory.ts';
import type { SimState } from '../../../models/state.ts';
import { mergeCosts } from '../../../models/timing/costs.ts';
import { mutate, runChecked, simState } from '../memory/sim.ts';

// 16 MiB, CMA area = pageblocks 4..5 (pfn 2048..3071), movable allocations prefer CMA ('first').
const A = 2048, B = 3072;
const costs = mergeCosts({});

/**
 * The area filled with page cache (some dirty, some under writeback, some pinned) and order-0
 * anonymous and unmovable pages, then `fill` more pages of page cache outside it.
 */
function randomState(seed: number, fill: number, kernel: string): SimState {
  const rng = new Rng(seedRng(seed));
  const s = simState({ memory: '16M', cmaFallback: 'first' }, { dirtyExpireNs: null, dirtyBackgroundRatio: null, writebackPerPageNs: 1e9 }, [{ start: A, pages: 1024 }], kernel);
  const ev: SimEvent[] = [];
  for (let i = 0; i < 120; i++) {
    const r = rng.next();
    if (r < 0.5) ev.push({ type: 'pagecache.fault', file: `f${rng.int(0, 2)}`, index: rng.int(0, 1000), count: rng.int(1, 48) });
    else if (r < 0.65) ev.push({ type: 'memory.alloc', id: `a${i}`, kind: 'movable', order: 0 });
    else if (r < 0.7) ev.push({ type: 'memory.alloc', id: `u${i}`, kind: 'unmovable', order: 0 });
    else if (r < 0.8) ev.push({ type: 'pagecache.dirty', file: `f${rng.int(0, 2)}`, index: rng.int(0, 1000), count: rng.int(1, 40) });
    else if (r < 0.85) ev.push({ type: 'pagecache.writeback.start', file: `f${rng.int(0, 2)}`, index: rng.int(0, 1000), count: rng.int(1, 10) });
    else if (r < 0.9) ev.push({ type: 'page.pin', id: `p${i}`, file: `f${rng.int(0, 2)}`, index: rng.int(0, 1000) });
    else ev.push({ type: 'pagecache.evict', file: `f${rng.int(0, 2)}`, index: rng.int(0, 1000), count: rng.int(1, 30) });
  }
  for (let i = 0; i < fill; i += 64) ev.push({ type: 'pagecache.fault', file: 'big', index: i, count: 64 });
  return runChecked(s, ev, { check: false }).state;
}

type Sum = Omit<MigrationOutcome, 'reclaimNs'>;

/** migrateRange over the isolated area in one call, or one call per page (no run can form), the outcomes added up. */
function migrate(s: SimState, discardClean: boolean, now: number | undefined, perPage: boolean): { state: SimState; out: Sum; epochs: number } {
  let out!: Sum;
  let epochs = 0;
  const state = mutate(s, (d) => {
    isolateRange(d, A, B);
    const m = mutMemory(d.memory);
    const e0 = m.epoch;
    const opts = { discardClean, costs, now };
    if (!perPage) out = migrateRange(d, A, B, opts);
    else {
      const acc = { migrated: 0, dropped: 0, busy: 0, writeback: 0, writebackDoneAt: 0, locked: 0, lockedDoneAt: 0, failed: 0, unmovable: 0, remaining: 0, durationNs: 0, throttleNs: 0, notMoved: [] as number[] };
      for (let pfn = A; pfn < B; pfn++) {
        const o = migrateRange(d, pfn, pfn + 1, opts);
        for (const k of ['migrated', 'dropped', 'busy', 'writeback', 'locked', 'failed', 'unmovable', 'remaining', 'durationNs', 'throttleNs'] as const) acc[k] += o[k];
        acc.writebackDoneAt = Math.max(acc.writebackDoneAt, o.writebackDoneAt);
        acc.lockedDoneAt = Math.max(acc.lockedDoneAt, o.lockedDoneAt);
        acc.notMoved.push(...o.notMoved);
      }
      out = acc;
    }
    epochs = m.epoch - e0;
  });
  const { reclaimNs: _, ...rest } = out as MigrationOutcome;
  return { state, out: rest, epochs };
}

describe('models/mm/migrateRange (runs)', () => {
  const cases: [string, number][] = [['plenty of free memory', 0], ['memory near its watermarks (reclaim while finding targets)', 2700]];
  for (const [what, fill] of cases) {
    it(`moves runs of pages to the targets page-by-page migration would, with the same counts, costs and state: ${what}`, () => {
      let runEpochs = 0, pageEpochs = 0, migrated = 0, reclaimed = 0;
      for (const kernel of ['6.18', '6.1', '3.5']) {
        for (let seed = 1; seed <= 3; seed++) {
          const s = randomState(seed * 31 + fill, fill, kernel);
          for (const [discardClean, now] of [[false, 0], [true, 0], [false, undefined]] as const) {
            const a = migrate(s, discardClean, now, false), b = migrate(s, discardClean, now, true);
            const where = `${kernel} seed ${seed} discardClean ${discardClean} now ${now}`;
            expect(stateHash(a.state), where).to.equal(stateHash(b.state));
            expect({ ...a.out, durationNs: 0 }, where).to.deep.equal({ ...b.out, durationNs: 0 });
            expect(a.out.durationNs, where).to.be.closeTo(b.out.durationNs, 1e-6 * b.out.durationNs);
            runEpochs += a.epochs;
            pageEpochs += b.epochs;
            migrated += a.out.migrated;
            reclaimed += a.state.pagecache.stats.reclaimed - s.pagecache.stats.reclaimed;
          }
        }
      }
      expect(migrated, 'pages were migrated').to.be.greaterThan(3000);
      // Fewer list changes: the targets of a run are one allocation step, not one per page (near
      // the watermarks most targets are found one at a time, as reclaim may run before any).
      expect(runEpochs).to.be.lessThan(pageEpochs * (fill === 0 ? 0.7 : 1));
      if (fill > 0) expect(reclaimed, 'reclaim ran while targets were found').to.be.greaterThan(0);
    });
  }
});
