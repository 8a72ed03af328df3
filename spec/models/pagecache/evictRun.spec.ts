import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { Rng, seedRng } from '../../../lib/engine/prng.ts';
import { stateHash } from '../../../lib/history/index.ts';
import { runChecked, simState } from '../memory/sim.ts';

/** Faults, dirtying, writeback and pins over three files on a small machine with small pageblocks (merges cross them). */
function events(rng: Rng): SimEvent[] {
  const ev: SimEvent[] = [];
  for (let i = 0; i < 80; i++) {
    const r = rng.next();
    const file = `f${rng.int(0, 2)}`;
    if (r < 0.55) ev.push({ type: 'pagecache.fault', file, index: rng.int(0, 600), count: rng.int(1, 64) });
    else if (r < 0.7) ev.push({ type: 'memory.alloc', id: `a${i}`, kind: rng.next() < 0.5 ? 'movable' : 'unmovable', order: rng.int(0, 3) });
    else if (r < 0.8) ev.push({ type: 'pagecache.dirty', file, index: rng.int(0, 600), count: rng.int(1, 30) });
    else if (r < 0.85) ev.push({ type: 'pagecache.writeback.start', file, index: rng.int(0, 600), count: rng.int(1, 10) });
    else if (r < 0.9) ev.push({ type: 'page.pin', id: `p${i}`, file, index: rng.int(0, 600) });
    else ev.push({ type: 'pagecache.evict', file, index: rng.int(0, 600), count: rng.int(1, 20) });
  }
  return ev;
}

describe('models/pagecache/handlers pagecache.evict (runs)', () => {
  it('evicting a range leaves the state evicting it page by page leaves, invariants holding', () => {
    let evicted = 0;
    for (const kernel of ['6.18', '6.1', '4.9']) {
      for (let seed = 1; seed <= 4; seed++) {
        const rng = new Rng(seedRng(seed));
        const s = simState({ memory: '8M', pageblockOrder: 5, minFreeKbytes: 0 }, { dirtyExpireNs: null, dirtyBackgroundRatio: null, writebackPerPageNs: 1e12 }, [{ start: 512, pages: 256 }], kernel);
        const before = runChecked(s, events(rng), { check: false }).state;
        const file = `f${rng.int(0, 2)}`, index = rng.int(0, 100), count = rng.int(200, 700);
        const whole = runChecked(before, [{ type: 'pagecache.evict', file, index, count }]).state;
        const single = runChecked(before, Array.from({ length: count }, (_, i): SimEvent => ({ type: 'pagecache.evict', file, index: index + i, count: 1 })), { check: false }).state;
        const where = `${kernel} seed ${seed}`;
        expect(stateHash(whole), where).to.equal(stateHash(single));
        evicted += whole.pagecache.stats.dropped - before.pagecache.stats.dropped;
      }
    }
    expect(evicted).to.be.greaterThan(1000);
  });
});
